// Issue 10, goals 1, 2 and 6: a file import is written in short transactions, so AI writes from
// other processes go through while it runs, and nothing is lost either way; it can be cancelled
// mid-way (nothing changes), undone later as one unit (the catalog as it was), and one a crash
// interrupted is taken back at the next start. Real parts: the host API, SQLite files, the built
// products server as a child process over stdio.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent, Product } from '../../electron/core/contract.js';
import { CatalogService } from '../../electron/core/services/catalog.js';
import { runImport, tidyAfterBulk } from '../../servers/products/import.js';
import { openProductsDb, sqliteCatalog } from '../../servers/products/sqlite/catalog.js';
import { dataFiles } from '../../servers/shared/datadir.js';
import type { Db } from '../../servers/shared/db.js';
import { defaultSettings } from '../../servers/shared/settings-schema.js';
import { startHost } from '../helpers/host.js';
import { call, connect, tempDir, text, until, type Connected } from '../helpers/servers.js';

const hosts: Host[] = [];
const clients: Connected[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

/** The app's catalog service over the products file in a folder. */
const openService = (file: string) => CatalogService.open(dataFiles(path.dirname(file)), defaultSettings());

async function host(): Promise<Host> {
  const h = await startHost({ autostart: false });
  hosts.push(h);
  return h;
}

/** A CSV of n products; every 7th has no SKU (a new product each time), every 5th no description. */
function csvOf(n: number, from = 0, price = (i: number) => (i % 900) + 0.5): string {
  const lines = ['sku,name,description,price,category,stock'];
  for (let i = from; i < from + n; i++) {
    lines.push(
      `${i % 7 === 0 ? '' : `IMP-${i}`},Imported ${i},${i % 5 === 0 ? '' : `Thing number ${i}`},${price(i)},${['Tools', 'tools', 'Garden'][i % 3]},${i % 40}`,
    );
  }
  return lines.join('\n');
}

/** Every product, in id order: what "the catalog" means when comparing before and after. */
async function everything(h: Host): Promise<Product[]> {
  const all: Product[] = [];
  for (;;) {
    const { rows } = await h.api.listProducts({ sort: 'id', limit: 1000, offset: all.length });
    all.push(...rows);
    if (rows.length < 1000) return all;
  }
}
const content = (ps: Product[]) => ps.map(({ updated_at: _u, ...rest }) => rest);

describe('file imports', () => {
  it('runs beside AI writes from two server processes: every write succeeds, nothing is lost, the history is complete', async () => {
    const h = await host();
    const a = await connect('products', h.dataDir, { clientName: 'claude-ai' });
    const b = await connect('products', h.dataDir, { clientName: 'cursor' });
    clients.push(a, b);
    const before = (await h.api.listProducts({})).total;
    const preview = await h.api.previewImport({ csv: csvOf(20_000), file: 'big.csv' });
    const progress: number[] = [];
    h.on('event', (e: HostEvent) => {
      if (e.type === 'import-progress' && e.token === preview.token) progress.push(e.done);
    });
    const importing = h.api.commitImport({ token: preview.token });
    // Both servers keep adding products while the import runs.
    const writes: Array<Promise<{ client: string; ok: boolean; text: string }>> = [];
    let importDone = false;
    void importing.finally(() => (importDone = true));
    for (let i = 0; !importDone || i < 10; i++) {
      for (const [name, c] of [
        ['a', a],
        ['b', b],
      ] as const) {
        writes.push(
          call(c.client, 'add_product', { name: `AI ${name} ${i}`, price: 1, category: 'During import' }).then((r) => ({
            client: name,
            ok: !r.isError,
            text: text(r),
          })),
        );
      }
      await Promise.all(writes.slice(-2));
    }
    const result = await importing;
    const answers = await Promise.all(writes);
    expect(answers.filter((w) => !w.ok)).toEqual([]);
    expect(progress.length).toBeGreaterThan(2); // written in several transactions, announced after each
    expect(progress.at(-1)).toBe(20_000);
    expect(result).toMatchObject({ added: 20_000, updated: 0, unchanged: 0, cancelled: false });
    const total = (await h.api.listProducts({})).total;
    expect(total).toBe(before + 20_000 + answers.length);
    expect((await h.api.listProducts({ category: 'During import' })).total).toBe(answers.length);
    // The history: one change per imported row, tagged with the import; one per AI write.
    const db = openProductsDb(path.join(h.dataDir, 'products.db'));
    try {
      const count = (sql: string, ...p: unknown[]) =>
        db
          .prepare(sql)
          .pluck()
          .get(...p) as number;
      expect(count('SELECT count(*) FROM changes WHERE import_id = ?', result.importId)).toBe(20_000);
      expect(count(`SELECT count(*) FROM changes WHERE source = 'mcp' AND action = 'create'`)).toBe(answers.length);
      // … and some of those AI writes landed between the import's own transactions, not after them.
      const between = `SELECT count(*) FROM changes WHERE source = 'mcp' AND id BETWEEN (SELECT min(id) FROM changes WHERE import_id = ?)
        AND (SELECT max(id) FROM changes WHERE import_id = ?)`;
      expect(count(between, result.importId, result.importId)).toBeGreaterThan(0);
      // Categories keep the first spelling, as adding one by hand does.
      expect(count(`SELECT count(DISTINCT category) FROM products WHERE name LIKE 'Imported %'`)).toBe(2);
    } finally {
      db.close();
    }
    expect((await h.api.listImports({}))[0]).toMatchObject({ id: result.importId, file: 'big.csv', status: 'done', added: 20_000 });
  }, 120_000);

  it('cancelled mid-way: the catalog and its history are exactly as before', async () => {
    const h = await host();
    await h.api.createProduct({ name: 'Already here', price: 3, category: 'Tools', sku: 'IMP-3' });
    const before = await everything(h);
    const history = await h.api.listChanges({ limit: 500 });
    const preview = await h.api.previewImport({ csv: csvOf(30_000), file: 'cancel-me.csv' });
    let cancelAsked = false;
    h.on('event', (e: HostEvent) => {
      if (e.type === 'import-progress' && e.phase === 'writing' && e.done > 0 && !cancelAsked) {
        cancelAsked = true;
        void h.api.cancelImport({ token: preview.token });
      }
    });
    const result = await h.api.commitImport({ token: preview.token });
    expect(cancelAsked).toBe(true);
    expect(result.cancelled).toBe(true);
    expect(await everything(h)).toEqual(before);
    expect(await h.api.listChanges({ limit: 500 })).toEqual(history);
    expect((await h.api.listImports({}))[0]).toMatchObject({ id: result.importId, status: 'cancelled' });
  }, 120_000);

  it('undone as one unit: every product back as it was, each revert in the history', async () => {
    const h = await host();
    await h.api.createProduct({ name: 'Kept description', price: 3, category: 'Tools', sku: 'IMP-10', description: 'Mine', stock: 4 });
    const first = await h.api.previewImport({ csv: csvOf(3_000) });
    await h.api.commitImport({ token: first.token });
    const before = await everything(h);
    // Re-import: half the prices change, more rows arrive; IMP-10 has no description in the file.
    const second = await h.api.previewImport({ csv: csvOf(4_000, 0, (i) => (i % 2 ? i + 1 : (i % 900) + 0.5)) });
    const r = await h.api.commitImport({ token: second.token });
    expect(r.updated).toBeGreaterThan(1000);
    expect(r.added).toBeGreaterThan(1000);
    const kept = (await h.api.listProducts({ search: 'IMP-10' })).rows.find((p) => p.sku === 'IMP-10');
    expect(kept?.description).toBe('Mine'); // a column left empty keeps the value
    const undone = await h.api.undoImport({ id: r.importId });
    expect(undone.status).toBe('undone');
    expect(content(await everything(h))).toEqual(content(before));
    const reverts = (await h.api.listChanges({ limit: 500 })).filter((c) => c.revertOf !== null);
    expect(reverts.length).toBe(500);
    await expect(h.api.undoImport({ id: r.importId })).rejects.toThrow(/already undone/);
  }, 120_000);

  it('the search index is put in order after an import, in the background (or at the next start, if a quit cut it short); searches find the same', async () => {
    const segments = (db: Db) => db.prepare('SELECT count(DISTINCT segid) FROM products_search_idx').pluck().get() as number;
    const searches = ['oak', 'steel', 'bulk 1999', 'bulk 77 ', 'ste'];
    // Written a chunk at a time, the trigram index is left in many segments that every search reads.
    const fragmented = async () => {
      const file = path.join(tempDir(), 'products.db');
      const db = openProductsDb(file);
      const catalog = sqliteCatalog(db);
      const rows = Array.from({ length: 20_000 }, (_, i) => ({
        name: `Bulk ${i} ${['oak', 'steel'][i % 2]}`,
        price: 1,
        category: 'Bulk',
        stock: i % 9,
      }));
      await runImport(catalog, rows, { file: 'bulk.csv', actor: { source: 'import', client: 'test' }, chunk: 500 });
      expect(segments(db)).toBeGreaterThan(1);
      expect(await catalog.needsTidy()).toBe(true);
      return { file, db, catalog, before: await Promise.all(searches.map((search) => catalog.list({ search, limit: 50, sort: 'name' }))) };
    };
    const a = await fragmented();
    await tidyAfterBulk(a.catalog);
    expect(segments(a.db)).toBe(1);
    expect(await a.catalog.needsTidy()).toBe(false);
    expect(await a.catalog.tidyStep()).toBe(false); // nothing left to do
    expect(await Promise.all(searches.map((search) => a.catalog.list({ search, limit: 50, sort: 'name' })))).toEqual(a.before);
    // Everyday edits add only small segments: no tidy-up at every start for them.
    for (let i = 0; i < 300; i++) await a.catalog.add({ name: `Edit ${i}`, price: 1, category: 'Bulk' }, { source: 'app', client: 'test' });
    expect(segments(a.db)).toBeGreaterThan(1);
    expect(await a.catalog.needsTidy()).toBe(false);
    a.db.close();

    // The app's catalog service: after its own import…
    const file = path.join(tempDir(), 'products.db');
    openProductsDb(file).close();
    const service = await openService(file);
    const preview = await service.previewImport({ csv: csvOf(20_000) });
    await service.commitImport(preview.token, false, undefined);
    await until(() => segments(service.db!) === 1, 'the index in one segment after the import', 30_000);
    await service.close();
    // …and at a start, for an index left untidy (the CLI's import exits before it is done, a quit stops it).
    const b = await fragmented();
    b.db.close();
    const started = await openService(b.file);
    await until(() => segments(started.db!) === 1, 'the index in one segment after a start', 30_000);
    expect(await Promise.all(searches.map((search) => started.store.list({ search, limit: 50, sort: 'name' })))).toEqual(b.before);
    await started.close();
  }, 120_000);

  it("a quit right after an import still puts the import's products in the search index first (the servers Claude uses stay fast)", async () => {
    const file = path.join(tempDir(), 'products.db');
    openProductsDb(file).close();
    const service = await openService(file);
    const preview = await service.previewImport({ csv: csvOf(12_000) });
    await service.commitImport(preview.token, false, undefined);
    await service.close();
    const db = openProductsDb(file);
    expect(db.prepare('SELECT count(*) FROM search_backlog').pluck().get()).toBe(0);
    db.exec(`INSERT INTO products_search (products_search, rank) VALUES ('integrity-check', 1)`);
    expect((await sqliteCatalog(db).list({ search: 'imported 11999' })).total).toBe(1);
    db.close();
  });

  it('refuses to undo an import whose products were changed since, naming them; the catalog is untouched', async () => {
    const h = await host();
    const p = await h.api.previewImport({ csv: csvOf(50) });
    const r = await h.api.commitImport({ token: p.token });
    const target = (await h.api.listProducts({ search: 'Imported 12' })).rows[0]!;
    await h.api.updateProduct({ id: target.id, patch: { price: 999 } });
    const before = await everything(h);
    await expect(h.api.undoImport({ id: r.importId })).rejects.toThrow(
      new RegExp(`1 of its products was changed or removed since \\(Imported 12 \\(${target.id}\\)\\)`),
    );
    expect(await everything(h)).toEqual(before);
  });

  it("an import another process is still writing is left alone by a second start (the CLI while the app imports); a dead writer's is rolled back", async () => {
    const file = path.join(tempDir(), 'products.db');
    const app = await openService(file);
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ name: `Row ${i}`, price: 1, category: 'X' }));
    let opening: Promise<CatalogService> | undefined;
    let recoveredBySecond = -1;
    const done = await runImport(app.store, rows, {
      file: 'long.csv',
      actor: { source: 'import', client: 'MCP Tray' },
      chunk: 500,
      onProgress: (p) => {
        if (opening || p.done === 0) return;
        opening = openService(file); // meanwhile, `mcp-tray status` starts on the same data folder
        void opening.then((s) => s.recovered.then((n) => (recoveredBySecond = n)));
      },
    });
    const second = await opening;
    try {
      expect(second).toBeDefined();
      expect(await second!.recovered).toBe(0);
      expect(recoveredBySecond).toBe(0);
      expect(done).toMatchObject({ added: 20_000, cancelled: false });
      expect(await app.store.importRecord(done.importId)).toMatchObject({ status: 'done' });
      // A writer that is gone: a process that has exited, on this computer.
      const gone = spawnSync(process.execPath, ['-e', '']).pid!;
      const id = await app.store.beginImport('orphan.csv', 1, { source: 'import', client: 'MCP Tray' });
      await app.store.importChunk(id, [{ name: 'Orphan', price: 1, category: 'X' }], { source: 'import', client: 'MCP Tray' });
      const owner = app.db!.prepare('UPDATE imports SET owner = ? WHERE id = ?');
      owner.run(`${os.hostname()}:${process.ppid}`, id); // a live process (this test's parent) is its writer: left alone
      const fourth = await openService(file);
      expect(await fourth.recovered).toBe(0);
      await fourth.close();
      owner.run(`${os.hostname()}:${gone}`, id);
      const third = await openService(file);
      try {
        expect(await third.recovered).toBe(1);
        expect((await third.store.list({ search: 'Orphan' })).total).toBe(0);
      } finally {
        await third.close();
      }
    } finally {
      await second?.close();
      await app.close();
    }
  });

  it('an import a crash interrupted is taken back when MCP Tray starts again', async () => {
    const file = path.join(tempDir(), 'products.db');
    const store = sqliteCatalog(openProductsDb(file));
    const before = (await store.list({ limit: 100 })).rows;
    const id = await store.beginImport('crash.csv', 4, { source: 'import', client: 'MCP Tray' });
    await store.importChunk(
      id,
      [
        { name: 'Half', price: 1, category: 'X' },
        { name: 'Written', price: 2, category: 'X', sku: 'SKU-000001' },
      ],
      {
        source: 'import',
        client: 'MCP Tray',
      },
    );
    expect(await store.count()).toBe(before.length + 1);
    store.local.db.close(); // the process is gone: the import stays "running"
    const catalog = await openService(file);
    try {
      expect(await catalog.recovered).toBe(1);
      expect((await catalog.store.list({ limit: 100 })).rows).toEqual(before);
      expect((await catalog.imports())[0]).toMatchObject({ id, status: 'cancelled' });
    } finally {
      await catalog.close();
    }
  });
});
