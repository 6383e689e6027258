import Papa from 'papaparse';
import { stringify } from 'csv-stringify/sync';
import { formatZodError } from '../../../servers/shared/settings.js';
import { NewProduct, type Product } from '../../../servers/products/schema.js';
import type { FieldDef, FieldValue } from '../../../servers/products/fields.js';
import type { ImportRowError } from '../contract.js';
import { HostError } from '../errors.js';

export const CSV_COLUMNS = ['id', 'sku', 'name', 'description', 'price', 'category', 'stock', 'updated_at'] as const;
const IMPORTED = new Set(['sku', 'name', 'description', 'price', 'category', 'stock']);
/** Columns an export writes that an import reads past, so an exported file imports as it is. */
const KNOWN_IGNORED = new Set(['id', 'updated_at', 'created_at', 'in_stock']);
const REQUIRED = ['name', 'price', 'category'];
/** Columns whose empty cell means "not given" (an update keeps the product's own value). */
const OPTIONAL = new Set(['stock', 'sku', 'description']);

export interface ParsedImport {
  rows: NewProduct[];
  /** Each row's line in the file. */
  lines: number[];
  errors: ImportRowError[];
  columns: string[];
  /** Columns that are not built-in fields, as the file names them, and each row's cells of them (import-fields.ts reads them). */
  extra: { labels: string[]; cells: Cell[][] };
  total: number;
}

const normalizeHeader = (h: string) => h.trim().toLowerCase().replace(/\s+/g, '_');

/** "24.99", "$24.99", "1,299.00" → number; anything else is left for validation to reject. */
function toNumber(raw: string): number | string {
  const cleaned = raw.trim().replace(/^[$€£]\s*/, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned)) return Number(cleaned.replace(/,/g, ''));
  if (/^-?\d+(\.\d+)?$/.test(cleaned) || /^-?\.\d+$/.test(cleaned)) return Number(cleaned);
  return raw;
}

/** A cell as a file gives it: CSV cells are text; a spreadsheet's may be numbers, booleans or dates. */
export type Cell = string | number | boolean | Date | null | undefined;

/**
 * Reads a product CSV into validated rows and per-line errors. Nothing is written here. Lines are
 * numbered as a spreadsheet shows the file's rows (header = line 1): a cell with line breaks inside
 * quotes is one row, an empty line is a row of its own (and skipped). Windows (CRLF) and Unix (LF)
 * line endings are read, also mixed in one file, and old Mac (CR) ones. Papa Parse reads the text
 * (a hundred thousand rows in about 0.15 s, a fifth of what csv-parse took with line numbers).
 */
export function parseProductCsv(text: string): ParsedImport {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Papa Parse takes one line ending for the whole file (guessed from its start): a file that mixes
  // them (rows pasted from elsewhere) would read "d\r\ne" as one cell. Line breaks inside quoted
  // cells become \n too, as they would in a text box.
  const { data, errors } = Papa.parse<string[]>(body.includes('\r\n') ? body.replace(/\r\n/g, '\n') : body, {
    delimiter: ',',
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
  });
  const broken = errors[0];
  if (broken) {
    const line = broken.row === undefined ? '' : ` at line ${broken.row + 1}`;
    const why =
      broken.code === 'MissingQuotes'
        ? 'a quoted cell is never closed (a " is missing)'
        : broken.code === 'InvalidQuotes'
          ? 'a quoted cell has text after its closing quote (a quote inside a quoted cell is written "")'
          : broken.message;
    throw new HostError(`The CSV file cannot be read${line}: ${why}`, 'invalid');
  }
  // An empty line is a row with one empty cell: read past, but counted in the line numbers.
  const blank = (cells: string[]) => cells.length === 1 && cells[0] === '';
  let at = 0;
  while (at < data.length && blank(data[at]!)) at++;
  const head = data[at];
  const width = head?.length ?? 0;
  function* records() {
    for (let i = at + 1; i < data.length; i++) {
      const cells = data[i]!;
      if (blank(cells)) continue;
      if (cells.length !== width) {
        throw new HostError(
          `The CSV file cannot be read at line ${i + 1}: it has ${cells.length} cell${cells.length === 1 ? '' : 's'} where the header line has ${width}`,
          'invalid',
        );
      }
      yield { line: i + 1, cells };
    }
  }
  return validateProducts('CSV file', head ?? [], records(), true);
}

const cellText = (c: Cell): string =>
  c instanceof Date ? c.toISOString().slice(0, 10) : c === null || c === undefined ? '' : String(c).trim();

