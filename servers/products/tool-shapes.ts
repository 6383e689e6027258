/**
 * The products tools' schemas for the catalog's fields as they are now: each field a typed,
 * optional top-level property of a product (in what the tools return and what add_product and
 * update_product take), and `where` for query_products. Built again whenever the fields change;
 * running servers then send tools/list_changed (server.ts).
 */
import * as z from 'zod';
import { TYPE_WORDS, valueSchema, type FieldDef, type FieldValue } from './fields.js';
import { ProductOut } from './schema.js';

export interface FieldShapes {
  /** A product as the tools return it: its built-in fields and each of the catalog's. */
  product: z.ZodObject;
  /** The fields as arguments of add_product: each optional. */
  values: z.ZodRawShape;
  /** The fields as arguments of update_product: each optional; null clears a value. */
  changes: z.ZodRawShape;
  /** query_products' `where`: equality for text, choice, yes/no and links; ranges for numbers and dates. */
  where: z.ZodType;
}

const about = (d: FieldDef) =>
  `${d.label} (${TYPE_WORDS[d.type]}${d.choices ? `: ${d.choices.join(', ')}` : ''}), one of the catalog's own fields`;

export function fieldShapes(defs: readonly FieldDef[]): FieldShapes {
  const value = (d: FieldDef) => (valueSchema(d) as z.ZodNullable<z.ZodType<FieldValue>>).unwrap();
  const product = ProductOut.extend(Object.fromEntries(defs.map((d) => [d.key, value(d).optional().describe(about(d))])));
  const values = Object.fromEntries(defs.map((d) => [d.key, value(d).optional().describe(about(d))]));
  const changes = Object.fromEntries(
    defs.map((d) => [
      d.key,
      valueSchema(d)
        .optional()
        .describe(`${about(d)}; null clears it`),
    ]),
  );
  const condition = (d: FieldDef) =>
    d.type === 'number' || d.type === 'date'
      ? z.union([value(d), z.strictObject({ min: value(d).optional(), max: value(d).optional() })])
      : value(d);
  const where = z
    .strictObject(Object.fromEntries(defs.map((d) => [d.key, condition(d).optional()])))
    .describe(
      defs.length
        ? `Only products whose own fields match: {"colour": "red"} for one value, {"weight_kg": {"min": 1, "max": 5}} for a range of numbers or dates. Fields: ${defs.map((d) => d.key).join(', ')}`
        : 'Only products whose own fields match (the catalog has no fields of its own yet)',
    );
  return { product, values, changes, where };
}

/** Arguments split into the built-in ones and the catalog's fields (by key). */
export function splitFields<T extends Record<string, unknown>>(args: T, defs: readonly FieldDef[]) {
  const keys = new Set(defs.map((d) => d.key));
  const builtIn: Record<string, unknown> = {};
  const fields: Record<string, FieldValue | null> = {};
  for (const [k, v] of Object.entries(args)) {
    if (keys.has(k)) {
      if (v !== undefined) fields[k] = v as FieldValue | null;
    } else builtIn[k] = v;
  }
  return { builtIn, fields: Object.keys(fields).length ? fields : undefined };
}
