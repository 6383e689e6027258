// Issue 23.1: a whole-database copy (the backup before an import, before moving the catalog, a
// manual backup) finishes in bounded time however busily other processes write. SQLite's online
// backup restarts whenever another connection writes between its steps; a writer busier than the
// copy is long starved it for ever. Real parts: an AI app in processes of its own (a client and the
// built products server it starts, over stdio), the host API, SQLite files.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { backupDatabases } from '../../electron/core/services/data-backup.js';
import { sqliteCatalog } from '../../servers/products/sqlite/catalog.js';
import { runImport, tidyAfterBulk } from '../../servers/products/import.js';
import { openProductsDb } from '../../servers/products/sqlite/catalog.js';
import { snapshotDatabase } from '../../servers/shared/snapshot.js';
import { startAiWriter } from '../helpers/ai-writer.js';
import { startHost } from '../helpers/host.js';
import { tempDir } from '../helpers/servers.js';

const hosts: Host[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

/** Fails with the message if the promise has not settled after `ms` (the old copy never did). */
function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const rowsOf = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    sku: `BIG-${from + i}`,
    name: `Big catalog product ${from + i}`,
    description: `A thing of the big catalog, number ${from + i}, with a description long enough to fill pages`,
    price: (i % 500) + 0.25,
    category: `Category ${i % 40}`,
    stock: i % 70,
  }));

/** A products file in a data folder holding `n` products besides the five first-run ones. */
async function bigCatalog(dataDir: string, n: number) {
  const db = openProductsDb(path.join(dataDir, 'products.db'));
  await runImport(sqliteCatalog(db), rowsOf(n), { file: 'seed.csv', actor: { source: 'import', client: 'test' } });
  return db;
}

const csvOf = (n: number) =>
  ['sku,name,price,category,stock', ...Array.from({ length: n }, (_, i) => `NEW-${i},New product ${i},${(i % 90) + 1},New,${i % 9}`)].join(
    '\n',
  );

describe('whole-database copies on a busy catalog', () => {
  it('a backup (as before moving the catalog) finishes while another process writes every 10 ms; the copy is whole and consistent', async () => {
    const dataDir = tempDir();
    const db = await bigCatalog(dataDir, 100_000);
    const writer = await startAiWriter(dataDir, 10);
    const progress: Array<{ done: number; total: number }> = [];
    let backup: { folder: string; files: string[] };
    let report;
    try {
      backup = await within(
        backupDatabases(dataDir, { products: db }, 'before-copy-from-shared', (p) => progress.push(p)),
        60_000,
        'the backup did not finish in 60 s while another process kept writing',
      );
    } finally {
      report = await writer.stop();
    }
    expect(report.errors).toEqual([]);
    expect(report.writes).toBeGreaterThan(3);
    expect(progress.length).toBeGreaterThan(2); // announced page by page, not all at the end
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    expect(fs.readdirSync(backup.folder)).toEqual(['products.db']); // one whole file: no -journal beside it
    const copy = new Database(backup.files[0]!, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM products').pluck().get()).toBe(100_005);
    } finally {
      copy.close();
    }
    db.close();
  }, 120_000);

  it('a copy that cannot finish by its deadline gives up, says what it was copying, and leaves no partial file', async () => {
    const dataDir = tempDir();
    const db = await bigCatalog(dataDir, 20_000);
    const dest = path.join(dataDir, 'copy.db');
    await expect(snapshotDatabase(db, dest, { what: 'the catalog', deadlineMs: 0 })).rejects.toThrow(
      /^Gave up backing up the catalog after 0 s: [\d,]+ of [\d,]+ pages were copied.*Nothing was changed\.$/,
    );
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.existsSync(`${dest}-journal`)).toBe(false);
    db.close();
  });

  it('an import into a 100k catalog finishes while an AI app writes every 20 ms from its own process; every write succeeds; the window hears the backup step', async () => {
    const h = await startHost({ autostart: false });
    hosts.push(h);
    (await bigCatalog(h.dataDir, 100_000)).close();
    const events: HostEvent[] = [];
    h.on('event', (e: HostEvent) => events.push(e));
    const writer = await startAiWriter(h.dataDir, 20);
    let result;
    let report;
    try {
      const preview = await h.api.previewImport({ csv: csvOf(5_000), file: 'more.csv' });
      result = await within(
        h.api.commitImport({ token: preview.token }),
        90_000,
        'the import did not finish in 90 s while an AI app kept writing',
      );
    } finally {
      report = await writer.stop();
    }
    expect(result).toMatchObject({ added: 5_000, cancelled: false });
    expect({ errors: report.errors, slowest: Math.round(Math.max(...report.waits)) }).toMatchObject({ errors: [] });
    expect(report.writes).toBeGreaterThan(3);
    const phases = events.flatMap((e) => (e.type === 'import-progress' ? [e] : []));
    const backup = phases.filter((e) => e.phase === 'backup');
    expect(backup.length).toBeGreaterThan(1);
    expect(backup.at(-1)!.done).toBe(backup.at(-1)!.total);
    // The backup step comes before the rows are written.
    expect(phases.findIndex((e) => e.phase === 'writing')).toBeGreaterThan(phases.findIndex((e) => e.phase === 'backup'));
    expect((await h.api.listProducts({})).total).toBe(105_005);
  }, 180_000);
});

describe('upkeep on a busy catalog', () => {
  it("the search index's tidy-up after an import ends while an AI app keeps editing (each edit adds a small segment of its own)", async () => {
    const dataDir = tempDir();
    const db = openProductsDb(path.join(dataDir, 'products.db'));
    const catalog = sqliteCatalog(db);
    // Written a chunk at a time, the index is left in many large segments, as an import leaves it.
    await runImport(catalog, rowsOf(30_000), { file: 'seed.csv', actor: { source: 'import', client: 'test' }, chunk: 500 });
    while (await catalog.indexStep());
    expect(await catalog.needsTidy()).toBe(true);
    const writer = await startAiWriter(dataDir, 20);
    let report;
    try {
      await within(tidyAfterBulk(catalog), 60_000, 'the tidy-up did not end in 60 s while an AI app kept editing');
    } finally {
      report = await writer.stop();
    }
    expect(report.errors).toEqual([]);
    expect(await catalog.needsTidy()).toBe(false); // the large segments are one
    expect(db.prepare(`INSERT INTO products_search (products_search) VALUES ('integrity-check')`).run().changes).toBeGreaterThanOrEqual(0);
    db.close();
  }, 120_000);
});
