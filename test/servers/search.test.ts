// Issue 10, goal 4: search finds everything. Any query of any length — one character, two, emoji,
// combining marks, CJK — searches name, SKU, description and category, and the results are exactly
// those of a plain case-insensitive substring scan (property-tested against one).
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openProductsDb, PRODUCTS_MIGRATIONS, sqliteCatalog } from '../../servers/products/sqlite/catalog.js';
import type { Catalog } from '../../servers/products/catalog.js';
import type { Actor } from '../../servers/products/schema.js';
import { revertImport, runImport, tidyAfterBulk } from '../../servers/products/import.js';
import { openDatabase } from '../../servers/shared/db.js';
import { call, connect, tempDir } from '../helpers/servers.js';
import { matches, queriesFor, randomProducts, rng } from '../helpers/search-cases.js';

const app: Actor = { source: 'app', client: 'MCP Tray' };

async function catalog(seed: number, count: number) {
  const dir = tempDir();
  const db = openProductsDb(path.join(dir, 'products.db'), { seed: false });
  const store = sqliteCatalog(db);
  const r = rng(seed);
  for (const p of randomProducts(r, count)) await store.add(p, app);
  return { db, store, r };
}

/** Every search of queriesFor (the first `limit`) finds exactly what a substring scan finds; how many were checked. */
async function sameAsScan(store: Catalog, r: () => number, limit = Infinity): Promise<number> {
  const all = (await store.list({ limit: 100_000 })).rows;
  const queries = queriesFor(r, all).slice(0, limit);
  for (const q of queries) {
    const got = (await store.list({ search: q, limit: 100_000 })).rows.map((p) => p.id).sort((a, b) => a - b);
    const want = all
      .filter((p) => matches(p, q))
      .map((p) => p.id)
      .sort((a, b) => a - b);
    expect({ q, got }).toEqual({ q, got: want });
  }
  return queries.length;
}

