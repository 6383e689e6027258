import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { CityId, CurrentWeatherOut } from '../schema.js';
import { summarize } from '../service.js';
import type { WeatherContext } from '../context.js';

export function registerGetWeatherSummaryTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    name: 'get_weather_summary',
    title: 'Current weather',
    description:
      'Current weather for a city as a short readable summary (temperature in both units, conditions, humidity, wind). ' +
      'city_id is a lower-case slug such as "new-york", "london" or "tokyo"; list_cities shows the saved ones.',
    input: z.strictObject({ city_id: CityId.describe('City slug, e.g. "new-york"') }),
    output: CurrentWeatherOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async ({ city_id }) => {
      const current = await ctx.weather.current(city_id);
      return { structured: current, text: summarize(current) };
    },
  });
}
