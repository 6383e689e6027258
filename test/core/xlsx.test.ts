// Issue 10, goal 7: catalogs live in Excel files. Import .xlsx (first sheet or a chosen one) with the
// same checks and per-line errors as CSV, export .xlsx; formulas are read as the values Excel saved,
// never evaluated, and an export never writes one. Real files, through the host API.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import type { Host } from '../../electron/core/host.js';
import type { Product } from '../../electron/core/contract.js';
import { startHost } from '../helpers/host.js';

const hosts: Host[] = [];
afterEach(async () => Promise.all(hosts.splice(0).map((h) => h.close())));
async function host(): Promise<Host> {
  const h = await startHost({ autostart: false });
  hosts.push(h);
  return h;
}
const b64 = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64');
const bySku = (ps: Product[]) =>
  Object.fromEntries(
    ps.map((p) => [p.sku, { name: p.name, description: p.description, price: p.price, category: p.category, stock: p.stock }]),
  );
const all = async (h: Host) => (await h.api.listProducts({ sort: 'id', limit: 1000 })).rows;

/** A valid workbook of one product. */
const oneProductWorkbook = () =>
  writeXlsxFile([
    ['name', 'price', 'category'],
    ['A', 1, 'B'],
  ]).toBuffer();

/** The worksheet XML of an .xlsx, changed by `edit`, zipped again. */
function editSheet(xlsx: Buffer, edit: (xml: string) => string): Buffer {
  const files = unzipSync(new Uint8Array(xlsx));
  const name = Object.keys(files).find((f) => /^xl\/worksheets\/sheet1\.xml$/.test(f))!;
  files[name] = strToU8(edit(strFromU8(files[name]!)));
  return Buffer.from(zipSync(files));
}

