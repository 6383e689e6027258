import { toolFacts } from '../../shared/definition.js';
import { weather } from '../definition.js';
import * as z from 'zod';
import { ToolError, type ToolKit } from '../../shared/tooling.js';
import { BelowAbsoluteZero, convertTemperature, formatTemperature } from '../convert.js';
import { TEMPERATURE_UNITS } from '../schema.js';

export function registerConvertTemperatureTool(kit: ToolKit) {
  return kit.add({
    ...toolFacts(weather, 'convert_temperature'),
    input: z.strictObject({
      temperature: z.number({ error: 'temperature must be a number' }).describe('The value to convert'),
      from_unit: z.enum(TEMPERATURE_UNITS).describe('Unit of the given value'),
      to_unit: z.enum(TEMPERATURE_UNITS).describe('Unit to convert to'),
    }),
    output: z.object({
      temperature: z.number(),
      unit: z.enum(TEMPERATURE_UNITS),
      original: z.object({ temperature: z.number(), unit: z.enum(TEMPERATURE_UNITS) }),
    }),
    run: ({ temperature, from_unit, to_unit }) => {
      let converted: number;
      try {
        converted = convertTemperature(temperature, from_unit, to_unit);
      } catch (err) {
        if (err instanceof BelowAbsoluteZero) throw new ToolError(err.message, 'invalid');
        throw err;
      }
      return {
        structured: { temperature: converted, unit: to_unit, original: { temperature, unit: from_unit } },
        text: `${formatTemperature(temperature, from_unit)} = ${formatTemperature(converted, to_unit)}`,
      };
    },
  });
}
