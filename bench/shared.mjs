// A team's shared catalog on PostgreSQL next to the catalog in the SQLite file, in one run: the
// same 100,000 products, query_products over stdio, a 100k import through the app's catalog
// service (COPY on PostgreSQL), and how soon a change made by one install reaches a client of another.
import path from 'node:path';

import { buildCatalog, N, queryFor } from './catalog.mjs';
import { startProducts as startServer } from './servers.mjs';
import { loadEntry } from './bundle.mjs';
import { csvOf, timedImport } from './import.mjs';

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const startProducts = async (root, tmp, dir) => (await startServer({ root, tmp, dir })).client;

const QUERIES = {
  'filters (category + price + in stock, sorted)': queryFor,
  'search: a word': (i) => ({ search: ['blue', 'steel', 'handmade', 'recycled', 'compact'][i % 5], limit: 20 }),
  'search: a SKU': (i) => ({ search: `b-${(i * 104729) % N}`, limit: 20 }),
};

async function queryTimes(client) {
  const out = {};
  for (const [label, make] of Object.entries(QUERIES)) {
    for (let i = 0; i < 50; i++) await client.callTool({ name: 'query_products', arguments: make(i) });
    const times = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      const r = await client.callTool({ name: 'query_products', arguments: make(i) });
      times.push(performance.now() - t);
      if (r.isError) throw new Error(JSON.stringify(r.content));
    }
    out[label] = { p50: pct(times, 50), p99: pct(times, 99) };
  }
  return out;
}

export async function run({ root, tmp }) {
  console.log(`\n## A shared catalog on PostgreSQL next to this computer's SQLite file (${N.toLocaleString('en')} products)`);
  const mod = await loadEntry(root, 'shared-entry');
  const pg = await mod.startPostgres();
  try {
    const local = path.join(tmp, 'shared-local');
    await buildCatalog(root, local);
    const shared = path.join(tmp, 'shared-pg');
    const url = await pg.createDatabase();
    await mod.sharedDataDir(pg, shared, { url, seed: false });
    // The move itself: every product (and the history) copied up, as Settings → "copy" does.
    const open = (dir) => mod.openCatalog(mod.dataFiles(dir), mod.readSettingsFile(mod.dataFiles(dir).settings).settings);
    const [from, to] = await Promise.all([open(local), open(shared)]);
    const t0 = performance.now();
    const copied = await mod.copyCatalog(from, to);
    const copyMs = performance.now() - t0;
    await Promise.all([from.close(), to.close()]);
    console.log(`copying the catalog up: ${copied.products.toLocaleString('en')} products in ${ms(copyMs)}`);

    const rows = {};
    for (const [engine, dir] of [
      ['SQLite', local],
      ['PostgreSQL', shared],
    ]) {
      const client = await startProducts(root, tmp, dir);
      rows[engine] = await queryTimes(client);
      await client.close();
    }
    console.log('query_products over stdio, page of 20:');
    for (const label of Object.keys(QUERIES)) {
      const a = rows.SQLite[label];
      const b = rows.PostgreSQL[label];
      console.log(
        `  ${label.padEnd(46)} SQLite p50 ${ms(a.p50).padStart(8)}  PostgreSQL p50 ${ms(b.p50).padStart(8)} (p99 ${ms(b.p99)})  ${(b.p50 / a.p50).toFixed(1)}×`,
      );
    }

    // A 100k import through the app's catalog service, on each engine (PostgreSQL writes with COPY).
    const imports = {};
    for (const [engine, dir] of [
      ['SQLite', path.join(tmp, 'shared-import-local')],
      ['PostgreSQL', path.join(tmp, 'shared-import-pg')],
    ]) {
      if (engine === 'PostgreSQL') await mod.sharedDataDir(pg, dir, { seed: false });
      const r = await timedImport(mod, dir, csvOf(100_000));
      if (r.result.added !== 100_000) throw new Error(`${engine} import: ${JSON.stringify(r.result)}`);
      imports[engine] = { previewMs: r.previewMs, commitMs: r.commitMs, totalMs: r.totalMs };
    }
    console.log(
      `import of 100,000 rows (preview + commit): SQLite ${ms(imports.SQLite.totalMs)}  PostgreSQL ${ms(imports.PostgreSQL.totalMs)} (commit ${ms(imports.PostgreSQL.commitMs)})  ${(imports.PostgreSQL.totalMs / imports.SQLite.totalMs).toFixed(2)}×`,
    );

    // Two installs on one database: a change made through one reaches a client subscribed through the other.
    const second = path.join(tmp, 'shared-second');
    await mod.sharedDataDir(pg, second, { url, seed: false });
    const writer = await startProducts(root, tmp, shared);
    const watcher = await startProducts(root, tmp, second);
    let told = () => {};
    watcher.setNotificationHandler('notifications/resources/updated', () => told());
    await watcher.subscribeResource({ uri: 'db://products/all' });
    const lat = [];
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 37 + ((i * 53) % 200)));
      const seen = new Promise((r) => (told = r));
      const t = performance.now();
      await writer.callTool({ name: 'update_stock', arguments: { product_id: 1 + i, new_stock: i } });
      await seen;
      lat.push(performance.now() - t);
    }
    await Promise.all([writer.close(), watcher.close()]);
    const live = { p50: pct(lat, 50), p99: pct(lat, 99) };
    console.log(
      `a change in one install → the other install's subscribed client: p50 ${ms(live.p50)}  p99 ${ms(live.p99)} (the write's own round trip included; target ≤ 1 s)`,
    );
    return { copyMs, queries: rows, imports, live };
  } finally {
    await pg.close();
  }
}
