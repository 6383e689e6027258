import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import type { WeatherContext } from '../context.js';

export function registerListCitiesTool(kit: ToolKit, ctx: WeatherContext) {
  return kit.add({
    name: 'list_cities',
    title: 'List saved cities',
    description: 'The cities saved in MCP Tray, with the city_id to use in the other weather tools.',
    input: z.strictObject({}),
    output: z.object({ cities: z.array(z.object({ city_id: z.string(), name: z.string(), country: z.string() })) }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: () => ({
      structured: { cities: ctx.weather.store.list().map((c) => ({ city_id: c.id, name: c.name, country: c.country })) },
    }),
  });
}
