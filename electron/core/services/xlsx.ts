// Excel files (.xlsx), read and written with read-excel-file / write-excel-file (maintained, small,
// zip through fflate). A formula cell is read as the value Excel saved with it, never evaluated;
// an export writes every text as a text cell, never a formula.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import crypto from 'node:crypto';
import { Unzip, UnzipInflate, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile, { type Row } from 'write-excel-file/node';
import type { Product } from '../../../servers/products/schema.js';
import { HostError } from '../errors.js';
import { CSV_COLUMNS, validateProducts, type Cell, type ParsedImport } from './csv.js';
import type { FieldDef } from '../../../servers/products/fields.js';

/** The zip signature every .xlsx starts with (an old binary .xls does not). */
const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
/** What the parts of a spreadsheet may add up to once unpacked: far above any real catalog (300k rows are ~100 MB), far below a zip bomb. */
const MAX_UNPACKED = 256 * 1024 * 1024;

class TooBig extends Error {}

/** The sizes the zip's directory declares for its parts, added up, without unpacking anything (a quick first refusal). */
function declaredSize(file: Buffer): number {
  let total = 0;
  unzipSync(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), {
    filter: (f) => {
      total += f.originalSize;
      return false;
    },
  });
  return total;
}

/**
 * Unpacks every part as a stream, keeping nothing, and stops as soon as the bytes really unpacked
 * pass `limit`: the sizes a zip's directory declares can lie (an 8 MB file claiming 1,000 bytes per
 * sheet unpacked to gigabytes in the reader and took the process down). True when within the limit.
 */
function unpacksWithin(file: Buffer, limit: number): boolean {
  let total = 0;
  const unzip = new Unzip((entry) => {
    entry.ondata = (err, chunk) => {
      if (err) throw err;
      total += chunk.length;
      if (total > limit) throw new TooBig();
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), true);
  } catch (err) {
    if (err instanceof TooBig) return false;
    throw err;
  }
  return true;
}

/** Where the worker's bundle is: dist/workers beside the CLI's bundle (dist) or the desktop main's (dist/electron); the checkout's dist for tests. */
function workerFile(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [path.join(here, 'workers'), path.join(here, '..', 'workers'), path.resolve('dist', 'workers')];
  for (const dir of candidates) {
    const file = path.join(dir, 'xlsx.mjs');
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** How long reading a workbook may take before it is given up (a 100k-row sheet takes a few seconds). */
const READ_DEADLINE_MS = 120_000;

/**
 * parseProductXlsx on a worker thread, so the app keeps answering while a large workbook is read (a
 * 100k-row sheet held the host's thread ~1.6 s, a 300k one ~50 s); a deadline and a memory limit
 * bound it, and a sheet too large for the reader is refused in plain words (save it as CSV).
 */
export async function readProductXlsx(file: Buffer, sheet?: string): Promise<ParsedImport & { sheets: string[]; sheet: string }> {
  const script = workerFile();
  if (!script) return parseProductXlsx(file, sheet); // a checkout that was not built: read here
  const worker = new Worker(script, {
    workerData: { file, sheet },
    resourceLimits: { maxOldGenerationSizeMb: 2048 },
  });
  type Reply =
    | { ok: true; result: ParsedImport & { sheets: string[]; sheet: string } }
    | { ok: false; message: string; code: HostError['code'] | null; tooDeep: boolean };
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new HostError(
              `Reading the spreadsheet took over ${READ_DEADLINE_MS / 60_000} minutes, so it was stopped: save it as CSV (File → Save As) and import that. Nothing was imported.`,
              'invalid',
            ),
          ),
        READ_DEADLINE_MS,
      );
      worker.once('message', (m: Reply) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(
          /out of memory|ERR_WORKER_OUT_OF_MEMORY/i.test(`${(err as NodeJS.ErrnoException).code} ${err.message}`)
            ? new HostError(
                'This spreadsheet needs more memory to read than MCP Tray allows: save it as CSV (File → Save As) and import that. Nothing was imported.',
                'invalid',
              )
            : new HostError(`The spreadsheet cannot be read: ${err.message}`, 'invalid'),
        );
      });
    });
    if (reply.ok) return reply.result;
    if (reply.tooDeep) {
      throw new HostError(
        'This spreadsheet is too large for the Excel reader: save it as CSV (File → Save As → CSV) and import that, which has no such limit. Nothing was imported.',
        'invalid',
      );
    }
    throw new HostError(reply.message, reply.code ?? 'invalid');
  } finally {
    await worker.terminate();
  }
}

