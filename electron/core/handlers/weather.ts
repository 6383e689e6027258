/** The weather area's handlers (api/weather.ts has its methods' schemas and results). */
import type { HostParts } from '../parts.js';
import type { AreaHandlers } from '../api/common.js';
import { type schemas, type Results } from '../api/weather.js';

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  return {
    listCities: async () => p.weather().list(),
    addCity: async (input) => p.weather().add(input),
    updateCity: async ({ id, patch }) => p.weather().update(id, patch),
    deleteCity: async ({ id }) => p.weather().remove(id),
    setForecast: async ({ id, days }) => p.weather().setForecast(id, days),
    getLiveWeather: async () => ({ provider: p.settings.get().weather.provider, status: p.weather().liveStatus() }),
    checkLiveWeather: async () => {
      const weather = p.settings.get().weather;
      return { provider: weather.provider, status: await p.weather().checkLive(weather) };
    },
  };
}