describe('search finds everything', () => {
  it('equals a case-insensitive substring scan of all four fields, for 1,500 queries of every length and script', async () => {
    const { store, r } = await catalog(20261128, 400);
    expect(await sameAsScan(store, r)).toBeGreaterThan(1400);
  });

  it("an import's new products are found before the search index has them (their text is read) and after; edits and an undo meanwhile keep the index exact", async () => {
    const { db, store, r } = await catalog(11, 150);
    const waiting = () => db.prepare('SELECT count(*) FROM search_backlog').pluck().get() as number;
    // FTS5 compares the index with the products it was built from: throws if they differ at all.
    const indexExact = () => db.exec(`INSERT INTO products_search (products_search, rank) VALUES ('integrity-check', 1)`);
    const catalogOf = sqliteCatalog(db);
    const actor: Actor = { source: 'import', client: 'test' };
    // Some SKUs repeat the first 150 products' (updated, indexed at once); the rest are new.
    const first = await runImport(catalogOf, randomProducts(r, 400), { file: 'a.csv', actor, chunk: 64 });
    expect(first.added).toBeGreaterThan(200);
    expect(first.updated).toBeGreaterThan(0);
    expect(waiting()).toBe(first.added);
    await sameAsScan(store, r, 400);
    // Changed while waiting: renamed (found by the new name only), removed, and one added by hand.
    const newest = (await store.list({ sort: 'id', order: 'desc', limit: 3 })).rows;
    await store.update(newest[0]!.id, { name: 'Renamed while waiting' }, app);
    await store.remove(newest[1]!.id, app);
    await store.add({ name: 'Added meanwhile', price: 1, category: 'Hand' }, app);
    expect(waiting()).toBe(first.added - 1);
    expect((await store.list({ search: 'renamed while' })).rows.map((p) => p.id)).toEqual([newest[0]!.id]);
    await sameAsScan(store, r, 400);
    await tidyAfterBulk(catalogOf);
    expect(waiting()).toBe(0);
    indexExact();
    await sameAsScan(store, r, 400);
    expect((await store.list({ search: 'renamed while' })).rows.map((p) => p.id)).toEqual([newest[0]!.id]);
    // An import undone before its products were indexed takes them out of the waiting list too.
    const second = await runImport(catalogOf, randomProducts(r, 300), { file: 'b.csv', actor, chunk: 64 });
    expect(waiting()).toBe(second.added);
    await revertImport(catalogOf, second.importId, 'undo', app);
    expect(waiting()).toBe(0);
    indexExact();
    await sameAsScan(store, r, 400);
  });

  it('the cases that used to miss: "🎉🎉" in a name, 2 characters in a description, a mark, CJK', async () => {
    const { store } = await catalog(1, 0);
    const party = await store.add({ name: 'Party pack 🎉🎉', price: 5, category: 'Fun' }, app);
    const desc = await store.add({ name: 'Plain', price: 5, category: 'Misc', description: 'Waterproof to 10 m, ok for qi' }, app);
    const cafe = await store.add({ name: 'Cafe\u0301 au lait', price: 3, category: 'Drinks' }, app);
    const jp = await store.add({ name: '抹茶ラテ', price: 4, category: '飲み物' }, app);
    const ids = async (search: string) => (await store.list({ search })).rows.map((p) => p.id);
    expect(await ids('🎉🎉')).toEqual([party.id]);
    expect(await ids('🎉')).toEqual([party.id]);
    expect(await ids('qi')).toEqual([desc.id]);
    expect(await ids('OK')).toEqual([desc.id]);
    expect(await ids('e\u0301')).toEqual([cafe.id]);
    expect(await ids('É'.normalize('NFD'))).toEqual([cafe.id]);
    expect(await ids('抹')).toEqual([jp.id]);
    expect(await ids('飲み')).toEqual([jp.id]);
    expect(await ids('%')).toEqual([]); // a LIKE wildcard is just a character
    await expect(async () => await store.list({ search: 'a\tb' })).rejects.toThrow('search must not contain control characters');
  });

  it('a common word (thousands of hits): the same page and total by either route', async () => {
    const { store } = await catalog(3, 0);
    const at = new Date().toISOString();
    const lamps = Array.from({ length: 2600 }, (_, n) => n + 1).map((i) => ({
      name: `${i % 2 ? 'Desk' : 'Floor'} lamp ${i}`,
      price: 10,
      category: i % 3 ? 'Lighting' : 'Lamps & more',
      description: at.slice(0, 4),
    }));
    await store.upsertMany(lamps, app);
    const all = (await store.list({ limit: 100_000 })).rows;
    for (const search of ['lamp', 'LAMP 1', 'desk lamp', 'amps &']) {
      const want = all.filter((p) => matches(p, search));
      const page = await store.list({ search, limit: 50, sort: 'name' });
      expect({ search, total: page.total }).toEqual({ search, total: want.length });
      expect(page.rows.map((p) => p.id)).toEqual(
        (await store.list({ limit: 100_000, sort: 'name' })).rows
          .filter((p) => matches(p, search))
          .slice(0, 50)
          .map((p) => p.id),
      );
    }
  });

  it('a search repeated after another process changed the catalog from few hits to many (and back) is answered afresh', async () => {
    const { db, store } = await catalog(4, 0);
    for (let i = 1; i <= 5; i++) await store.add({ name: `Rare gizmo ${i}`, price: 1, category: 'X' }, app);
    const first = await store.list({ search: 'gizmo', limit: 10 });
    expect(first.total).toBe(5);
    expect(await store.list({ search: 'gizmo', limit: 10 })).toEqual(first); // the same search again: the kept count
    // Another connection (a server process) adds thousands of them: the count kept for "few" is stale.
    const other = new Database(db.name);
    const at = new Date().toISOString();
    other.transaction(() => {
      const ins = other.prepare(
        `INSERT INTO products (sku, name, description, price_cents, category, stock, created_at, updated_at, search_text) VALUES (?, ?, '', 100, 'X', 1, ?, ?, ?)`,
      );
      for (let i = 6; i <= 2600; i++)
        ins.run(`G-${i}`, `Common gizmo ${i}`, at, at, [`common gizmo ${i}`, `g-${i}`, '', 'x'].join('\u001f'));
    })();
    const many = await store.list({ search: 'gizmo', limit: 10, sort: 'name' });
    expect(many.total).toBe(2600);
    expect(many.rows.map((p) => p.name)).toEqual(
      (await store.list({ limit: 100_000, sort: 'name' })).rows
        .filter((p) => matches(p, 'gizmo'))
        .slice(0, 10)
        .map((p) => p.name),
    );
    expect(await store.list({ search: 'gizmo', limit: 10, sort: 'name' })).toEqual(many);
    other.exec(`DELETE FROM products WHERE name LIKE 'Common gizmo%'`);
    other.close();
    expect((await store.list({ search: 'gizmo', limit: 10 })).total).toBe(5);
  });

  it('follows edits: a renamed product is found by its new name and not by its old one', async () => {
    const { store } = await catalog(2, 0);
    const p = await store.add({ name: 'Old name', price: 1, category: 'X' }, app);
    await store.update(p.id, { name: 'Brand new', description: 'zq' }, app);
    expect((await store.list({ search: 'old' })).rows).toEqual([]);
    expect((await store.list({ search: 'BRAND' })).rows.map((x) => x.id)).toEqual([p.id]);
    expect((await store.list({ search: 'zq' })).rows.map((x) => x.id)).toEqual([p.id]);
    await store.remove(p.id, app);
    expect((await store.list({ search: 'brand' })).rows).toEqual([]);
  });

  it('a catalog from the previous version is searchable after the upgrade (migration 2)', async () => {
    const file = path.join(tempDir(), 'products.db');
    const old = openDatabase(file, { migrations: PRODUCTS_MIGRATIONS.slice(0, 1) });
    old
      .prepare(
        `INSERT INTO products (sku, name, description, price_cents, category, stock, created_at, updated_at) VALUES ('A-1', 'Ünïcode Ñame', 'déscription 🎉🎉', 100, 'Cat', 1, 'x', 'x')`,
      )
      .run();
    old.close();
    const store = sqliteCatalog(openProductsDb(file));
    expect((await store.list({ search: 'ñame' })).rows.map((p) => p.sku)).toEqual(['A-1']);
    expect((await store.list({ search: '🎉🎉' })).rows.map((p) => p.sku)).toEqual(['A-1']);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(PRODUCTS_MIGRATIONS.length);
    raw.close();
  });

  it('through the MCP tool too (query_products), with paging over the same results', async () => {
    const dir = tempDir();
    const c = await connect('products', dir);
    try {
      await call(c.client, 'add_product', { name: 'Lanterne 🎉🎉', price: 12, category: 'Outdoor', description: 'ok' });
      const r = await call(c.client, 'query_products', { search: '🎉🎉' });
      expect((r.structuredContent as { products: Array<{ name: string }> }).products.map((p) => p.name)).toEqual(['Lanterne 🎉🎉']);
      const two = await call(c.client, 'query_products', { search: 'ok' });
      expect((two.structuredContent as { total: number }).total).toBe(1);
    } finally {
      await c.close();
    }
  });
});
