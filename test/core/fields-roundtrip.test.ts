// Issue 25: an export imports back unchanged, for every kind of field and any value a person can
// give it (property test): CSV and Excel, into the same catalog (nothing changes) and into a fresh
// install with the same fields (the same products come out).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import type { FieldDef, Product } from '../../electron/core/contract.js';
import { startHost } from '../helpers/host.js';

const hosts: Host[] = [];
afterEach(async () => Promise.all(hosts.splice(0).map((h) => h.close())));

const CHOICES = ['Small', 'Mëdium', 'Large — XL', '42'];
const FIELDS: Array<Pick<FieldDef, 'label' | 'type'> & { choices?: string[] }> = [
  { label: 'Notes', type: 'text' },
  { label: 'Weight (kg)', type: 'number' },
  { label: 'In season', type: 'yes-no' },
  { label: 'Arrives', type: 'date' },
  { label: 'Size', type: 'choice', choices: CHOICES },
  { label: 'Page', type: 'link' },
];

/** Text a person may type in a cell: any characters but NUL and half of a surrogate pair, spaces at the ends dropped. */
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .map((s) => s.replace(/\0/g, '').trim())
  .filter((s) => s.length > 0);
const values = fc.record(
  {
    notes: fc.oneof(
      text,
      fc.constantFrom('=SUM(A1)', '+1', '-2', '@x', '0042', '1e5', 'yes', '2026-01-01', 'line\nbreak, "quoted"', 'constructor', 'toString'),
    ),
    weight_kg: fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).map((n) => (Object.is(n, -0) ? 0 : n)),
      fc.integer(),
      fc.constantFrom(0.1, 1e-7, 123456789.125, -5),
    ),
    in_season: fc.boolean(),
    arrives: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    size: fc.constantFrom(...CHOICES),
    page: fc.webUrl({ validSchemes: ['https', 'http'] }).filter((u) => !/\s/.test(u) && u.length < 500),
  },
  { requiredKeys: [] },
);

async function withFields(): Promise<Host> {
  const h = await startHost({ autostart: false });
  hosts.push(h);
  for (const f of FIELDS) await h.api.addField({ label: f.label, type: f.type, ...(f.choices ? { choices: f.choices } : {}) });
  return h;
}
const bySku = (ps: Product[]) =>
  Object.fromEntries(
    ps.map((p) => [
      p.sku,
      { name: p.name, price: p.price, category: p.category, stock: p.stock, description: p.description, fields: p.fields },
    ]),
  );
const all = async (h: Host) => (await h.api.listProducts({ sort: 'id', limit: 1000 })).rows;

describe("export → import keeps every field's values", () => {
  it('CSV and Excel, into the same catalog and into a fresh one with the same fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(values, { minLength: 1, maxLength: 6 }), async (rows) => {
        const from = await withFields();
        for (const [i, fields] of rows.entries()) {
          await from.api.createProduct({ name: `Product ${i}`, price: i + 0.5, category: 'Test', sku: `P-${i}`, fields });
        }
        const before = bySku(await all(from));
        const csv = await from.api.exportCsv({});
        const xlsx = await from.api.exportXlsx({});
        for (const file of [
          { csv: csv.csv, file: 'p.csv' },
          { xlsx: xlsx.xlsx, file: 'p.xlsx' },
        ]) {
          // The same catalog: every product is unchanged.
          const same = await from.api.previewImport(file);
          expect(same).toMatchObject({ errors: [], newColumns: [], leftOut: [], toAdd: 0 });
          expect(await from.api.commitImport({ token: same.token })).toMatchObject({ added: 0, updated: 0 });
          // A fresh install with the same fields: the same products.
          const to = await withFields();
          const fresh = await to.api.previewImport(file);
          expect(fresh.errors).toEqual([]);
          await to.api.commitImport({ token: fresh.token });
          const got = bySku(await all(to));
          for (const [sku, p] of Object.entries(before)) expect(got[sku]).toEqual(p);
        }
        expect(bySku(await all(from))).toEqual(before);
        await Promise.all(hosts.splice(0).map((h) => h.close()));
      }),
      {
        numRuns: 15,
        // The first failing case is reported as found (shrinking starts three installs a step), and a
        // loaded machine stops early rather than time out: fewer cases, not a false failure.
        endOnFailure: true,
        interruptAfterTimeLimit: 150_000,
        markInterruptAsFailure: false,
      },
    );
  }, 240_000);
});
