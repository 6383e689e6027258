import { StoreError } from '../../shared/errors.js';
import { ResourceTemplate } from '@modelcontextprotocol/server';
import { ProtocolErrorCode, ProtocolError } from '@modelcontextprotocol/server';

import type { WeatherContext } from '../context.js';

export const currentUri = (cityId: string) => `weather://${cityId}/current`;

export function registerCurrentWeatherResource(ctx: WeatherContext) {
  const { server, weather } = ctx;
  server.registerResource(
    'current-weather',
    new ResourceTemplate('weather://{city_id}/current', {
      list: () => ({
        resources: weather.store.list().map((c) => ({
          uri: currentUri(c.id),
          name: `${c.name} current weather`,
          title: `Current weather in ${c.name}`,
          mimeType: 'application/json',
        })),
      }),
      complete: {
        city_id: (value) =>
          weather.store
            .list()
            .map((c) => c.id)
            .filter((id) => id.startsWith(value.toLowerCase())),
      },
    }),
    { title: 'Current weather', description: 'Current conditions for a city, as JSON.', mimeType: 'application/json' },
    async (uri, { city_id }) => {
      const id = String(city_id);
      try {
        const current = await weather.current(id);
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(current, null, 2) }] };
      } catch (err) {
        if (err instanceof StoreError)
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri.href} not found: ${err.message}`, { uri: uri.href });
        throw err;
      }
    },
  );
}
