import type { Statement } from 'better-sqlite3';
import { immediate, nowIso, type Db } from '../shared/db.js';
import { processTag, taggedProcess } from '../shared/process.js';
import { StoreError } from '../shared/errors.js';
import {
  type Actor,
  type ChangeAction,
  type ChangeRecord,
  type ImportRecord,
  type NewProduct,
  type Product,
  type ProductPage,
  type ProductPatch,
  type ProductQuery,
  type SortField,
} from './schema.js';

export type { Actor, ChangeAction, ChangeRecord };

import { TABLE_COLUMNS, type CatalogStats, type CatalogTable, type ProductFilters, type ProductStorage } from './storage.js';
import { BulkWriter, type ChunkResult } from './bulk.js';
import {
  assertGone,
  assertSkuFree,
  changeOrigin,
  changesAfter,
  conflictMessage,
  noSuchProduct,
  stampAfter,
  staleMessage,
  undoableChange,
  undoConflictMessage,
} from './history.js';

export type { ProductFilters, ProductStorage };

export { StoreError };
export { PRODUCTS_MIGRATIONS, SEED_PRODUCTS, openProductsDb, type OpenProductsOptions } from './migrations.js';
export { toCents } from './rows.js';
import {
  SAME_FIELDS,
  SORT_SQL,
  checkedSearch,
  nextCursor,
  queryStart,
  sameContent,
  searchText,
  skuFor,
  toCents,
  toChange,
  toProduct,
  withRandomEnding,
  type Row,
} from './rows.js';

/** A trigram phrase: the needle as one quoted string. */
const phrase = (needle: string) => `"${needle.replace(/"/g, '""')}"`;
/** Above this many index hits, a page is found faster by walking the sort order than from the hits. */
const MANY_HITS = 2000;
/** Products an import added put into the search index per step (indexStep): about 80 ms of work. */
const INDEX_STEP = 5000;

/**
 * The catalog. Every write is one short BEGIN IMMEDIATE transaction that also records the change,
 * so the product row and its history entry are committed together or not at all.
 */
export class ProductStore implements ProductStorage {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  private readonly bulk: BulkWriter;
  /** Which computer and account this process's changes come from (the history names it). */
  private readonly origin = changeOrigin();

  constructor(readonly db: Db) {
    this.bulk = new BulkWriter(db, this.origin);
  }

  /**
   * A write: one BEGIN IMMEDIATE transaction, refused (nothing written) once the catalog has moved to
   * a shared database: a server that has not yet followed the move must not write here, where
   * nobody would see it again.
   */
  private write<T>(fn: () => T): T {
    return immediate(this.db, () => {
      const movedTo = this.stmt(`SELECT value FROM catalog_meta WHERE key = 'moved_to'`).pluck().get() as string | undefined;
      if (movedTo !== undefined) {
        throw new StoreError(
          `The catalog has moved to the shared database at ${movedTo}; nothing was changed. Try again in a moment: MCP Tray is switching over.`,
          'unavailable',
        );
      }
      return fn();
    });
  }

