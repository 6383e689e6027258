/**
 * A catalog's own fields: the columns a person adds (colour, weight, in season, a supplier's link),
 * kept by both engines in a `fields` table, their values in each product's `extra` object. A
 * field's key is its label in snake_case ("Weight (kg)" → weight_kg), never a built-in's.
 */
import * as z from 'zod';
import { HALF_CHARACTER, wellFormed } from '../shared/visible.js';

export { FIELD_TYPES, FIELD_LIMITS, TYPE_WORDS, TYPE_NAMES } from './field-types.js';
export type { FieldType, FieldDef, FieldValue, RemovedField, FieldEntry } from './field-types.js';
import { FIELD_LIMITS, type FieldDef, type FieldType, type FieldValue } from './field-types.js';

/** Names a field may not take: the built-in fields, and what the tools' arguments already use. */
export const RESERVED_KEYS = new Set([
  'id',
  'sku',
  'name',
  'description',
  'price',
  'category',
  'stock',
  'in_stock',
  'created_at',
  'updated_at',
  'fields',
  'product_id',
  'expected_updated_at',
  'where',
  'search',
  'sort',
  'order',
  'limit',
  'cursor',
  'min_price',
  'max_price',
  'low_stock_below',
  'new_stock',
]);

/** "Weight (kg)" → "weight_kg"; "In season?" → "in_season"; letters outside a–z are dropped after folding accents. */
export function fieldKey(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, FIELD_LIMITS.key)
    .replace(/_+$/, '');
  return /^[0-9]/.test(key) ? `f_${key}` : key;
}

export const FieldLabel = z
  .string()
  .trim()
  .min(1, 'a field needs a label')
  .max(FIELD_LIMITS.label, `a field's label must be at most ${FIELD_LIMITS.label} characters`)
  .refine(wellFormed, HALF_CHARACTER('label'))
  .refine((l) => fieldKey(l) !== '', 'a field label needs at least one letter or digit');

export const FieldChoices = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'a choice must not be empty')
      .max(FIELD_LIMITS.choice, `a choice must be at most ${FIELD_LIMITS.choice} characters`),
  )
  .min(1, 'a choice field needs at least one choice')
  .max(FIELD_LIMITS.choices, `a choice field may have at most ${FIELD_LIMITS.choices} choices`)
  .refine((c) => new Set(c.map((x) => x.toLowerCase())).size === c.length, 'choices must differ from each other');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day written as YYYY-MM-DD (2026-02-30 is not one). Arithmetic, not Date: an import checks 100k of them. */