export async function parseProductXlsx(file: Buffer, sheet?: string): Promise<ParsedImport & { sheets: string[]; sheet: string }> {
  if (!isZip(file)) {
    throw new HostError(
      file.subarray(0, 4).equals(OLE)
        ? 'This is an old Excel file (.xls): open it in Excel, Numbers or LibreOffice and save it as .xlsx (or CSV), then import that'
        : 'This file is not an Excel spreadsheet (.xlsx): choose an .xlsx or .csv file',
      'invalid',
    );
  }
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    if (declaredSize(file) > MAX_UNPACKED || !unpacksWithin(file, MAX_UNPACKED)) {
      throw new HostError('This spreadsheet unpacks to more than 256 MB: it is not a product list MCP Tray can read', 'invalid');
    }
    sheets = await readXlsxFile(file);
  } catch (err) {
    if (err instanceof HostError) throw err;
    throw new HostError(`The spreadsheet cannot be read: ${(err as Error).message}`, 'invalid');
  }
  const names = sheets.map((s) => s.sheet);
  if (sheets.length === 0) throw new HostError('The spreadsheet has no sheets', 'invalid');
  if (sheet !== undefined) {
    const chosen = sheets.find((s) => s.sheet === sheet);
    if (!chosen) {
      throw new HostError(`The spreadsheet has no sheet named "${sheet}" (it has ${names.map((n) => `"${n}"`).join(', ')})`, 'invalid');
    }
    return { ...readSheet(chosen), sheets: names, sheet: chosen.sheet };
  }
  // No sheet named: the first one that has the catalog's columns (a workbook often opens on notes).
  let firstError: unknown;
  for (const s of sheets) {
    try {
      return { ...readSheet(s), sheets: names, sheet: s.sheet };
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      firstError ??= err;
    }
  }
  if (sheets.length === 1) throw firstError;
  throw new HostError(
    `No sheet of this spreadsheet has the columns name, price and category in its first row (its sheets: ${names.map((n) => `"${n}"`).join(', ')})`,
    'invalid',
  );
}

function readSheet(chosen: { sheet: string; data: ReadonlyArray<ReadonlyArray<unknown>> }): ParsedImport {
  // Rows as the spreadsheet numbers them; blank rows are passed over, as in a CSV.
  const rows = chosen.data.map((cells, i) => ({ line: i + 1, cells: cells as readonly Cell[] }));
  const blank = (cells: readonly Cell[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));
  const [head, ...body] = rows.filter((r) => !blank(r.cells));
  return validateProducts(`sheet "${chosen.sheet}"`, head?.cells ?? [], body, false);
}

/** The same columns as the CSV export; numbers as numbers, everything else as text cells. */
export async function productsToXlsx(
  products: AsyncIterable<Product> | Iterable<Product>,
  fields: readonly FieldDef[] = [],
): Promise<{ xlsx: Buffer; rows: number }> {
  const header: Row = [...CSV_COLUMNS, ...fields.map((f) => f.label)].map((c) => ({ value: c, fontWeight: 'bold' as const }));
  const data: Row[] = [header];
  for await (const p of products) {
    data.push([
      { type: Number, value: p.id },
      { type: String, value: p.sku },
      { type: String, value: p.name },
      { type: String, value: p.description },
      { type: Number, value: p.price, format: '0.00' },
      { type: String, value: p.category },
      { type: Number, value: p.stock },
      { type: String, value: p.updated_at },
      ...fields.map((f) => {
        const v = p.fields[f.key];
        return typeof v === 'number'
          ? { type: Number, value: v }
          : { type: String, value: v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v };
      }),
    ]);
  }
  const { rows: safe, restore } = withoutObjectKeys(data);
  const xlsx = restore(await writeXlsxFile(safe, { sheet: 'Products', stickyRowsCount: 1 }).toBuffer());
  return { xlsx, rows: data.length - 1 };
}

/** Names Object.prototype has: write-excel-file looks shared strings up in a plain object, where these are found already. */
const OBJECT_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Text cells that are exactly such a name ("toString", "constructor") would be written as an empty,
 * invalid cell (<c/>): they are written as a placeholder unique to this export, then put back as
 * they were in the workbook's shared strings.
 */
function withoutObjectKeys(rows: Row[]): { rows: Row[]; restore: (xlsx: Buffer) => Buffer } {
  const nonce = crypto.randomBytes(8).toString('hex');
  const placeholders = new Map<string, string>();
  const safe = rows.map((row) =>
    row.map((cell) => {
      const v = (cell as { value?: unknown } | null)?.value;
      if (typeof v !== 'string' || !OBJECT_KEYS.has(v)) return cell;
      const placeholder = `mcp-tray-${nonce}-${[...OBJECT_KEYS].indexOf(v)}`;
      placeholders.set(placeholder, v);
      return { ...cell!, value: placeholder };
    }),
  );
  return {
    rows: safe,
    restore: (xlsx) => {
      if (placeholders.size === 0) return xlsx;
      const files = unzipSync(new Uint8Array(xlsx));
      const name = 'xl/sharedStrings.xml';
      let xml = strFromU8(files[name]!);
      for (const [placeholder, text] of placeholders) xml = xml.split(placeholder).join(escapeXml(text));
      files[name] = strToU8(xml);
      return Buffer.from(zipSync(files));
    },
  };
}
