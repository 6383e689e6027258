/**
 * Reading the catalog in a SQLite file: filters, pages and totals, text search through the trigram
 * index, categories, the change history and the import journal. Every statement is prepared once
 * per connection.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../shared/db.js';
import { SORT_SQL, checkedSearch, toCents, toChange, toImport, toProduct, type Row } from '../rows.js';
import type { ChangeRecord, ImportRecord, Product } from '../schema.js';
import type { EngineReader } from '../domain/engine.js';
import { fieldExpression, type FieldValue } from '../fields.js';
import type { CatalogStats, CategoryCount, ChangesQuery, ListQuery, ProductFilters } from '../domain/roles.js';

/** A trigram phrase: the needle as one quoted string. */
const phrase = (needle: string) => `"${needle.replace(/"/g, '""')}"`;
/** Above this many index hits, a page is found faster by walking the sort order than from the hits. */
const MANY_HITS = 2000;

type Count = number | { sql: string; params: unknown[] };

export class SqliteReader implements EngineReader {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(readonly db: Db) {}

  protected stmt(sql: string): Statement<unknown[]> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  protected getNow(id: number): Product | undefined {
    const row = this.stmt('SELECT * FROM products WHERE id = ?').get(id) as Row | undefined;
    return row && toProduct(row);
  }

  async get(id: number): Promise<Product | undefined> {
    return this.getNow(id);
  }

  async getBySku(sku: string): Promise<Product | undefined> {
    const row = this.stmt('SELECT * FROM products WHERE sku = ?').get(sku) as Row | undefined;
    return row && toProduct(row);
  }

  async countExistingSkus(skus: readonly string[]): Promise<number> {
    return this.stmt('SELECT count(*) FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM products p WHERE p.sku = j.value)')
      .pluck()
      .get(JSON.stringify(skus)) as number;
  }

  async count(): Promise<number> {
    return this.stmt('SELECT count(*) FROM products').pluck().get() as number;
  }

  /** Whether products an import added are waiting to be put in the search index (migrations.ts, search_backlog). */
  protected indexBehind(): boolean {
    return this.stmt('SELECT EXISTS (SELECT 1 FROM search_backlog)').pluck().get() === 1;
  }

