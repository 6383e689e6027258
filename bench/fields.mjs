// The catalog's own fields at 100,000 products (issue 25): adding a field to a full catalog (its
// index is built over every product), and query_products with `where` over stdio, side by side with
// the same page filtered by a built-in column. SQLite only here (the shared catalog's figures: later).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildCatalog, N } from './catalog.mjs';
import { startProducts } from './servers.mjs';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

const FIELDS = [
  ['Weight (kg)', 'number'],
  ['Colour', 'text'],
  ['In season', 'yes-no'],
  ['Arrives', 'date'],
  ['Supplier', 'text'],
  ['Width (cm)', 'number'],
  ['Height (cm)', 'number'],
  ['Organic', 'yes-no'],
  ['Page', 'link'],
  ['Notes', 'text'],
];

export async function run({ root, tmp }) {
  console.log(`\n## The catalog's own fields on ${N.toLocaleString('en')} products (10 fields, every product with values)`);
  const dir = path.join(tmp, 'fields');
  await buildCatalog(root, dir);
  // Every product's values, written directly (what ten imports would leave).
  const db = new Database(path.join(dir, 'products.db'));
  db.exec(`UPDATE products SET extra = json_object(
    'weight_kg', (id % 1000) / 100.0, 'colour', (CASE id % 4 WHEN 0 THEN 'red' WHEN 1 THEN 'green' WHEN 2 THEN 'blue' ELSE 'oak' END),
    'in_season', json(iif(id % 2, 'true', 'false')), 'arrives', printf('2026-%02d-%02d', 1 + id % 12, 1 + id % 28),
    'supplier', 'Supplier ' || (id % 300), 'width_cm', id % 200, 'height_cm', id % 150, 'organic', json(iif(id % 3, 'true', 'false')),
    'page', 'https://example.com/p/' || id, 'notes', 'note ' || id)`);
  db.close();
  const cli = path.join(root, 'bin', 'mcp-tray.js');
  const addTimes = [];
  for (const [label, type] of FIELDS) {
    const t = performance.now();
    execFileSync(process.execPath, [cli, 'catalog', 'fields', 'add', label, '--type', type, '--data-dir', dir], { stdio: 'ignore' });
    addTimes.push(performance.now() - t);
  }
  console.log(
    `adding a field (the CLI, a process each, its index built over ${N.toLocaleString('en')} products): median ${ms(pct(addTimes, 50))}, slowest ${ms(Math.max(...addTimes))}   (target ≤ 1 s)`,
  );

  const { client } = await startProducts({ root, tmp, dir, env: {} });
  const measure = async (label, args) => {
    for (let i = 0; i < 100; i++) await client.callTool({ name: 'query_products', arguments: args(i) });
    const lat = [];
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      const r = await client.callTool({ name: 'query_products', arguments: args(i) });
      lat.push(performance.now() - t);
      if (r.isError) throw new Error(JSON.stringify(r.content));
      total += r.structuredContent.total;
    }
    const row = { p50: pct(lat, 50), p99: pct(lat, 99), avgMatches: total / 1000 };
    console.log(
      `${label.padEnd(52)} p50 ${ms(row.p50).padStart(8)}  p99 ${ms(row.p99).padStart(8)}  (${Math.round(row.avgMatches)} matches on average)`,
    );
    return row;
  };
  const rows = {
    numberRange: await measure('where: a number range (weight_kg 1–1.5)', (i) => ({
      where: { weight_kg: { min: 1 + (i % 5) / 10, max: 1.5 + (i % 5) / 10 } },
    })),
    textValue: await measure("where: a text value (supplier = 'Supplier n')", (i) => ({ where: { supplier: `Supplier ${i % 300}` } })),
    yesNo: await measure('where: yes/no and a number range', (i) => ({
      where: { organic: i % 2 === 0, width_cm: { min: i % 100, max: (i % 100) + 5 } },
    })),
    builtIn: await measure('beside it: a built-in range (price)', (i) => ({ min_price: 10 + (i % 5), max_price: 15 + (i % 5) })),
  };
  console.log('target: where on a number field p50 ≤ 5 ms at 100k (SQLite)');
  await client.close();
  return { addFieldMs: { median: pct(addTimes, 50), max: Math.max(...addTimes) }, queries: rows };
}