describe('Excel files', () => {
  it('text that is the name of a JavaScript object property (toString, constructor, __proto__) exports and imports back', async () => {
    // Found by the export → import property test: write-excel-file indexes its shared strings in a
    // plain object, so such a cell was written as <c/> and the workbook could not be read back.
    const h = await host();
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      await h.api.createProduct({ name, price: 1, category: 'valueOf', description: 'isPrototypeOf' });
    const before = bySku(await all(h));
    const { xlsx } = await h.api.exportXlsx({});
    const again = await h.api.previewImport({ xlsx, file: 'catalog.xlsx' });
    expect(again).toMatchObject({ errors: [], toAdd: 0, toUpdate: Object.keys(before).length });
    const fresh = await host();
    await fresh.api.commitImport({ token: (await fresh.api.previewImport({ xlsx, file: 'catalog.xlsx' })).token });
    expect(bySku(await all(fresh))).toEqual(before);
  });

  it('export → import gives back the same catalog, here and in a fresh install; text that looks like a formula stays text', async () => {
    const h = await host();
    await h.api.createProduct({
      name: '=HYPERLINK("http://evil.example","click")',
      price: 12.5,
      category: 'Tools',
      description: '+1 then -2',
    });
    await h.api.createProduct({ name: 'Ünïcode 🎉 名前', price: 0.1, category: 'Garden', stock: 0, description: 'line one\nline two' });
    const before = await all(h);
    const { xlsx, rows } = await h.api.exportXlsx({});
    expect(rows).toBe(before.length);
    const files = unzipSync(new Uint8Array(Buffer.from(xlsx, 'base64')));
    const xml = Object.entries(files)
      .filter(([f]) => f.startsWith('xl/'))
      .map(([, v]) => strFromU8(v))
      .join('\n');
    expect(xml).not.toMatch(/<f>|<f /); // no formula anywhere in the workbook
    const again = await h.api.previewImport({ xlsx, file: 'catalog.xlsx' });
    expect(again).toMatchObject({ errors: [], toUpdate: before.length, toAdd: 0, sheets: ['Products'], sheet: 'Products' });
    expect(await h.api.commitImport({ token: again.token })).toMatchObject({ unchanged: before.length, added: 0, updated: 0 });
    expect(await all(h)).toEqual(before);
    const fresh = await host();
    const first = await all(fresh);
    const p = await fresh.api.previewImport({ xlsx });
    await fresh.api.commitImport({ token: p.token });
    expect(bySku(await all(fresh))).toEqual({ ...bySku(first), ...bySku(before) });
  });

  it('reads a formula as the value Excel saved with it, never the formula', async () => {
    const h = await host();
    const sheet = await writeXlsxFile([
      ['name', 'price', 'category', 'stock'],
      ['Computed', 1, 'Tools', 1],
    ]).toBuffer();
    // E.g. price = SUM(B1:B9) saved by Excel as 42.5; stock = a formula whose text would be dangerous.
    const withFormulas = editSheet(sheet, (x) =>
      x
        .replace(/<c r="B2"([^>]*)>.*?<\/c>/, '<c r="B2"><f>SUM(10,32.5)</f><v>42.5</v></c>')
        .replace(/<c r="D2"([^>]*)>.*?<\/c>/, '<c r="D2"><f>WEBSERVICE("http://evil.example")</f><v>7</v></c>'),
    );
    expect(strFromU8(unzipSync(new Uint8Array(withFormulas))['xl/worksheets/sheet1.xml']!)).toMatch(/<f>SUM/);
    const p = await h.api.previewImport({ xlsx: b64(withFormulas) });
    expect(p.errors).toEqual([]);
    expect(p.sample[0]).toMatchObject({ name: 'Computed', price: 42.5, stock: 7 });
  });

  it('a chosen sheet, per-line errors numbered as the spreadsheet shows them, and the same checks as CSV', async () => {
    const h = await host();
    const book = await writeXlsxFile(
      [
        { sheet: 'Notes', data: [['just', 'notes']] },
        {
          sheet: 'Stock list',
          data: [
            ['Name', 'Price', 'Category', 'SKU'],
            ['Good', 3, 'Tools', 'G-1'],
            ['Negative', -1, 'Tools', null],
            [null, null, null, null],
            ['Twice', 2, 'Tools', 'g-1'],
          ],
        },
      ],
      {},
    ).toBuffer();
    // No sheet named: the first sheet with the catalog's columns, not the notes before it.
    expect(await h.api.previewImport({ xlsx: b64(book) })).toMatchObject({ sheet: 'Stock list', valid: 1 });
    await expect(h.api.previewImport({ xlsx: b64(book), sheet: 'Notes' })).rejects.toThrow(
      /sheet "Notes" has no "name", "price", "category" column/,
    );
    const notesOnly = await writeXlsxFile(
      [
        { sheet: 'A', data: [['x']] },
        { sheet: 'B', data: [['y']] },
      ],
      {},
    ).toBuffer();
    await expect(h.api.previewImport({ xlsx: b64(notesOnly) })).rejects.toThrow(
      'No sheet of this spreadsheet has the columns name, price and category in its first row (its sheets: "A", "B")',
    );
    await expect(h.api.previewImport({ xlsx: b64(book), sheet: 'Nope' })).rejects.toThrow(
      'The spreadsheet has no sheet named "Nope" (it has "Notes", "Stock list")',
    );
    const p = await h.api.previewImport({ xlsx: b64(book), sheet: 'Stock list' });
    expect(p).toMatchObject({ rows: 3, valid: 1, sheets: ['Notes', 'Stock list'], sheet: 'Stock list' });
    expect(p.errors).toEqual([
      { line: 3, message: 'price must not be negative' },
      { line: 5, message: 'sku "g-1" is also on line 2' },
    ]);
  });

  it('a file that is not a usable .xlsx gets a clear error and changes nothing', async () => {
    const h = await host();
    const before = await all(h);
    const good = await oneProductWorkbook();
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('name,price,category\nA,1,B'), /not an Excel spreadsheet \(\.xlsx\)/],
      [Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]), /old Excel file \(\.xls\)/],
      [good.subarray(0, Math.floor(good.length / 2)), /The spreadsheet cannot be read/],
      [Buffer.from(zipSync({ 'hello.txt': strToU8('not a workbook') })), /The spreadsheet cannot be read/],
    ];
    // A zip bomb: a small file whose directory says its sheet unpacks to 600 MB (a real one would be
    // zeros deflated 1000:1; the size it declares is what is checked, before anything is unpacked).
    const bomb = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': strToU8('<worksheet/>') }));
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(600 * 1024 * 1024, central + 24);
    bomb.writeUInt32LE(600 * 1024 * 1024, 22);
    cases.push([bomb, /unpacks to more than 256 MB/]);
    for (const [file, message] of cases) await expect(h.api.previewImport({ xlsx: b64(file) })).rejects.toThrow(message);
    await expect(h.api.previewImport({ xlsx: 'not base64!' })).rejects.toThrow(/base64/);
    await expect(h.api.previewImport({ csv: 'a', xlsx: b64(good) })).rejects.toThrow(/either csv or xlsx/);
    expect(await all(h)).toEqual(before);
  });

  // Issue 23.4.1: the sizes a zip's directory declares can lie; what is unpacked is counted.
  it('a workbook whose directory understates its sizes is stopped once 256 MB is really unpacked', async () => {
    const h = await host();
    const before = await all(h);
    const good = await oneProductWorkbook();
    // 300 MB of spaces inside the sheet (valid XML), deflated ~1000:1, every size field saying 1,000 bytes.
    const bomb = editSheet(good, (xml) => xml.replace('<sheetData>', `<sheetData>${' '.repeat(300 * 1024 * 1024)}`));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const sig = (a: number, b: number) => Buffer.from([0x50, 0x4b, a, b]);
    for (let at = bomb.indexOf(sig(3, 4)); at !== -1; at = bomb.indexOf(sig(3, 4), at + 4)) bomb.writeUInt32LE(1000, at + 22);
    for (let at = bomb.indexOf(sig(1, 2)); at !== -1; at = bomb.indexOf(sig(1, 2), at + 4)) bomb.writeUInt32LE(1000, at + 24);
    await expect(h.api.previewImport({ xlsx: b64(bomb) })).rejects.toThrow(/unpacks to more than 256 MB/);
    expect(await all(h)).toEqual(before);
  }, 60_000);
});