  /**
   * The WHERE clause for a set of filters, parameterised: `sql` for the page, and `count` for the
   * total: the FROM … to count (it differs only in how a text search is answered), or the number
   * itself when the search already fetched every hit.
   */
  private filter(q: ProductFilters): { sql: string; params: unknown[]; count: Count } {
    const where: string[] = [];
    const params: unknown[] = [];
    const needle = checkedSearch(q);
    const add = (sql: string, value?: unknown) => {
      where.push(sql);
      if (value !== undefined) params.push(value);
    };
    if (q.min_price !== undefined) add('price_cents >= ?', toCents(q.min_price));
    if (q.max_price !== undefined) add('price_cents <= ?', toCents(q.max_price));
    if (q.category !== undefined && q.category !== '') add('category = ?', q.category);
    if (q.in_stock === true) add('stock > 0');
    if (q.in_stock === false) add('stock = 0');
    if (q.low_stock_below !== undefined) add('stock < ?', q.low_stock_below);
    // ->> gives a JSON number as a number and true/false as 1/0, so they compare as such.
    // The same expression as each field's index (fieldExpression); ->> gives a JSON number as a
    // number and true/false as 1/0, so they compare as such.
    for (const c of q.conditions ?? []) {
      const field = fieldExpression('sqlite', c.key, c.numeric);
      const v = (x: FieldValue) => (typeof x === 'boolean' ? Number(x) : x);
      if ('eq' in c) add(`${field} = ?`, v(c.eq));
      if ('min' in c && c.min !== undefined) add(`${field} >= ?`, v(c.min));
      if ('max' in c && c.max !== undefined) add(`${field} <= ?`, v(c.max));
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

  private total(count: Count): number {
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

  async list(q: ListQuery): Promise<{ rows: Product[]; total: number }> {
    const { sql, params, count } = this.filter(q);
    const sort = SORT_SQL[q.sort ?? 'name']!;
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const rows = this.stmt(`SELECT * FROM products ${sql} ORDER BY ${sort} ${dir}, id ${dir} LIMIT ? OFFSET ?`).all(
      ...params,
      q.limit ?? 100,
      q.offset ?? 0,
    ) as Row[];
    return { rows: rows.map(toProduct), total: this.total(count) };
  }

  /** A batch at a time: each batch is a finished query, so the connection is free between them for other callers. */
  async *iterate(q: ProductFilters = {}): AsyncGenerator<Product> {
    const { sql, params } = this.filter(q);
    const batch = this.stmt(`SELECT * FROM products ${sql ? `${sql} AND` : 'WHERE'} id > ? ORDER BY id LIMIT 2000`);
    for (let after = 0; ;) {
      const rows = batch.all(...params, after) as Row[];
      for (const row of rows) yield toProduct(row);
      if (rows.length < 2000) return;
      after = rows.at(-1)!.id;
    }
  }

  async categories(): Promise<CategoryCount[]> {
    return this.stmt(
      `SELECT category AS name, count(*) AS count, sum(stock > 0) AS inStock FROM products GROUP BY category ORDER BY category`,
    ).all() as CategoryCount[];
  }

  /** Walks the category index one distinct value at a time (a seek per category, not a scan of every product). */
  async categoryNames(): Promise<string[]> {
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

  async canonicalCategory(category: string): Promise<string | undefined> {
    return this.stmt('SELECT category FROM products WHERE category = ? LIMIT 1').pluck().get(category) as string | undefined;
  }

  async stats(lowStockBelow = 10): Promise<CatalogStats> {
    return this.stmt(
      `SELECT count(*) AS products, coalesce(sum(stock), 0) AS units, coalesce(sum(stock = 0), 0) AS soldOut,
              coalesce(sum(stock > 0 AND stock < ?), 0) AS lowStock, coalesce(sum(price_cents * stock), 0) / 100.0 AS stockValue,
              count(DISTINCT category) AS categories
       FROM products`,
    ).get(lowStockBelow) as CatalogStats;
  }

  // The change history and the import journal

  async changes(opts: ChangesQuery = {}): Promise<ChangeRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      where.push(sql);
      params.push(v);
    };
    if (typeof opts.source === 'string') add('source = ?', opts.source);
    else if (opts.source) add('source IN (SELECT value FROM json_each(?))', JSON.stringify(opts.source));
    if (opts.beforeId !== undefined) add('id < ?', opts.beforeId);
    if (opts.productId !== undefined) add('product_id = ?', opts.productId);
    const rows = this.stmt(`SELECT * FROM changes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(
      ...params,
      Math.min(Math.max(opts.limit ?? 50, 1), 500),
    ) as Array<Record<string, unknown>>;
    return rows.map(toChange);
  }

  protected changeNow(id: number): ChangeRecord | undefined {
    const row = this.stmt('SELECT * FROM changes WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row && toChange(row);
  }

  async change(id: number): Promise<ChangeRecord | undefined> {
    return this.changeNow(id);
  }

  protected importNow(importId: number): ImportRecord | undefined {
    const r = this.stmt('SELECT * FROM imports WHERE id = ?').get(importId) as Record<string, unknown> | undefined;
    return r && toImport(r);
  }

  async importRecord(importId: number): Promise<ImportRecord | undefined> {
    return this.importNow(importId);
  }

  async imports(limit = 20): Promise<ImportRecord[]> {
    return (this.stmt('SELECT * FROM imports ORDER BY id DESC LIMIT ?').all(limit) as Array<Record<string, unknown>>).map(toImport);
  }

  /** Imports not finished (yet): being written by a live process, or left by one that stopped or crashed. */
  async unfinishedImports(): Promise<Array<{ id: number; owner: string }>> {
    return this.stmt(`SELECT id, owner FROM imports WHERE status = 'running' ORDER BY id`).all() as Array<{ id: number; owner: string }>;
  }
}