  private stmt(sql: string) {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  get(id: number): Product | undefined {
    const row = this.stmt('SELECT * FROM products WHERE id = ?').get(id) as Row | undefined;
    return row && toProduct(row);
  }

  getBySku(sku: string): Product | undefined {
    const row = this.stmt('SELECT * FROM products WHERE sku = ?').get(sku) as Row | undefined;
    return row && toProduct(row);
  }

  /** How many of these SKUs (compared without regard to case, as the column does) are in the catalog. */
  countExistingSkus(skus: readonly string[]): number {
    return this.stmt('SELECT count(*) FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM products p WHERE p.sku = j.value)')
      .pluck()
      .get(JSON.stringify(skus)) as number;
  }

  require(id: number): Product {
    const p = this.get(id);
    if (!p) throw noSuchProduct(id);
    return p;
  }

  count(): number {
    return this.stmt('SELECT count(*) FROM products').pluck().get() as number;
  }

  /**
   * The WHERE clause for a set of filters, parameterised: `sql` for the page, and `count` for the
   * total: the FROM … to count (it differs only in how a text search is answered), or the number
   * itself when the search already fetched every hit.
   */
  private filter(q: ProductFilters): { sql: string; params: unknown[]; count: number | { sql: string; params: unknown[] } } {
    const where: string[] = [];
    const params: unknown[] = [];
    const needle = checkedSearch(q);
    if (q.min_price !== undefined) {
      where.push('price_cents >= ?');
      params.push(toCents(q.min_price));
    }
    if (q.max_price !== undefined) {
      where.push('price_cents <= ?');
      params.push(toCents(q.max_price));
    }
    if (q.category !== undefined && q.category !== '') {
      where.push('category = ?');
      params.push(q.category);
    }
    if (q.in_stock === true) where.push('stock > 0');
    if (q.in_stock === false) where.push('stock = 0');
    if (q.low_stock_below !== undefined) {
      where.push('stock < ?');
      params.push(q.low_stock_below);
    }
    const clause = (extra: string[]) => (where.length + extra.length ? `WHERE ${[...where, ...extra].join(' AND ')}` : '');
    if (!needle) return { sql: clause([]), params, count: { sql: `FROM products ${clause([])}`, params } };
    // Exactly a case-insensitive substring test of each field (rows.ts, searchText), whatever the length.
    const scan = { sql: clause(['instr(search_text, ?) > 0']), params: [...params, needle] };
    // Under three characters the trigram index cannot help; and while products an import added are
    // waiting for it (indexStep), it would miss them: then the text itself is read.
    if ([...needle].length < 3 || this.indexBehind()) return { ...scan, count: { sql: `FROM products ${scan.sql}`, params: scan.params } };
    // Three characters or more: the trigram index (over the same folded text, case-sensitive) finds
    // exactly the rows that contain it. Few hits: their ids are fetched once and both the page and
    // the total come from them. Many (a common word): the page comes faster from walking the sort
    // order and stopping at a page; the total from the index, without visiting the products.
    // Which of the two is known without asking when this text was searched for since the catalog
    // last changed (paging through results, the same search again): its count of hits is kept.
    const everyHit = { sql: 'FROM products_search WHERE products_search MATCH ?', params: [phrase(needle)] };
    if ((this.knownTotal(everyHit) ?? 0) < MANY_HITS) {
      const ids = this.stmt('SELECT rowid FROM products_search WHERE products_search MATCH ? LIMIT ?')
        .pluck()
        .all(phrase(needle), MANY_HITS) as number[];
      if (ids.length < MANY_HITS) {
        this.keepTotal(everyHit, ids.length);
        const hits = { sql: clause(['id IN (SELECT value FROM json_each(?))']), params: [...params, JSON.stringify(ids)] };
        return where.length === 0
          ? { ...hits, count: ids.length }
          : { ...hits, count: { sql: `FROM products ${hits.sql}`, params: hits.params } };
      }
    }
    const fts = clause(['id IN (SELECT rowid FROM products_search WHERE products_search MATCH ?)']);
    const count = where.length === 0 ? everyHit : { sql: `FROM products ${fts}`, params: [...params, phrase(needle)] };
    return { ...scan, count };
  }

  /**
   * Totals are the costly part of a page (every match is counted, not just a page of them), and
   * paging through results or repeating a search asks for the same one again: the last few are kept
   * until anything changes the catalog (another connection's commit moves data_version, this
   * connection's own writes total_changes()).
   */
  private readonly totals = new Map<string, number>();
  private totalsStamp = '';

  private total(count: number | { sql: string; params: unknown[] }): number {
    if (typeof count === 'number') return count;
    let n = this.knownTotal(count);
    if (n === undefined) {
      n = this.stmt(`SELECT count(*) ${count.sql}`)
        .pluck()
        .get(...count.params) as number;
      this.keepTotal(count, n);
    }
    return n;
  }

  /** A total counted since the catalog last changed, if there is one. */
  private knownTotal(count: { sql: string; params: unknown[] }): number | undefined {
    const stamp = `${this.stmt('PRAGMA data_version').pluck().get() as number}:${this.stmt('SELECT total_changes()').pluck().get() as number}`;
    if (stamp !== this.totalsStamp) {
      this.totals.clear();
      this.totalsStamp = stamp;
    }
    return this.totals.get(JSON.stringify(count));
  }

  /** Keeps a total just counted (call knownTotal first: it drops totals from before a change). */
  private keepTotal(count: { sql: string; params: unknown[] }, n: number): void {
    if (this.totals.size >= 64) this.totals.delete(this.totals.keys().next().value!);
    this.totals.set(JSON.stringify(count), n);
  }

  /** One page by offset (the app's grid scrolls to any row) with the total count. */
  list(q: ProductFilters & { sort?: SortField; order?: 'asc' | 'desc'; offset?: number; limit?: number }): {
    rows: Product[];
    total: number;
  } {
    const { sql, params, count } = this.filter(q);
    const sort = SORT_SQL[q.sort ?? 'name']!;
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const rows = this.stmt(`SELECT * FROM products ${sql} ORDER BY ${sort} ${dir}, id ${dir} LIMIT ? OFFSET ?`).all(
      ...params,
      q.limit ?? 100,
      q.offset ?? 0,
    ) as Row[];
    const total = this.total(count);
    return { rows: rows.map(toProduct), total };
  }

  /**
   * Every product matching the filters, in id order, a batch at a time (exports, copying a catalog).
   * Each batch is a finished query, so the connection is free between them for other callers.
   */
  *iterate(q: ProductFilters = {}): Generator<Product> {
    const { sql, params } = this.filter(q);
    const batch = this.stmt(`SELECT * FROM products ${sql ? `${sql} AND` : 'WHERE'} id > ? ORDER BY id LIMIT 2000`);
    for (let after = 0; ;) {
      const rows = batch.all(...params, after) as Row[];
      for (const row of rows) yield toProduct(row);
      if (rows.length < 2000) return;
      after = rows.at(-1)!.id;
    }
  }

  /** A page for the query_products tool, with an opaque cursor bound to the query it came from. */
  query(q: ProductQuery): ProductPage {
    const start = queryStart(q);
    const { rows, total } = this.list({ ...q, offset: start.offset, limit: start.limit });
    return { products: rows, total, next_cursor: nextCursor(start, rows.length, total) };
  }

  categories(): Array<{ name: string; count: number; inStock: number }> {
    return this.stmt(
      `SELECT category AS name, count(*) AS count, sum(stock > 0) AS inStock FROM products GROUP BY category ORDER BY category`,
    ).all() as Array<{ name: string; count: number; inStock: number }>;
  }

  /**
   * Just the category names, by walking the category index one distinct value at a time (a seek
   * per category, not a scan of every product): cheap enough to run after every change.
   */
  categoryNames(): string[] {
    return this.stmt(
      `WITH RECURSIVE c(name) AS (
         SELECT min(category) FROM products
         UNION ALL
         SELECT (SELECT min(category) FROM products WHERE category > c.name) FROM c WHERE c.name IS NOT NULL
       )
       SELECT name FROM c WHERE name IS NOT NULL`,
    )
      .pluck()
      .all() as string[];
  }

  /** The canonical spelling of a category if one exists ("electronics" → "Electronics"). */
  canonicalCategory(category: string): string | undefined {
    return this.stmt('SELECT category FROM products WHERE category = ? LIMIT 1').pluck().get(category) as string | undefined;
  }

  stats(lowStockBelow = 10): CatalogStats {
    return this.stmt(
      `SELECT count(*) AS products, coalesce(sum(stock), 0) AS units, coalesce(sum(stock = 0), 0) AS soldOut,
              coalesce(sum(stock > 0 AND stock < ?), 0) AS lowStock, coalesce(sum(price_cents * stock), 0) / 100.0 AS stockValue,
              count(DISTINCT category) AS categories
       FROM products`,
    ).get(lowStockBelow) as CatalogStats;
  }

  add(input: NewProduct, actor: Actor): Product {
    return this.write(() => this.insertRow(input, actor));
  }

  private insertRow(input: NewProduct, actor: Actor): Product {
    if (input.sku !== undefined) this.assertSkuFree(input.sku);
    const id = ((this.stmt(`SELECT seq FROM sqlite_sequence WHERE name = 'products'`).pluck().get() as number | undefined) ?? 0) + 1;
    let sku = input.sku ?? skuFor(id);
    if (input.sku === undefined && this.getBySku(sku)) sku = withRandomEnding(sku);
    const at = nowIso();
    const category = this.canonicalCategory(input.category) ?? input.category;
    this.writeInsert({
      id,
      sku,
      name: input.name,
      description: input.description ?? '',
      price: input.price,
      category,
      stock: input.stock ?? 0,
      created_at: at,
    });
    const after = this.require(id);
    this.record(actor, 'create', null, after);
    return after;
  }

  /* The three row writes, shared by add/update/remove, CSV import and undo (which writes back what a change replaced). */
  private writeInsert(p: Pick<Product, 'id' | 'sku' | 'name' | 'description' | 'price' | 'category' | 'stock' | 'created_at'>): void {
    this.stmt(
      `INSERT INTO products (id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.id, p.sku, p.name, p.description, toCents(p.price), p.category, p.stock, p.created_at, nowIso(), searchText(p));
  }

  /** `previous`: the product's updated_at before this write (the new one is always later). */
  private writeUpdate(
    id: number,
    p: Pick<Product, 'sku' | 'name' | 'description' | 'price' | 'category' | 'stock'>,
    previous: string,
  ): void {
    this.stmt(
      `UPDATE products SET sku = ?, name = ?, description = ?, price_cents = ?, category = ?, stock = ?, updated_at = ?, search_text = ? WHERE id = ?`,
    ).run(p.sku, p.name, p.description, toCents(p.price), p.category, p.stock, stampAfter(previous), searchText(p), id);
  }

  private writeDelete(id: number): void {
    this.stmt('DELETE FROM products WHERE id = ?').run(id);
  }

  private assertSkuFree(sku: string, exceptId?: number): void {
    assertSkuFree(sku, this.getBySku(sku), exceptId);
  }

  update(
    id: number,
    patch: ProductPatch,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): { product: Product; before: Product; changed: boolean } {
    return this.write(() => this.updateRow(id, patch, actor, expectedUpdatedAt));
  }

  private updateRow(
    id: number,
    patch: ProductPatch,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): { product: Product; before: Product; changed: boolean } {
    const before = this.require(id);
    if (expectedUpdatedAt !== undefined && before.updated_at !== expectedUpdatedAt) {
      throw new StoreError(staleMessage(before, this.changesSince(id, expectedUpdatedAt)), 'conflict');
    }
    if (patch.sku !== undefined) this.assertSkuFree(patch.sku, id);
    const category = patch.category === undefined ? before.category : (this.canonicalCategory(patch.category) ?? patch.category);
    const next = {
      sku: patch.sku ?? before.sku,
      name: patch.name ?? before.name,
      description: patch.description ?? before.description,
      price: patch.price ?? before.price,
      category,
      stock: patch.stock ?? before.stock,
    };
    if (SAME_FIELDS.every((k) => next[k] === before[k])) return { product: before, before, changed: false };
    this.writeUpdate(id, next, before.updated_at);
    const after = this.require(id);
    this.record(actor, 'update', before, after);
    return { product: after, before, changed: true };
  }

  setStock(
    id: number,
    stock: number,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): { product: Product; previousStock: number; changed: boolean } {
    return this.write(() => {
      const previousStock = this.require(id).stock;
      const { product, changed } = this.updateRow(id, { stock }, actor, expectedUpdatedAt);
      return { product, previousStock, changed };
    });
  }

  remove(id: number, actor: Actor): Product {
    return this.write(() => this.deleteRow(id, actor));
  }

  private deleteRow(id: number, actor: Actor): Product {
    const before = this.require(id);
    this.writeDelete(id);
    this.record(actor, 'delete', before, null);
    return before;
  }

  /**
   * Adds or updates many products in one transaction: rows with a SKU that exists update that
   * product, the rest are added. All or nothing. (A file import goes through runImport instead:
   * short transactions, progress, cancel, undone as one unit.)
   */
  upsertMany(rows: readonly NewProduct[], actor: Actor): ChunkResult {
    return this.write(() => this.bulk.apply(rows, actor, null));
  }

  // File imports (bulk.ts; driven by runImport in import.ts).
  beginImport(file: string, rows: number, actor: Actor): number {
    // While the import writes: the WAL is copied back every 64 MB instead of every 4 MB, and this
    // connection keeps 64 MB of pages (the indexes of a large catalog) instead of 4 MB; both are
    // put back when it ends (endBulk).
    this.db.pragma('wal_autocheckpoint = 16384');
    this.db.pragma('cache_size = -65536');
    return this.write(() => this.bulk.begin(file, rows, actor));
  }

  private endBulk(): void {
    this.db.pragma('cache_size = -4000');
    this.db.pragma('wal_autocheckpoint = 1000');
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  importChunk(importId: number, rows: readonly NewProduct[], actor: Actor): ChunkResult {
    return this.write(() => this.bulk.apply(rows, actor, importId));
  }

  finishImport(importId: number): ImportRecord {
    const done = immediate(this.db, () => this.bulk.finish(importId));
    this.endBulk();
    return done;
  }

  revertImportChunk(importId: number, mode: 'cancel' | 'undo', actor: Actor, below: number, limit: number) {
    return immediate(this.db, () => this.bulk.revert(importId, mode, actor, below, limit));
  }

  closeImport(importId: number, status: 'cancelled' | 'undone'): ImportRecord {
    const closed = immediate(this.db, () => this.bulk.close(importId, status));
    this.endBulk();
    return closed;
  }

  /** Before undoing a whole import: it finished, and nothing it wrote was changed by anyone since. */
  checkImportUndo(importId: number): ImportRecord {
    const rec = this.bulk.requireDone(importId);
    const { count, examples } = this.bulk.conflicts(importId);
    if (count > 0) throw new StoreError(conflictMessage(rec, count, examples), 'conflict');
    return rec;
  }

  imports(limit?: number): ImportRecord[] {
    return this.bulk.list(limit);
  }

  importRecord(importId: number): ImportRecord | undefined {
    return this.bulk.get(importId);
  }

  unfinishedImports(): Array<{ id: number; owner: string }> {
    return this.bulk.unfinished();
  }

  /** Where this catalog lives (the database file): imports in progress are tracked per catalog. */
  get location(): string {
    return this.db.name;
  }

  isEmpty(): boolean {
    return (
      (this.stmt('SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM changes) AND NOT EXISTS (SELECT 1 FROM imports)')
        .pluck()
        .get() as number) === 1
    );
  }

  tableCount(table: CatalogTable): number {
    return this.stmt(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  tableRows(table: CatalogTable, afterId: number, limit: number): Array<Record<string, unknown>> {
    return this.stmt(`SELECT ${TABLE_COLUMNS[table].join(', ')} FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(
      afterId,
      limit,
    ) as Array<Record<string, unknown>>;
  }

  loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): void {
    const cols = TABLE_COLUMNS[table];
    // One statement for the batch (not one per row: the search index's triggers then flush once).
    immediate(this.db, () =>
      this.stmt(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map((c) => `value ->> '${c}'`).join(', ')} FROM json_each(?)`).run(
        JSON.stringify(rows),
      ),
    );
  }

  /**
   * Marks this file's catalog as moved to a shared database (every write here is then refused), by
   * this process, now (so a start elsewhere can tell a move under way from one that stopped), or as
   * in use again (null).
   */
  markMoved(where: string | null): void {
    immediate(this.db, () => {
      if (where === null) this.db.prepare(`DELETE FROM catalog_meta WHERE key IN ('moved_to', 'moved_by', 'moved_at')`).run();
      else
        this.db
          .prepare(`INSERT OR REPLACE INTO catalog_meta (key, value) VALUES ('moved_to', ?), ('moved_by', ?), ('moved_at', ?)`)
          .run(where, processTag(), nowIso());
    });
  }

  /**
   * At a start with the catalog on this computer: clears a "moved" mark left by a move that did not
   * finish (MCP Tray stopped between marking the file and saving the settings). A mark whose mover
   * still runs stays: that move is under way, and its switch-over relies on the file refusing writes.
   * One older than an hour is stale whoever holds its process id now (a move takes seconds to
   * minutes; process ids are reused).
   */
  clearStaleMove(): void {
    const meta = new Map(
      (
        this.stmt(`SELECT key, value FROM catalog_meta WHERE key IN ('moved_to', 'moved_by', 'moved_at')`).all() as Array<{
          key: string;
          value: string;
        }>
      ).map((r) => [r.key, r.value]),
    );
    if (!meta.has('moved_to')) return; // (the usual case: no write transaction at every start)
    const by = meta.get('moved_by');
    const at = Date.parse(meta.get('moved_at') ?? '');
    if (by !== undefined && taggedProcess(by) === 'running' && Date.now() - at < 3_600_000) return;
    this.markMoved(null);
  }

  analyze(): void {
    this.db.exec('ANALYZE products');
  }

  /**
   * One bounded step of putting the search index in order after a bulk change. An import writes the
   * trigram index a chunk at a time, leaving it in many segments that every search then reads (100k
   * products: a product number's search 0.8 ms, 0.2 ms once merged). Each step merges up to ~500
   * pages in its own short write transaction (here at most 80 ms after a 100k import, ~300 ms after
   * a 300k one), so others get the lock in between.
   * True while there is more to do (FTS5: a merge that did no work changes fewer than two rows).
   */
  /**
   * One bounded step (~500 pages) of merging the index's large segments into one; false once they are
   * one (or no two are left on one level). Merges go level by level ('usermerge' 2, a positive
   * 'merge'): the small segment every edit adds stays out of them. A negative 'merge' takes every
   * segment in, so with an AI app editing every moment it started over on the whole index at each
   * step, never ended, and grew the file without bound.
   */
  tidyStep(): boolean {
    return immediate(this.db, () => {
      if (!this.largeSegmentsSplit()) return false;
      this.stmt(`INSERT INTO products_search (products_search, rank) VALUES ('usermerge', 2)`).run();
      const before = this.stmt('SELECT total_changes()').pluck().get() as number;
      this.stmt(`INSERT INTO products_search (products_search, rank) VALUES ('merge', 500)`).run();
      return (this.stmt('SELECT total_changes()').pluck().get() as number) - before >= 2 && this.largeSegmentsSplit();
    });
  }

  /**
   * More than one large index segment (over 64 leaf pages): what bulk writes leave. Single edits
   * only add small ones, which cost searches little and FTS5 merges by itself. Or products an import
   * added that are not in the search index yet.
   */
  needsTidy(): boolean {
    return this.indexBehind() || this.largeSegmentsSplit();
  }

  private largeSegmentsSplit(): boolean {
    return (
      (this.stmt('SELECT count(*) FROM (SELECT segid FROM products_search_idx GROUP BY segid HAVING max(pgno) > 64)')
        .pluck()
        .get() as number) > 1
    );
  }

  /** Whether products an import added are waiting to be put in the search index (migrations.ts, search_backlog). */
  private indexBehind(): boolean {
    return this.stmt('SELECT EXISTS (SELECT 1 FROM search_backlog)').pluck().get() === 1;
  }

  /**
   * One bounded step of putting the products an import added into the search index: up to
   * INDEX_STEP of them (about 80 ms) in a short write transaction. True while more are waiting.
   */
  indexStep(): boolean {
    return immediate(this.db, () => {
      const last = this.stmt('SELECT max(id) FROM (SELECT id FROM search_backlog ORDER BY id LIMIT ?)').pluck().get(INDEX_STEP) as
        number | null;
      if (last === null) return false;
      this.stmt(
        'INSERT INTO products_search (rowid, search_text) SELECT p.id, p.search_text FROM search_backlog b JOIN products p ON p.id = b.id WHERE b.id <= ?',
      ).run(last);
      this.stmt('DELETE FROM search_backlog WHERE id <= ?').run(last);
      return this.indexBehind();
    });
  }

  clear(): void {
    immediate(this.db, () => this.db.exec('DELETE FROM changes; DELETE FROM products; DELETE FROM imports;'));
  }

  private record(actor: Actor, action: ChangeAction, before: Product | null, after: Product | null, revertOf?: number): number {
    const product = (after ?? before)!;
    const info = this.stmt(
      `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, revert_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      nowIso(),
      actor.source,
      actor.client,
      actor.tool ?? null,
      this.origin,
      action,
      product.id,
      product.name,
      before ? JSON.stringify(before) : null,
      after ? JSON.stringify(after) : null,
      revertOf ?? null,
    );
    return Number(info.lastInsertRowid);
  }

  changes(opts: { source?: Actor['source']; limit?: number; beforeId?: number; productId?: number } = {}): ChangeRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.source) {
      where.push('source = ?');
      params.push(opts.source);
    }
    if (opts.beforeId !== undefined) {
      where.push('id < ?');
      params.push(opts.beforeId);
    }
    if (opts.productId !== undefined) {
      where.push('product_id = ?');
      params.push(opts.productId);
    }
    const rows = this.stmt(`SELECT * FROM changes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(
      ...params,
      Math.min(Math.max(opts.limit ?? 50, 1), 500),
    ) as Array<Record<string, unknown>>;
    return rows.map(toChange);
  }

  /** A product's changes recorded after a time (what made an edit stale, or an undo impossible). */
  private changesSince(productId: number, since: string): ChangeRecord[] {
    const rows = this.stmt('SELECT * FROM changes WHERE product_id = ? AND at >= ? ORDER BY id LIMIT 20').all(productId, since) as Array<
      Record<string, unknown>
    >;
    return changesAfter(rows.map(toChange), since);
  }

  change(id: number): ChangeRecord | undefined {
    const row = this.stmt('SELECT * FROM changes WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row && toChange(row);
  }

  /**
   * Reverts one recorded change, if the product is still as that change left it. A product edited
   * again since then is a conflict: the later change has to be undone first, so nothing is lost.
   */
  undo(changeId: number, actor: Actor): { change: ChangeRecord; product: Product | null } {
    return this.write(() => {
      const change = undoableChange(changeId, this.change(changeId));
      const current = this.get(change.productId) ?? null;
      let product: Product | null;
      let revertId: number;
      if (change.action === 'create' || change.action === 'update') {
        if (!current || !sameContent(current, change.after!)) {
          throw new StoreError(
            undoConflictMessage(change, current, this.changesSince(change.productId, change.after?.updated_at ?? change.at)),
            'conflict',
          );
        }
        if (change.action === 'create') {
          this.writeDelete(current.id);
          revertId = this.record(actor, 'delete', current, null, changeId);
          product = null;
        } else {
          const b = change.before!;
          this.assertSkuFree(b.sku, b.id);
          this.writeUpdate(b.id, b, current.updated_at);
          product = this.require(b.id);
          revertId = this.record(actor, 'update', current, product, changeId);
        }
      } else {
        assertGone(change.productId, current);
        const b = change.before!;
        this.assertSkuFree(b.sku);
        this.writeInsert(b);
        product = this.require(b.id);
        revertId = this.record(actor, 'create', null, product, changeId);
      }
      this.stmt('UPDATE changes SET undone_at = ?, undone_by = ? WHERE id = ?').run(nowIso(), revertId, changeId);
      return { change: this.change(changeId)!, product };
    });
  }
}
