/**
 * Reading a shared catalog on PostgreSQL: the same filters, sort orders, search and totals as the
 * SQLite file (sqlite/reads.ts) in PostgreSQL's words: mcp_nocase() where SQLite says NOCASE, the
 * trigram index (pg_trgm) over the same folded search_text.
 */
import { checkedSearch, toCents, toChange, toImport, toProduct, type Row } from '../rows.js';
import type { ChangeRecord, ImportRecord, Product, SortField } from '../schema.js';
import type { EngineReader } from '../domain/engine.js';
import { fieldExpression, type FieldValue } from '../fields.js';
import type { CatalogStats, CategoryCount, ChangesQuery, ListQuery, ProductFilters } from '../domain/roles.js';
import type { PgPool } from './pool.js';

const SORT_PG: Record<SortField, string> = {
  name: 'mcp_nocase(name) COLLATE "C"',
  price: 'price_cents',
  stock: 'stock',
  category: 'mcp_nocase(category) COLLATE "C"',
  updated_at: 'updated_at COLLATE "C"',
  id: 'id',
};

/** A LIKE pattern that matches the text anywhere, with LIKE's own characters taken literally. */
const containing = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How the catalog already spells a category (compared by ASCII case), if it has it. */
export const CATEGORY_SPELLING = 'SELECT category FROM products WHERE mcp_nocase(category) = mcp_nocase($1) LIMIT 1';

export class PgReader implements EngineReader {
  constructor(protected readonly db: PgPool) {}

  async get(id: number): Promise<Product | undefined> {
    const [row] = await this.db.read<Row>('SELECT * FROM products WHERE id = $1', [id]);
    return row && toProduct(row);
  }

  async getBySku(sku: string): Promise<Product | undefined> {
    const [row] = await this.db.read<Row>('SELECT * FROM products WHERE mcp_nocase(sku) = mcp_nocase($1)', [sku]);
    return row && toProduct(row);
  }

  async countExistingSkus(skus: readonly string[]): Promise<number> {
    const [r] = await this.db.read<{ n: number }>(
      `SELECT count(*) AS n FROM products WHERE mcp_nocase(sku) IN (SELECT mcp_nocase(s) FROM unnest($1::text[]) s)`,
      [skus],
    );
    return r!.n;
  }

  async count(): Promise<number> {
    const [r] = await this.db.read<{ n: number }>('SELECT count(*) AS n FROM products');
    return r!.n;
  }

