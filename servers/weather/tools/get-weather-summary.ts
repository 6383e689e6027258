import { toolFacts } from '../../shared/definition.js';
import { weather } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { CityId, CurrentWeatherOut } from '../schema.js';
import { summarize } from '../service.js';
import type { WeatherContext } from '../context.js';

export function registerGetWeatherSummaryTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    ...toolFacts(weather, 'get_weather_summary'),
    input: z.strictObject({ city_id: CityId.describe('City slug, e.g. "new-york"') }),
    output: CurrentWeatherOut,
    run: async ({ city_id }) => {
      const current = await ctx.weather.current(city_id);
      return { structured: current, text: summarize(current) };
    },
  });
}
