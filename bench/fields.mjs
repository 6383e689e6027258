// The catalog's own fields at 100,000 products (issue 25): adding a field to a full catalog (its
// index is built over every product) while an AI client keeps writing, and query_products with
// `where` over stdio, side by side with the same page filtered by a built-in column, on the SQLite
// file and on a shared PostgreSQL catalog.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildCatalog, N } from './catalog.mjs';
import { startProducts } from './servers.mjs';
import { loadEntry } from './bundle.mjs';

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
  // An AI client (the products server over stdio, its own process) changing stock all along: how
  // long its writes wait while each field is added (the add holds the write lock to build the index).
  const { client } = await startProducts({ root, tmp, dir, env: {} });
  const addTimes = [];
  const writeWaits = [];
  for (const [label, type] of FIELDS) {
    let adding = true;
    const writer = (async () => {
      for (let i = 0; adding; i++) {
        const t = performance.now();
        const r = await client.callTool({ name: 'update_stock', arguments: { product_id: 1 + ((i * 7919) % N), new_stock: i % 500 } });
        writeWaits.push(performance.now() - t);
        if (r.isError) throw new Error(JSON.stringify(r.content));
      }
    })();
    const t = performance.now();
    await promisify(execFile)(process.execPath, [cli, 'catalog', 'fields', 'add', label, '--type', type, '--data-dir', dir]);
    addTimes.push(performance.now() - t);
    adding = false;
    await writer;
  }
  console.log(
    `adding a field (the CLI, a process each, its index built over ${N.toLocaleString('en')} products): median ${ms(pct(addTimes, 50))}, slowest ${ms(Math.max(...addTimes))}   (target ≤ 1 s)`,
  );
  console.log(
    `an AI client's stock changes meanwhile (${writeWaits.length} of them): p50 ${ms(pct(writeWaits, 50))}, longest ${ms(Math.max(...writeWaits))}   (target: never locked out > 2 s)`,
  );

  const measure = async (client, label, args) => {
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
  const queries = async (client) => ({
    numberRange: await measure(client, 'where: a number range (weight_kg 1–1.5)', (i) => ({
      where: { weight_kg: { min: 1 + (i % 5) / 10, max: 1.5 + (i % 5) / 10 } },
    })),
    textValue: await measure(client, "where: a text value (supplier = 'Supplier n')", (i) => ({
      where: { supplier: `Supplier ${i % 300}` },
    })),
    yesNo: await measure(client, 'where: yes/no and a number range', (i) => ({
      where: { organic: i % 2 === 0, width_cm: { min: i % 100, max: (i % 100) + 5 } },
    })),
    builtIn: await measure(client, 'beside it: a built-in range (price)', (i) => ({ min_price: 10 + (i % 5), max_price: 15 + (i % 5) })),
  });
  console.log('SQLite:');
  const sqlite = await queries(client);
  await client.close();

  // The same catalog copied to a shared PostgreSQL database (as Settings → "copy" does; the fields'
  // indexes are built there after the copy), queried the same way.
  const mod = await loadEntry(root, 'shared-entry');
  const pg = await mod.startPostgres();
  let postgres;
  try {
    const shared = path.join(tmp, 'fields-pg');
    await mod.sharedDataDir(pg, shared, { url: await pg.createDatabase(), seed: false });
    const open = (d) => mod.openCatalog(mod.dataFiles(d), mod.readSettingsFile(mod.dataFiles(d).settings).settings);
    const [from, to] = await Promise.all([open(dir), open(shared)]);
    await mod.copyCatalog(from, to);
    await Promise.all([from.close(), to.close()]);
    const server = await startProducts({ root, tmp, dir: shared, env: {} });
    console.log('PostgreSQL:');
    postgres = await queries(server.client);
    await server.client.close();
  } finally {
    await pg.close();
  }
  console.log('targets: where on a number field p50 ≤ 5 ms (SQLite), ≤ 10 ms (PostgreSQL) at 100k');
  return {
    addFieldMs: { median: pct(addTimes, 50), max: Math.max(...addTimes) },
    aiWritesWhileAdding: { count: writeWaits.length, p50: pct(writeWaits, 50), max: Math.max(...writeWaits) },
    sqlite,
    postgres,
  };
}