  private filter(q: ProductFilters, params: unknown[]): string {
    const needle = checkedSearch(q);
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.min_price !== undefined) add('price_cents >= ?', toCents(q.min_price));
    if (q.max_price !== undefined) add('price_cents <= ?', toCents(q.max_price));
    if (q.category !== undefined && q.category !== '') add('mcp_nocase(category) = mcp_nocase(?)', q.category);
    if (q.in_stock === true) where.push('stock > 0');
    if (q.in_stock === false) where.push('stock = 0');
    if (q.low_stock_below !== undefined) add('stock < ?', q.low_stock_below);
    // The same expression as each field's index (fieldExpression).
    for (const c of q.conditions ?? []) {
      const field = fieldExpression('postgres', c.key, c.numeric);
      const text = (x: FieldValue) => (c.numeric ? x : String(x));
      if ('eq' in c) add(`${field} = ?`, text(c.eq));
      if ('min' in c && c.min !== undefined) add(`${field} >= ?`, text(c.min));
      if ('max' in c && c.max !== undefined) add(`${field} <= ?`, text(c.max));
    }
    // The same folded text and the same substring test as SQLite (rows.ts, searchText).
    if (needle) add(`search_text LIKE ? ESCAPE '\\'`, containing(needle));
    return where.length ? `WHERE ${where.join(' AND ')}` : '';
  }

  async list(q: ListQuery): Promise<{ rows: Product[]; total: number }> {
    const params: unknown[] = [];
    const where = this.filter(q, params);
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const n = params.length;
    const [rows, total] = await Promise.all([
      this.db.read<Row>(
        `SELECT * FROM products ${where} ORDER BY ${SORT_PG[q.sort ?? 'name']} ${dir}, id ${dir} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, q.limit ?? 100, q.offset ?? 0],
      ),
      this.total(where, params),
    ]);
    return { rows: rows.map(toProduct), total };
  }

  /**
   * Totals are the costly part of a page (every match is counted), and paging or repeating a search
   * asks for the same one again. The last few are kept while nothing changed (PgPool.version), and
   * only while this catalog hears other installs' changes.
   */
  private readonly totals = new Map<string, { version: number; n: number }>();

  private async total(where: string, params: unknown[]): Promise<number> {
    const key = JSON.stringify([where, params]);
    const version = this.db.version;
    const kept = this.totals.get(key);
    if (kept && kept.version === version && this.db.hearing) return kept.n;
    const [r] = await this.db.read<{ n: number }>(`SELECT count(*) AS n FROM products ${where}`, params);
    if (this.totals.size >= 64) this.totals.delete(this.totals.keys().next().value!);
    this.totals.set(key, { version, n: r!.n });
    return r!.n;
  }

  async *iterate(q: ProductFilters = {}): AsyncGenerator<Product> {
    const params: unknown[] = [];
    const where = this.filter(q, params);
    for (let after = 0; ;) {
      const rows = await this.db.read<Row>(
        `SELECT * FROM products ${where ? `${where} AND` : 'WHERE'} id > $${params.length + 1} ORDER BY id LIMIT 2000`,
        [...params, after],
      );
      for (const row of rows) yield toProduct(row);
      if (rows.length < 2000) return;
      after = rows.at(-1)!.id;
    }
  }

  async categories(): Promise<CategoryCount[]> {
    return this.db.read(
      `SELECT min(category COLLATE "C") AS name, count(*) AS count, count(*) FILTER (WHERE stock > 0) AS "inStock"
       FROM products GROUP BY mcp_nocase(category) ORDER BY mcp_nocase(category) COLLATE "C"`,
    );
  }

  /** Walks the category index one distinct value at a time (a probe per category, not a count of every product). */
  async categoryNames(): Promise<string[]> {
    const rows = await this.db.read<{ name: string }>(
      `WITH RECURSIVE c(k) AS (
         SELECT min(mcp_nocase(category)) FROM products
         UNION ALL
         SELECT (SELECT min(mcp_nocase(category)) FROM products WHERE mcp_nocase(category) > c.k) FROM c WHERE c.k IS NOT NULL
       )
       SELECT (SELECT category FROM products WHERE mcp_nocase(category) = c.k LIMIT 1) AS name FROM c WHERE c.k IS NOT NULL`,
    );
    return rows.map((r) => r.name);
  }

  async canonicalCategory(category: string): Promise<string | undefined> {
    const [r] = await this.db.read<{ category: string }>(CATEGORY_SPELLING, [category]);
    return r?.category;
  }

  async stats(lowStockBelow = 10): Promise<CatalogStats> {
    const [r] = await this.db.read<CatalogStats>(
      `SELECT count(*) AS products, coalesce(sum(stock), 0) AS units, count(*) FILTER (WHERE stock = 0) AS "soldOut",
              count(*) FILTER (WHERE stock > 0 AND stock < $1) AS "lowStock",
              coalesce(sum(price_cents * stock), 0) / 100.0 AS "stockValue", count(DISTINCT mcp_nocase(category)) AS categories
       FROM products`,
      [lowStockBelow],
    );
    return r!;
  }

  // The change history and the import journal

  async changes(opts: ChangesQuery = {}): Promise<ChangeRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(`${sql} $${params.length}`);
    };
    if (typeof opts.source === 'string') add('source =', opts.source);
    else if (opts.source) {
      params.push([...opts.source]);
      where.push(`source = ANY($${params.length}::text[])`);
    }
    if (opts.beforeId !== undefined) add('id <', opts.beforeId);
    if (opts.productId !== undefined) add('product_id =', opts.productId);
    params.push(Math.min(Math.max(opts.limit ?? 50, 1), 500));
    const rows = await this.db.read(
      `SELECT * FROM changes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toChange);
  }

  async change(id: number): Promise<ChangeRecord | undefined> {
    const [r] = await this.db.read('SELECT * FROM changes WHERE id = $1', [id]);
    return r && toChange(r);
  }

  async imports(limit = 20): Promise<ImportRecord[]> {
    return (await this.db.read('SELECT * FROM imports ORDER BY id DESC LIMIT $1', [limit])).map(toImport);
  }

  async importRecord(importId: number): Promise<ImportRecord | undefined> {
    const [r] = await this.db.read('SELECT * FROM imports WHERE id = $1', [importId]);
    return r && toImport(r);
  }

  /** When each last wrote (its newest change, else its start): another computer's import that wrote nothing for long has lost its writer. */
  async unfinishedImports(): Promise<Array<{ id: number; owner: string; lastActive: string }>> {
    return this.db.read(
      `SELECT i.id, i.owner, coalesce((SELECT max(c.at) FROM changes c WHERE c.import_id = i.id), i.started_at) AS "lastActive"
       FROM imports i WHERE i.status = 'running' ORDER BY i.id`,
    );
  }
}
