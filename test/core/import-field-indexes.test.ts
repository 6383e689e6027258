// Issue 25: an import that adds its file's new columns as fields writes the rows first and builds
// the fields' indexes after (in the tidy-up that follows): quicker than keeping each index up row
// by row. Filters work before and after; a catalog closed before the tidy-up gets them next time.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import { startHost } from '../helpers/host.js';
import { tempDir, until } from '../helpers/servers.js';

const hosts: Host[] = [];
afterEach(async () => Promise.all(hosts.splice(0).map((h) => h.close())));

const indexes = (dataDir: string) => {
  const db = new Database(path.join(dataDir, 'products.db'), { readonly: true });
  try {
    return db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'products_f_%' ORDER BY name`).pluck().all();
  } finally {
    db.close();
  }
};

it("an import's new fields are indexed once its rows are in; a filter finds the same products before and after", async () => {
  const dataDir = tempDir();
  const h = await startHost({ autostart: false, dataDir });
  hosts.push(h);
  const rows = Array.from({ length: 300 }, (_, i) => `P${i},1,X,P-${i},${i % 10},${i % 2 ? 'yes' : 'no'},c${i % 3}`);
  const preview = await h.api.previewImport({ csv: ['name,price,category,sku,Weight,Organic,Colour', ...rows].join('\n'), file: 'f.csv' });
  expect(preview.newColumns.map((c) => [c.key, c.type])).toEqual([
    ['weight', 'number'],
    ['organic', 'yes-no'],
    ['colour', 'text'],
  ]);
  await h.api.commitImport({ token: preview.token, newColumns: 'add' });
  const found = await h.api.listProducts({ where: { weight: { min: 3, max: 4 }, colour: 'c1' }, limit: 1000 });
  // Indexes for the number and the text field (a yes/no field has none), built by the tidy-up.
  await until(() => indexes(dataDir).length === 2, 'the fields to be indexed');
  expect(indexes(dataDir)).toEqual(['products_f_colour', 'products_f_weight']);
  expect(await h.api.listProducts({ where: { weight: { min: 3, max: 4 }, colour: 'c1' }, limit: 1000 })).toEqual(found);
  expect(found.total).toBe(rows.filter((_, i) => i % 10 >= 3 && i % 10 <= 4 && i % 3 === 1).length);
});
