import { toolFacts } from '../../shared/definition.js';
import { weather } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { convertTemperature, formatTemperature } from '../convert.js';
import { CityId, ForecastOut, READING_UNITS } from '../schema.js';
import { FORECAST_VIEW_URI } from '../views.js';
import type { WeatherContext } from '../context.js';

export function registerGetForecastTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    ...toolFacts(weather, 'get_forecast'),
    input: z.strictObject({
      city_id: CityId.describe('City slug, e.g. "london"'),
      days: z.number().int('days must be a whole number').min(1, 'days must be at least 1').max(16, 'days must be at most 16').optional(),
      unit: z.enum(READING_UNITS).optional().describe('Temperature unit for the answer (default: the city’s own)'),
    }),
    output: ForecastOut,
    // Where views are shown: current conditions and a chart of the days, in this unit.
    ui: FORECAST_VIEW_URI,
    run: async ({ city_id, days, unit }) => {
      const raw = await ctx.weather.forecast(city_id, days ?? 3);
      const to = unit ?? raw.unit;
      const f =
        to === raw.unit
          ? raw
          : {
              ...raw,
              unit: to,
              days: raw.days.map((d) => ({
                ...d,
                high: convertTemperature(d.high, raw.unit, to),
                low: convertTemperature(d.low, raw.unit, to),
              })),
            };
      const lines = f.days.map(
        (d) => `${d.date}: ${d.conditions}, ${formatTemperature(d.low, f.unit)} to ${formatTemperature(d.high, f.unit)}`,
      );
      const text = [`Forecast for ${f.city}:`, ...lines, ...(f.note ? [`Note: ${f.note}`] : [])].join('\n');
      return { structured: f, text };
    },
  });
}