const isDate = (s: string) => {
  if (!ISO_DATE.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return m >= 1 && m <= 12 && d >= 1 && d <= days;
};

/** The schema a field's value must meet (null clears it), with a message naming the field and the type it takes. */
export function valueSchema(f: Pick<FieldDef, 'key' | 'type' | 'choices'>): z.ZodType<FieldValue | null> {
  // Built once per field (an import checks a million values: building a schema for each took 18×
  // the import's own time).
  const mine = byDef.get(f);
  if (mine) return mine;
  const id = `${f.key}\u0000${f.type}\u0000${f.choices?.join('\u0000') ?? ''}`;
  let schema = schemas.get(id);
  if (!schema) {
    if (schemas.size >= 1000) schemas.clear();
    schema = buildValueSchema(f);
    schemas.set(id, schema);
  }
  byDef.set(f, schema);
  return schema;
}
const schemas = new Map<string, z.ZodType<FieldValue | null>>();
const byDef = new WeakMap<object, z.ZodType<FieldValue | null>>();

function buildValueSchema(f: Pick<FieldDef, 'key' | 'type' | 'choices'>): z.ZodType<FieldValue | null> {
  const expected = (what: string) => ({ error: `${f.key} must be ${what}` });
  const base = (() => {
    switch (f.type) {
      case 'number':
        return z.number(expected('a number')).refine(Number.isFinite, `${f.key} must be a number`);
      case 'yes-no':
        return z.boolean(expected('true or false (yes/no)'));
      case 'date':
        return z.string(expected('a date like 2026-12-07')).refine(isDate, `${f.key} must be a date like 2026-12-07`);
      case 'choice':
        return z.enum(f.choices as [string, ...string[]], expected(`one of: ${(f.choices ?? []).join(', ')}`));
      case 'link':
        return z
          .string(expected('a link (https://…)'))
          .max(FIELD_LIMITS.link, `${f.key} must be at most ${FIELD_LIMITS.link} characters`)
          .refine((s) => isLink(s) && URL.canParse(s), `${f.key} must be a link starting with http:// or https://`);
      default:
        return z
          .string(expected('text'))
          .max(FIELD_LIMITS.text, `${f.key} must be at most ${FIELD_LIMITS.text} characters`)
          .refine((s) => !s.includes('\0'), `${f.key} must not contain a NUL character`)
          .refine(wellFormed, HALF_CHARACTER(f.key));
    }
  })();
  return (base as z.ZodType<FieldValue>).nullable();
}

/** A value as a file, a person or an older type gives it: text, a number, yes/no, a date, or nothing. */
export type LooseValue = string | number | boolean | Date | null | undefined;

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** A loose value as text: a date as 2026-12-07, yes/no as "yes"/"no", nothing as ''. */
export const looseText = (c: LooseValue): string =>
  c instanceof Date
    ? c.toISOString().slice(0, 10)
    : typeof c === 'boolean'
      ? c
        ? 'yes'
        : 'no'
      : c === null || c === undefined
        ? ''
        : String(c).trim();
const asNumber = (c: LooseValue): number | undefined => {
  if (typeof c === 'number') return c;
  if (typeof c === 'boolean') return undefined;
  const t = looseText(c).replace(/^[$€£]\s*/, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  // As JavaScript writes numbers too: 5e-324, 1.5e+21 (what an export of a very small or large one holds).
  return /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t) && Number.isFinite(Number(t)) ? Number(t) : undefined;
};
const asYesNo = (c: LooseValue): boolean | undefined => {
  if (typeof c === 'boolean') return c;
  const t = looseText(c).toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : undefined;
};
const asDate = (c: LooseValue): string | undefined => {
  const t = looseText(c);
  return isDate(t) ? t : undefined;
};
const isLink = (t: string) => /^https?:\/\/\S+$/i.test(t);

/**
 * A loose value read as a field's type ("12.5" as 12.5, "Yes" as true, "red" as the choice "Red"),
 * or as its text when it is not one (valueSchema then says why, naming the field).
 */
export function readValue(def: Pick<FieldDef, 'type' | 'choices'>, c: LooseValue): unknown {
  switch (def.type) {
    case 'number':
      return asNumber(c) ?? looseText(c);
    case 'yes-no':
      return asYesNo(c) ?? looseText(c);
    case 'date':
      return asDate(c) ?? looseText(c);
    case 'choice': {
      const t = looseText(c);
      return def.choices?.find((x) => x.toLowerCase() === t.toLowerCase()) ?? t;
    }
    default:
      return looseText(c);
  }
}

/** The type every non-empty value shows: a number, yes/no, a date, a link, else text. */
export function inferType(values: readonly LooseValue[]): FieldType {
  const given = values.filter((c) => looseText(c) !== '');
  if (given.length === 0) return 'text';
  if (given.every((c) => asNumber(c) !== undefined)) return 'number';
  if (given.every((c) => asYesNo(c) !== undefined)) return 'yes-no';
  if (given.every((c) => asDate(c) !== undefined)) return 'date';
  if (given.every((c) => isLink(looseText(c)))) return 'link';
  return 'text';
}

/**
 * A field's value as SQL reads it, with the key written into the text (an index on an expression
 * serves only a query with the same expression, so it cannot be a bound parameter). Safe: keys are
 * only ever a–z, 0–9 and _ (fieldKey), which this checks again.
 */
export function fieldExpression(engine: 'sqlite' | 'postgres', key: string, numeric: boolean): string {
  if (!/^[a-z0-9_]{1,40}$/.test(key)) throw new Error(`not a field key: ${JSON.stringify(key)}`);
  if (engine === 'sqlite') return `(extra ->> '$."${key}"')`;
  return numeric ? `((extra::jsonb ->> '${key}')::numeric)` : `((extra::jsonb ->> '${key}') COLLATE "C")`;
}

/** Whether a field has an index: not a yes/no one (half the catalog has each value; see indexField). */
export const fieldIndexed = (type: FieldType) => type !== 'yes-no';

/** The index that makes `where` on a field quick (products_f_<key>). */
export const fieldIndex = (key: string) => (fieldExpression('sqlite', key, false), `products_f_${key}`);
