import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { formatTemperature } from '../convert.js';
import { CityId, ForecastOut } from '../schema.js';
import type { WeatherContext } from '../context.js';

export function registerGetForecastTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    name: 'get_forecast',
    title: 'Weather forecast',
    description: 'Daily forecast (conditions, high and low) for the next days, starting tomorrow. days: 1 to 16, default 3.',
    input: z.strictObject({
      city_id: CityId.describe('City slug, e.g. "london"'),
      days: z.number().int('days must be a whole number').min(1, 'days must be at least 1').max(16, 'days must be at most 16').optional(),
    }),
    output: ForecastOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async ({ city_id, days }) => {
      const f = await ctx.weather.forecast(city_id, days ?? 3);
      const lines = f.days.map(
        (d) => `${d.date}: ${d.conditions}, ${formatTemperature(d.low, f.unit)} to ${formatTemperature(d.high, f.unit)}`,
      );
      const text = [`Forecast for ${f.city}:`, ...lines, ...(f.note ? [`Note: ${f.note}`] : [])].join('\n');
      return { structured: f, text };
    },
  });
}
