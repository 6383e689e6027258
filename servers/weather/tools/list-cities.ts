import { toolFacts } from '../../shared/definition.js';
import { weather } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import type { WeatherContext } from '../context.js';

export function registerListCitiesTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    ...toolFacts(weather, 'list_cities'),
    input: z.strictObject({}),
    output: z.object({ cities: z.array(z.object({ city_id: z.string(), name: z.string(), country: z.string() })) }),
    run: () => ({
      structured: { cities: ctx.weather.store.list().map((c) => ({ city_id: c.id, name: c.name, country: c.country })) },
    }),
  });
}