/**
 * The checks every import shares, whatever the file: the header names the columns (any case and
 * spacing), each row is validated like a product added by hand, a SKU appears once. `restore`
 * takes off the quote an export put before formula-like text (CSV only: a spreadsheet keeps text
 * as text).
 */
export function validateProducts(
  what: string,
  headerCells: readonly Cell[],
  records: Iterable<{ line: number; cells: readonly Cell[] }>,
  restore: boolean,
): ParsedImport {
  const header = headerCells.map((h) => normalizeHeader(cellText(h)));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (header.length === 0) throw new HostError(`The ${what} is empty: it needs a header line (name,price,category,…)`, 'invalid');
  if (missing.length) {
    throw new HostError(
      `The ${what} has no ${missing.map((m) => `"${m}"`).join(', ')} column. The first line must name the columns, e.g. name,price,category,stock,sku`,
      'invalid',
    );
  }
  const rows: NewProduct[] = [];
  const errors: ImportRowError[] = [];
  const seenSku = new Map<string, number>();
  let total = 0;
  // Columns no built-in field has, as the file names them: perhaps the catalog's own fields.
  const extraAt = header.flatMap((k, i) => (!IMPORTED.has(k) && !KNOWN_IGNORED.has(k) && cellText(headerCells[i]) !== '' ? [i] : []));
  const extraCells: Cell[][] = [];
  const lines: number[] = [];
  // The columns read, by position.
  const read = header.flatMap((k, i) =>
    IMPORTED.has(k) ? [{ k, i, numeric: k === 'price' || k === 'stock', optional: OPTIONAL.has(k) }] : [],
  );
  for (const { line, cells } of records) {
    total++;
    const input: Record<string, unknown> = {};
    for (const { k, i, numeric, optional } of read) {
      const cell = cells[i];
      if (numeric && typeof cell === 'number') {
        input[k] = cell;
        continue;
      }
      const value = restore ? restoreCell(cellText(cell)) : cellText(cell);
      if (value === '' && optional) continue;
      input[k] = numeric ? (value === '' ? undefined : toNumber(value)) : value;
    }
    const parsed = NewProduct.safeParse(input);
    if (!parsed.success) {
      errors.push({ line, message: formatZodError(parsed.error) });
      continue;
    }
    const sku = parsed.data.sku?.toLowerCase();
    if (sku) {
      const first = seenSku.get(sku);
      if (first !== undefined) {
        errors.push({ line, message: `sku "${parsed.data.sku}" is also on line ${first}` });
        continue;
      }
      seenSku.set(sku, line);
    }
    rows.push(parsed.data);
    lines.push(line);
    if (extraAt.length)
      extraCells.push(extraAt.map((i) => (typeof cells[i] === 'string' && restore ? restoreCell(cellText(cells[i])) : cells[i])));
  }
  return {
    rows,
    lines,
    errors,
    columns: header.filter((h) => IMPORTED.has(h)),
    extra: { labels: extraAt.map((i) => cellText(headerCells[i])), cells: extraCells },
    total,
  };
}

/**
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a formula,
 * and a product name is text anyone (an AI under prompt injection, too) can set. Such text cells get
 * a leading ' (which spreadsheets show as text and do not display); plain numbers such as -5 stay
 * as they are. Text that already starts with quotes before such a character gets one more, so an
 * import can take exactly one off and give back what was exported.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
export const neutralizeCell = (text: string) => (FORMULA.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);
export const restoreCell = (text: string) => (/^'+[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text.slice(1)) ? text.slice(1) : text);

/** A field's value as a cell: yes/no for yes-no fields (an import reads them back), text neutralised. */
export const fieldCell = (v: FieldValue | undefined): string | number =>
  v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'number' ? v : neutralizeCell(v);

/** Every product with the built-in columns, then each of the catalog's own fields under its label. */
export async function productsToCsv(
  products: AsyncIterable<Product> | Iterable<Product>,
  fields: readonly FieldDef[] = [],
): Promise<{ csv: string; rows: number }> {
  const data: unknown[][] = [];
  const t = neutralizeCell;
  for await (const p of products)
    data.push([
      p.id,
      t(p.sku),
      t(p.name),
      t(p.description),
      p.price.toFixed(2),
      t(p.category),
      p.stock,
      p.updated_at,
      ...fields.map((f) => fieldCell(p.fields[f.key])),
    ]);
  return { csv: stringify(data, { header: true, columns: [...CSV_COLUMNS, ...fields.map((f) => f.label)] }), rows: data.length };
}
