import { parse, CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { formatZodError } from '../../../servers/shared/settings.js';
import { NewProduct, type Product } from '../../../servers/products/schema.js';
import type { ImportRowError } from '../contract.js';
import { HostError } from '../errors.js';

export const CSV_COLUMNS = ['id', 'sku', 'name', 'description', 'price', 'category', 'stock', 'updated_at'] as const;
const IMPORTED = new Set(['sku', 'name', 'description', 'price', 'category', 'stock']);
/** Columns an export writes that an import reads past, so an exported file imports as it is. */
const KNOWN_IGNORED = new Set(['id', 'updated_at', 'created_at', 'in_stock']);
const REQUIRED = ['name', 'price', 'category'];

export interface ParsedImport {
  rows: NewProduct[];
  errors: ImportRowError[];
  columns: string[];
  ignoredColumns: string[];
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
 * Reads a product CSV into validated rows and per-line errors (line numbers as a spreadsheet shows
 * them, header = line 1). Nothing is written here.
 */
export function parseProductCsv(text: string): ParsedImport {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      info: true,
      trim: false,
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new HostError(
        `The CSV file cannot be read${line ? ` at line ${line}` : ''}: ${err.message.replace(/^Invalid [^:]*: /, '')}`,
        'invalid',
      );
    }
    throw err;
  }
  const [head, ...body] = records;
  return validateProducts(
    'CSV file',
    head?.record ?? [],
    body.map(({ record, info }) => ({ line: info.lines, cells: record })),
    true,
  );
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
  for (const { line, cells } of records) {
    total++;
    const input: Record<string, unknown> = {};
    header.forEach((k, i) => {
      if (!IMPORTED.has(k)) return;
      const cell = cells[i];
      if ((k === 'price' || k === 'stock') && typeof cell === 'number') {
        input[k] = cell;
        return;
      }
      const value = restore ? restoreCell(cellText(cell)) : cellText(cell);
      if (value === '' && (k === 'stock' || k === 'sku' || k === 'description')) return;
      input[k] = k === 'price' || k === 'stock' ? (value === '' ? undefined : toNumber(value)) : value;
    });
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
  }
  return {
    rows,
    errors,
    columns: header.filter((h) => IMPORTED.has(h)),
    ignoredColumns: header.filter((h) => !IMPORTED.has(h) && !KNOWN_IGNORED.has(h)),
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

export async function productsToCsv(products: AsyncIterable<Product> | Iterable<Product>): Promise<{ csv: string; rows: number }> {
  const data: unknown[][] = [];
  const t = neutralizeCell;
  for await (const p of products)
    data.push([p.id, t(p.sku), t(p.name), t(p.description), p.price.toFixed(2), t(p.category), p.stock, p.updated_at]);
  return { csv: stringify(data, { header: true, columns: [...CSV_COLUMNS] }), rows: data.length };
}
