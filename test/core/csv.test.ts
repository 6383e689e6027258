// Reading a product CSV (electron/core/services/csv.ts): the file as people's spreadsheets and editors
// write it — mixed line endings, blank lines, line breaks inside quoted cells, a byte-order mark — and
// the precise refusal for a file that cannot be read. A randomized round trip checks that whatever an
// export writes (quotes, commas, line breaks, emoji, text that looks like a formula) reads back the same.
import { describe, expect, it } from 'vitest';
import type { Product } from '../../servers/products/schema.js';
import { parseProductCsv, productsToCsv } from '../../electron/core/services/csv.js';

const read = (text: string) => parseProductCsv(text);

describe('reading a product CSV', () => {
  it('reads a file that mixes Windows and Unix line endings row by row', () => {
    const parsed = read('name,price,category\r\nA,1,Tools\nB,2,Tools\r\nC,3,Tools\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.name, r.price, r.category])).toEqual([
      ['A', 1, 'Tools'],
      ['B', 2, 'Tools'],
      ['C', 3, 'Tools'],
    ]);
  });

  it('reads old Mac line endings, a byte-order mark, and a quote inside an unquoted cell as it is written', () => {
    expect(read('\ufeffname,price,category\rA,1,Tools\rB,2,Tools').rows.map((r) => r.name)).toEqual(['A', 'B']);
    expect(read('name,price,category\n12" ruler,4,Tools').rows[0]!.name).toBe('12" ruler');
  });

  it('numbers lines as a spreadsheet shows the rows: a multi-line cell is one row, an empty line is one too', () => {
    const parsed = read(
      ['name,price,category,description', 'A,1,Tools,"two', 'lines"', '', 'B,oops,Tools,', 'C,3,Tools,"say ""hi"""', ''].join('\n'),
    );
    expect(parsed.rows.map((r) => [r.name, r.description])).toEqual([
      ['A', 'two\nlines'],
      ['C', 'say "hi"'],
    ]);
    expect(parsed.errors).toEqual([{ line: 4, message: 'price must be a number, like 24.99' }]);
    expect(parsed.total).toBe(3);
  });

  it('keeps a line break inside a quoted cell, written the Windows way, as one line break', () => {
    expect(read('name,price,category,description\r\nA,1,Tools,"one\r\ntwo"\r\n').rows[0]!.description).toBe('one\ntwo');
  });

  it('refuses a file it cannot read, saying where and why, and reads nothing of it', () => {
    expect(() => read('name,price,category\nA,1,Tools\n"unclosed,1,Tools\nB,2,Tools')).toThrow(
      /^The CSV file cannot be read at line 3: a quoted cell is never closed/,
    );
    expect(() => read('name,price,category\n"A"x,1,Tools')).toThrow(/^The CSV file cannot be read at line 2: a quoted cell has text after/);
    expect(() => read('name,price,category\nA,1,Tools\n\nB,2,Tools,extra')).toThrow(
      /^The CSV file cannot be read at line 4: it has 4 cells where the header line has 3$/,
    );
    expect(() => read('')).toThrow(/empty/);
    expect(() => read('name;price;category\nA;1;Tools')).toThrow(/no "name", "price", "category" column/);
  });

  it('reads back exactly what an export wrote, for randomized products with hostile text', async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = ['a', 'Z', ' ', ',', '"', "'", '\n', '\r\n', '=', '+', '-', '@', '\t', 'é', '🎉', '中', 'e\u0301', ';', '""', '1'];
    const text = (min: number) => {
      let s = '';
      const n = min + Math.floor(rand() * 12);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(rand() * pieces.length)];
      return s;
    };
    const visible = (min: number) => {
      // Cells are read trimmed (as a product added by hand is); what an export writes is already so.
      const t = text(min).trim();
      return t === '' ? 'x' : t;
    };
    const at = '2026-11-28T00:00:00.000Z';
    const products: Product[] = Array.from({ length: 300 }, (_, i) => ({
      id: i + 1,
      sku: `S-${i}`,
      name: visible(1),
      description: text(0).trim(),
      price: Math.round(rand() * 100_000) / 100,
      category: visible(1),
      stock: Math.floor(rand() * 50),
      in_stock: true,
      created_at: at,
      updated_at: at,
      fields: {},
    }));
    const { csv } = await productsToCsv(products);
    const parsed = read(csv);
    expect(parsed.errors).toEqual([]);
    const lf = (s: string) => s.replace(/\r\n/g, '\n');
    expect(parsed.rows).toEqual(
      products.map((p) => ({
        sku: p.sku,
        name: lf(p.name),
        ...(p.description ? { description: lf(p.description) } : {}),
        price: p.price,
        category: lf(p.category),
        stock: p.stock,
      })),
    );
  });
});
