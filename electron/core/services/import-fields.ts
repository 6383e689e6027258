/**
 * A file's columns that are not built-in fields, matched to the catalog's own fields (by key or
 * label): each cell read as its field's type (a wrong one is that row's error, naming the field).
 * A column the catalog has no field for is new: its type is what every value in it is (a number,
 * yes/no, a date, a link, else text), and the person chooses to add it as a field or leave it out —
 * nothing is dropped without them seeing it.
 */
import {
  RESERVED_KEYS,
  fieldKey,
  inferType,
  looseText,
  readValue,
  valueSchema,
  type FieldDef,
  type FieldType,
  type FieldValue,
} from '../../../servers/products/fields.js';
import type { ParsedImport } from './csv.js';

export interface NewColumn {
  label: string;
  key: string;
  type: FieldType;
}

const text = looseText;

/**
 * Puts the file's field values on its rows. Existing fields' values are checked against their type
 * (a wrong one moves the row to the errors); new columns come back with their inferred type, their
 * values on the rows under the key they would have (import.ts keeps or strips them).
 */
export function withFieldColumns(
  parsed: ParsedImport,
  defs: readonly FieldDef[],
): ParsedImport & { newColumns: NewColumn[]; leftOut: string[] } {
  const { labels, cells } = parsed.extra;
  const leftOut: string[] = [];
  const newColumns: NewColumn[] = [];
  const columns = labels.map((label, i) => {
    const key = fieldKey(label);
    const def = defs.find((d) => d.key === key || d.label.toLowerCase() === label.toLowerCase());
    if (def) return def;
    if (key === '' || RESERVED_KEYS.has(key) || newColumns.some((n) => n.key === key)) {
      leftOut.push(label);
      return undefined;
    }
    const column: NewColumn = { label, key, type: inferType(cells.map((row) => row[i])) };
    newColumns.push(column);
    return { key, label, type: column.type, choices: null, position: 0 } satisfies FieldDef;
  });
  if (labels.length === 0) return { ...parsed, newColumns, leftOut };
  const rows: ParsedImport['rows'] = [];
  const lines: number[] = [];
  const errors = [...parsed.errors];
  parsed.rows.forEach((row, n) => {
    const fields: Record<string, FieldValue> = {};
    let problem: string | undefined;
    columns.forEach((def, i) => {
      const cell = cells[n]?.[i];
      if (!def || problem || text(cell) === '') return;
      const r = valueSchema(def).safeParse(readValue(def, cell));
      if (!r.success) problem = r.error.issues[0]!.message;
      else if (r.data !== null) fields[def.key] = r.data;
    });
    if (problem) {
      errors.push({ line: parsed.lines[n]!, message: problem });
      return;
    }
    rows.push(Object.keys(fields).length ? { ...row, fields } : row);
    lines.push(parsed.lines[n]!);
  });
  errors.sort((a, b) => a.line - b.line);
  return { ...parsed, rows, lines, errors, newColumns, leftOut };
}

/** Rows without the new columns' values (the person chose to leave them out). */
export function withoutColumns(rows: ParsedImport['rows'], keys: readonly string[]): ParsedImport['rows'] {
  if (keys.length === 0) return rows;
  return rows.map((r) => {
    if (!r.fields) return r;
    const fields = Object.fromEntries(Object.entries(r.fields).filter(([k]) => !keys.includes(k)));
    return { ...r, fields: Object.keys(fields).length ? fields : undefined };
  });
}
