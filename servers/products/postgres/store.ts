/**
 * A team's shared catalog on PostgreSQL: the same interface, rules, errors, change history and undo
 * as the SQLite file (store.ts), for several installs at once. Each write is one transaction that
 * locks the rows it changes (SELECT … FOR UPDATE), so two people's writes to one product queue
 * instead of overwriting each other; an edit based on what a product looked like before someone
 * else changed it is refused (ProductStorage.update's `expectedUpdatedAt`). Changes reach every
 * install through LISTEN/NOTIFY (listen.ts).
 */
import crypto from 'node:crypto';
import { processTag } from '../../shared/process.js';
import pg, { type PoolClient } from 'pg';
import { nowIso } from '../../shared/db.js';
import { StoreError } from '../../shared/errors.js';
import type { Catalog } from '../catalog.js';
import {
  SAME_FIELDS,
  categorySpellings,
  checkedSearch,
  nextCursor,
  nocase,
  queryStart,
  sameContent,
  searchText,
  skuFor,
  toCents,
  toChange,
  toImport,
  toProduct,
  withRandomEnding,
  type Row,
} from '../rows.js';
import type {
  Actor,
  ChangeAction,
  ChangeRecord,
  ImportRecord,
  NewProduct,
  Product,
  ProductPage,
  ProductPatch,
  ProductQuery,
  SortField,
} from '../schema.js';
import { CATALOG_TABLES, TABLE_COLUMNS, type CatalogStats, type CatalogTable, type ProductFilters } from '../storage.js';
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
  undoableImport,
  undoConflictMessage,
} from '../history.js';
import { clientConfig, describeTarget, formatPgUrl, pgProblem, type PgTarget } from './connect.js';
import { copyRows } from './copy.js';
import { PgListener } from './listen.js';
import { migrate } from './schema.js';
import { GuardedClient } from './client.js';

/** bigint and numeric come back as JavaScript numbers (every value here is far below 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const SORT_PG: Record<SortField, string> = {
  name: 'mcp_nocase(name) COLLATE "C"',
  price: 'price_cents',
  stock: 'stock',
  category: 'mcp_nocase(category) COLLATE "C"',
  updated_at: 'updated_at COLLATE "C"',
  id: 'id',
};

const names = new Map<string, string>();
/** A prepared statement's name for a query text (the same text, the same name). */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `mcp_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    if (names.size < 1000) names.set(sql, name);
  }
  return name;
}

/** A LIKE pattern that matches the text anywhere, with LIKE's own characters taken literally. */
const containing = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How the catalog already spells a category (compared by ASCII case), if it has it. */
const CATEGORY_SPELLING = 'SELECT category FROM products WHERE mcp_nocase(category) = mcp_nocase($1) LIMIT 1';

const PRODUCT_COLUMNS = TABLE_COLUMNS.products;
/** What a new change record is written with (the rest are set later, by an undo, or by the database). */
const CHANGE_COLUMNS = TABLE_COLUMNS.changes.filter((c) => !['id', 'undone_at', 'undone_by'].includes(c));

type ProductFields = Pick<Product, 'sku' | 'name' | 'description' | 'price' | 'category' | 'stock'>;
const productRow = (p: Product): unknown[] => [
  p.id,
  p.sku,
  p.name,
  p.description,
  toCents(p.price),
  p.category,
  p.stock,
  p.created_at,
  p.updated_at,
  searchText(p),
];
/** A product about to be added: what was given, with its id, SKU, the catalog's spelling of its category, and times. */
const newProduct = (id: number, sku: string, input: NewProduct, category: string, at: string): Product => {
  const stock = input.stock ?? 0;
  return {
    id,
    sku,
    name: input.name,
    description: input.description ?? '',
    price: input.price,
    category,
    stock,
    in_stock: stock > 0,
    created_at: at,
    updated_at: at,
  };
};
const withFields = (p: Product, f: ProductFields, updatedAt: string): Product => ({
  ...p,
  sku: f.sku,
  name: f.name,
  description: f.description,
  price: f.price,
  category: f.category,
  stock: f.stock,
  in_stock: f.stock > 0,
  updated_at: updatedAt,
});

/** Rows as columns: the arrays unnest() takes, one per column (each row built once). */
const byColumn = (rows: ReadonlyArray<readonly unknown[]>): unknown[][] => rows[0]!.map((_, i) => rows.map((r) => r[i]));

interface PendingChange {
  actor: Actor;
  action: ChangeAction;
  before: Product | null;
  after: Product | null;
  revertOf?: number;
  importId?: number | null;
}

export interface PgCatalogOptions {
  /** Put the sample catalog into a database MCP Tray sets up for the first time (default false). */
  seed?: boolean;
  /** Connections held at most (default 4). */
  poolSize?: number;
}

export class PgCatalog implements Catalog {
  readonly engine = 'postgres' as const;
  readonly location: string;
  /** Whether substring search has its trigram index (pg_trgm); without it, search reads every product. */
  searchIndexed = false;
  private readonly pool: pg.Pool;
  /** Our connections' application_name: notifications carrying it are our own writes. */
  private readonly tag = `MCP Tray ${crypto.randomBytes(4).toString('hex')}`;
  private readonly origin = changeOrigin();
  private listener: PgListener | undefined;
  private readonly seed: boolean;

  private constructor(
    readonly target: PgTarget,
    private readonly password: string | undefined,
    opts: PgCatalogOptions,
  ) {
    this.location = formatPgUrl(target);
    this.seed = opts.seed ?? false;
    this.pool = new pg.Pool({
      Client: GuardedClient,
      ...clientConfig(target, password),
      application_name: this.tag,
      max: opts.poolSize ?? 4,
      idleTimeoutMillis: 30_000,
      types,
    });
    // A connection that drops while idle (the server restarted) is only reported here; the next
    // query opens a new one. Without this listener the error would end the process.
    this.pool.on('error', () => {});
  }

  /**
   * The catalog at a database address. It connects and brings the schema up to date at once; when
   * the database cannot be reached it is still returned (`strict`: the failure is thrown instead),
   * answers every call with the plain-words error, and connects on the first call after the
   * database is back.
   */
  static async open(
    target: PgTarget,
    password: string | undefined,
    opts: PgCatalogOptions & { strict?: boolean } = {},
  ): Promise<PgCatalog> {
    const catalog = new PgCatalog(target, password, opts);
    try {
      await catalog.ensureReady();
    } catch (err) {
      if (opts.strict || !(err instanceof StoreError && err.code === 'unavailable')) {
        await catalog.pool.end().catch(() => {});
        throw err;
      }
    }
    return catalog;
  }

  private ready: Promise<void> | undefined;

  /** The schema, checked once per connection to the database (again after a failure). */
  private ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      const c = await this.pool.connect();
      try {
        this.searchIndexed = (await migrate(c, { seed: this.seed })).searchIndexed;
      } finally {
        c.release();
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw this.plain(err);
    });
    return this.ready;
  }

  /** "db.example:5432/shop": how the window and messages name this catalog. */
  get where(): string {
    return describeTarget(this.target);
  }

  /** The error as a caller should read it: unreachable database, taken SKU, or as it is. */
  private plain(err: unknown): unknown {
    if (err instanceof StoreError) return err;
    const problem = pgProblem(err, this.target);
    if (problem) return problem;
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'products_sku') {
      return new StoreError('That SKU is already used by another product (someone added it just now); choose another SKU', 'conflict');
    }
    if (e.code === '40P01' || e.code === '40001') {
      return new StoreError('Someone else was changing the same products at the same moment; nothing was changed. Try again.', 'conflict');
    }
    return err;
  }

  private async read<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.ensureReady();
    try {
      // Named: each connection parses and plans a query text once, then reuses it.
      return (await this.pool.query<R>({ name: statementName(sql), text: sql, values: params })).rows;
    } catch (err) {
      throw this.plain(err);
    }
  }

  /** One transaction on one connection: committed whole, or rolled back and the error in plain words. */
  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    await this.ensureReady();
    let c: PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw this.plain(err);
    }
    let broken = false;
    // A connection lost while checked out reports here (the pool only listens to idle ones): the
    // query in flight fails with it, and without a listener the error would end the process.
    const lost = () => (broken = true);
    c.on('error', lost);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      this.version++;
      await c.query('COMMIT');
      this.version++;
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => (broken = true));
      throw this.plain(err);
    } finally {
      c.off('error', lost);
      c.release(broken);
    }
  }

  // Reading

  async get(id: number): Promise<Product | undefined> {
    const [row] = await this.read<Row>('SELECT * FROM products WHERE id = $1', [id]);
    return row && toProduct(row);
  }

  async getBySku(sku: string): Promise<Product | undefined> {
    const [row] = await this.read<Row>('SELECT * FROM products WHERE mcp_nocase(sku) = mcp_nocase($1)', [sku]);
    return row && toProduct(row);
  }

  async countExistingSkus(skus: readonly string[]): Promise<number> {
    const [r] = await this.read<{ n: number }>(
      `SELECT count(*) AS n FROM products WHERE mcp_nocase(sku) IN (SELECT mcp_nocase(s) FROM unnest($1::text[]) s)`,
      [skus],
    );
    return r!.n;
  }

  async require(id: number): Promise<Product> {
    const p = await this.get(id);
    if (!p) throw noSuchProduct(id);
    return p;
  }

  async count(): Promise<number> {
    const [r] = await this.read<{ n: number }>('SELECT count(*) AS n FROM products');
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
    // The same folded text and the same substring test as SQLite (rows.ts, searchText).
    if (needle) add(`search_text LIKE ? ESCAPE '\\'`, containing(needle));
    return where.length ? `WHERE ${where.join(' AND ')}` : '';
  }

  async list(q: ProductFilters & { sort?: SortField; order?: 'asc' | 'desc'; offset?: number; limit?: number }) {
    const params: unknown[] = [];
    const where = this.filter(q, params);
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const n = params.length;
    const [rows, total] = await Promise.all([
      this.read<Row>(
        `SELECT * FROM products ${where} ORDER BY ${SORT_PG[q.sort ?? 'name']} ${dir}, id ${dir} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, q.limit ?? 100, q.offset ?? 0],
      ),
      this.total(where, params),
    ]);
    return { rows: rows.map(toProduct), total };
  }

  /**
   * Totals are the costly part of a page (every match is counted), and paging or repeating a search
   * asks for the same one again. The last few are kept while nothing changed: `version` moves with
   * every write of ours and every change another install announces, so they are kept only while
   * this catalog hears those announcements (its LISTEN connection is up).
   */
  private version = 0;
  private readonly totals = new Map<string, { version: number; n: number }>();

  private async total(where: string, params: unknown[]): Promise<number> {
    const key = JSON.stringify([where, params]);
    const version = this.version;
    const kept = this.totals.get(key);
    if (kept && kept.version === version && this.listener?.listening) return kept.n;
    const [r] = await this.read<{ n: number }>(`SELECT count(*) AS n FROM products ${where}`, params);
    if (this.totals.size >= 64) this.totals.delete(this.totals.keys().next().value!);
    this.totals.set(key, { version, n: r!.n });
    return r!.n;
  }

  async *iterate(q: ProductFilters = {}): AsyncGenerator<Product> {
    const params: unknown[] = [];
    const where = this.filter(q, params);
    for (let after = 0; ;) {
      const rows = await this.read<Row>(
        `SELECT * FROM products ${where ? `${where} AND` : 'WHERE'} id > $${params.length + 1} ORDER BY id LIMIT 2000`,
        [...params, after],
      );
      for (const row of rows) yield toProduct(row);
      if (rows.length < 2000) return;
      after = rows.at(-1)!.id;
    }
  }

  async query(q: ProductQuery): Promise<ProductPage> {
    const start = queryStart(q);
    const { rows, total } = await this.list({ ...q, offset: start.offset, limit: start.limit });
    return { products: rows, total, next_cursor: nextCursor(start, rows.length, total) };
  }

  async categories(): Promise<Array<{ name: string; count: number; inStock: number }>> {
    return this.read(
      `SELECT min(category COLLATE "C") AS name, count(*) AS count, count(*) FILTER (WHERE stock > 0) AS "inStock"
       FROM products GROUP BY mcp_nocase(category) ORDER BY mcp_nocase(category) COLLATE "C"`,
    );
  }

  /**
   * Just the category names, walking the category index one distinct value at a time (a probe per
   * category, not a count of every product): cheap enough to run after every change.
   */
  async categoryNames(): Promise<string[]> {
    const rows = await this.read<{ name: string }>(
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
    const [r] = await this.read<{ category: string }>(CATEGORY_SPELLING, [category]);
    return r?.category;
  }

  async stats(lowStockBelow = 10): Promise<CatalogStats> {
    const [r] = await this.read<CatalogStats>(
      `SELECT count(*) AS products, coalesce(sum(stock), 0) AS units, count(*) FILTER (WHERE stock = 0) AS "soldOut",
              count(*) FILTER (WHERE stock > 0 AND stock < $1) AS "lowStock",
              coalesce(sum(price_cents * stock), 0) / 100.0 AS "stockValue", count(DISTINCT mcp_nocase(category)) AS categories
       FROM products`,
      [lowStockBelow],
    );
    return r!;
  }

  // Writing: each one transaction that also records the change

  private async record(c: PoolClient, changes: readonly PendingChange[], at = nowIso()): Promise<number[]> {
    if (changes.length === 0) return [];
    const { rows } = await c.query<{ id: number }>(
      `INSERT INTO changes (${CHANGE_COLUMNS.join(', ')})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[])
       RETURNING id`,
      byColumn(changes.map((ch) => this.changeRow(ch, at))),
    );
    return rows.map((r) => r.id);
  }

  private changeRow(ch: PendingChange, at: string): unknown[] {
    const product = (ch.after ?? ch.before)!;
    return [
      at,
      ch.actor.source,
      ch.actor.client,
      ch.actor.tool ?? null,
      this.origin,
      ch.action,
      product.id,
      product.name,
      ch.before ? JSON.stringify(ch.before) : null,
      ch.after ? JSON.stringify(ch.after) : null,
      ch.revertOf ?? null,
      ch.importId ?? null,
    ];
  }

  private async locked(c: PoolClient, id: number): Promise<Product> {
    const { rows } = await c.query<Row>('SELECT * FROM products WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) throw noSuchProduct(id);
    return toProduct(rows[0]);
  }

  private async assertSkuFree(c: PoolClient, sku: string, exceptId?: number): Promise<void> {
    const { rows } = await c.query<{ id: number; name: string }>('SELECT id, name FROM products WHERE mcp_nocase(sku) = mcp_nocase($1)', [
      sku,
    ]);
    assertSkuFree(sku, rows[0], exceptId);
  }

  private async canonicalIn(c: PoolClient, category: string): Promise<string> {
    const { rows } = await c.query<{ category: string }>(CATEGORY_SPELLING, [category]);
    return rows[0]?.category ?? category;
  }

  private async nextIds(c: PoolClient, n: number): Promise<number[]> {
    if (n === 0) return [];
    const { rows } = await c.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('products', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1`,
      [n],
    );
    return rows.map((r) => r.id);
  }

  private async writeInsert(c: PoolClient, p: Product): Promise<void> {
    await c.query(`INSERT INTO products (${PRODUCT_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, productRow(p));
  }

  async add(input: NewProduct, actor: Actor): Promise<Product> {
    return this.tx(async (c) => {
      if (input.sku !== undefined) await this.assertSkuFree(c, input.sku);
      const [id] = await this.nextIds(c, 1);
      let sku = input.sku ?? skuFor(id!);
      if (input.sku === undefined && (await c.query('SELECT 1 FROM products WHERE mcp_nocase(sku) = mcp_nocase($1)', [sku])).rowCount) {
        sku = withRandomEnding(sku);
      }
      const product = newProduct(id!, sku, input, await this.canonicalIn(c, input.category), nowIso());
      await this.writeInsert(c, product);
      await this.record(c, [{ actor, action: 'create', before: null, after: product }]);
      return product;
    });
  }

  async update(
    id: number,
    patch: ProductPatch,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): Promise<{ product: Product; before: Product; changed: boolean }> {
    return this.tx((c) => this.updateRow(c, id, patch, actor, expectedUpdatedAt));
  }

  private async updateRow(c: PoolClient, id: number, patch: ProductPatch, actor: Actor, expectedUpdatedAt?: string) {
    const before = await this.locked(c, id);
    if (expectedUpdatedAt !== undefined && before.updated_at !== expectedUpdatedAt) {
      throw new StoreError(staleMessage(before, await this.changesSince(c, id, expectedUpdatedAt)), 'conflict');
    }
    if (patch.sku !== undefined) await this.assertSkuFree(c, patch.sku, id);
    const next: ProductFields = {
      sku: patch.sku ?? before.sku,
      name: patch.name ?? before.name,
      description: patch.description ?? before.description,
      price: patch.price ?? before.price,
      category: patch.category === undefined ? before.category : await this.canonicalIn(c, patch.category),
      stock: patch.stock ?? before.stock,
    };
    if (SAME_FIELDS.every((k) => next[k] === before[k])) return { product: before, before, changed: false };
    const product = withFields(before, next, stampAfter(before.updated_at));
    await this.writeMany(c, [product]);
    await this.record(c, [{ actor, action: 'update', before, after: product }]);
    return { product, before, changed: true };
  }

  private async changesSince(c: PoolClient, productId: number, since: string): Promise<ChangeRecord[]> {
    const { rows } = await c.query<Record<string, unknown>>(
      `SELECT * FROM changes WHERE product_id = $1 AND at COLLATE "C" >= $2 ORDER BY id LIMIT 20`,
      [productId, since],
    );
    return changesAfter(rows.map(toChange), since);
  }

  async setStock(id: number, stock: number, actor: Actor, expectedUpdatedAt?: string) {
    return this.tx(async (c) => {
      const { product, before, changed } = await this.updateRow(c, id, { stock }, actor, expectedUpdatedAt);
      return { product, previousStock: before.stock, changed };
    });
  }

  async remove(id: number, actor: Actor): Promise<Product> {
    return this.tx(async (c) => {
      const before = await this.locked(c, id);
      await c.query('DELETE FROM products WHERE id = $1', [id]);
      await this.record(c, [{ actor, action: 'delete', before, after: null }]);
      return before;
    });
  }

  async upsertMany(rows: readonly NewProduct[], actor: Actor) {
    return this.tx((c) => this.applyChunk(c, rows, actor, null));
  }

  /**
   * Adds or updates one chunk of a file (inside the caller's transaction), as the SQLite import
   * does: a row whose SKU exists updates that product (fields left empty keep their value), the
   * rest are added with ids in file order; categories keep the catalog's spelling. The products
   * touched are locked first; new rows and the history go in with COPY.
   */
  private async applyChunk(c: PoolClient, rows: readonly NewProduct[], actor: Actor, importId: number | null) {
    const at = nowIso();
    const skus = [...new Set(rows.flatMap((r) => (r.sku === undefined ? [] : [nocase(r.sku)])))];
    // Looked up one SKU at a time through the unique index (a list compared at once is planned as a
    // scan of the whole table while its statistics are those of an empty one, as during a first import).
    const existing = await c.query<Row>(
      `SELECT p.* FROM unnest($1::text[]) AS k, LATERAL (SELECT * FROM products WHERE mcp_nocase(sku) = k) AS p ORDER BY p.id FOR UPDATE OF p`,
      [skus],
    );
    const bySku = new Map(existing.rows.map((r) => [nocase(r.sku), toProduct(r)]));
    const cats = [...new Set(rows.map((r) => nocase(r.category)))];
    // One index probe per category (not every product of each: a category may have thousands).
    const known = await c.query<{ k: string; category: string | null }>(
      `SELECT k, (SELECT category FROM products WHERE mcp_nocase(category) = k LIMIT 1) AS category FROM unnest($1::text[]) AS k`,
      [cats],
    );
    const spelling = categorySpellings(rows, known.rows);

    // A SKU given twice in one file: the first row adds the product, the next updates it.
    const seen = new Set(bySku.keys());
    let needed = 0;
    /** Which of the new ids go to rows without a SKU (they get one made from the id). */
    const unnamed: number[] = [];
    for (const r of rows) {
      if (r.sku === undefined) unnamed.push(needed++);
      else if (!seen.has(nocase(r.sku))) {
        seen.add(nocase(r.sku));
        needed++;
      }
    }
    const ids = await this.nextIds(c, needed);
    const generated = unnamed.map((i) => skuFor(ids[i]!));
    const taken = new Set(
      (
        await c.query<{ k: string }>(
          'SELECT k FROM unnest($1::text[]) AS k WHERE EXISTS (SELECT 1 FROM products WHERE mcp_nocase(sku) = k)',
          [generated.map(nocase)],
        )
      ).rows.map((r) => r.k),
    );
    for (const s of skus) taken.add(s);

    const inserts = new Map<number, Product>();
    const updates = new Map<number, Product>();
    const changes: PendingChange[] = [];
    let nextId = 0;
    let added = 0;
    let updated = 0;
    for (const r of rows) {
      const category = spelling.get(nocase(r.category))!;
      const current = r.sku === undefined ? undefined : bySku.get(nocase(r.sku));
      if (current) {
        const next: ProductFields = {
          sku: r.sku!,
          name: r.name,
          description: r.description ?? current.description,
          price: r.price,
          category,
          stock: r.stock ?? current.stock,
        };
        if (SAME_FIELDS.every((k) => next[k] === current[k])) continue;
        const after = withFields(current, next, inserts.has(current.id) ? current.updated_at : stampAfter(current.updated_at, at));
        bySku.set(nocase(after.sku), after);
        if (inserts.has(after.id)) inserts.set(after.id, after);
        else updates.set(after.id, after);
        updated++;
        changes.push({ actor, action: 'update', before: current, after, importId });
        continue;
      }
      const id = ids[nextId++]!;
      let sku = r.sku ?? skuFor(id);
      if (r.sku === undefined && taken.has(nocase(sku))) sku = withRandomEnding(sku);
      taken.add(nocase(sku));
      const product = newProduct(id, sku, r, category, at);
      if (r.sku !== undefined) bySku.set(nocase(sku), product);
      inserts.set(id, product);
      added++;
      changes.push({ actor, action: 'create', before: null, after: product, importId });
    }
    await copyRows(c, 'products', PRODUCT_COLUMNS, [...inserts.values()].map(productRow));
    await this.writeMany(c, [...updates.values()]);
    await copyRows(
      c,
      'changes',
      CHANGE_COLUMNS,
      changes.map((ch) => this.changeRow(ch, at)),
    );
    const unchanged = rows.length - added - updated;
    if (importId !== null) {
      await c.query('UPDATE imports SET added = added + $1, updated = updated + $2, unchanged = unchanged + $3 WHERE id = $4', [
        added,
        updated,
        unchanged,
        importId,
      ]);
    }
    return { added, updated, unchanged };
  }

  /** Many product rows rewritten in one statement. */
  private async writeMany(c: PoolClient, products: readonly Product[]): Promise<void> {
    if (products.length === 0) return;
    const cols = byColumn(products.map(productRow));
    await c.query(
      `UPDATE products p SET sku = s.sku, name = s.name, description = s.description, price_cents = s.price_cents, category = s.category,
         stock = s.stock, updated_at = s.updated_at, search_text = s.search_text
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
         AS s(id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text)
       WHERE p.id = s.id`,
      cols,
    );
  }

  // File imports (driven by runImport in import.ts)

  async beginImport(file: string, rows: number, actor: Actor): Promise<number> {
    const [r] = await this.read<{ id: number }>(
      `INSERT INTO imports (started_at, file, client, owner, status, rows) VALUES ($1, $2, $3, $4, 'running', $5) RETURNING id`,
      [nowIso(), file, actor.client, processTag(), rows],
    );
    return r!.id;
  }

  async importChunk(importId: number, rows: readonly NewProduct[], actor: Actor) {
    return this.tx((c) => this.applyChunk(c, rows, actor, importId));
  }

  async finishImport(importId: number): Promise<ImportRecord> {
    // Many rows at once: the planner's row counts and value frequencies (search among them) are stale.
    await this.analyze();
    await this.read(`UPDATE imports SET status = 'done', finished_at = $1 WHERE id = $2 AND status = 'running'`, [nowIso(), importId]);
    return (await this.importRecord(importId))!;
  }

  async revertImportChunk(importId: number, mode: 'cancel' | 'undo', actor: Actor, below: number, limit: number) {
    return this.tx(async (c) => {
      const { rows } = await c.query<Record<string, unknown>>(
        `SELECT * FROM changes WHERE import_id = $1 AND id < $2 AND undone_at IS NULL AND revert_of IS NULL ORDER BY id DESC LIMIT $3`,
        [importId, below, limit],
      );
      const changes = rows.map(toChange);
      if (changes.length === 0) return { next: null, reverted: 0 };
      const ids = [...new Set(changes.map((ch) => ch.productId))];
      const locked = await c.query<Row>('SELECT * FROM products WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
      const now = new Map(locked.rows.map((r) => [r.id, toProduct(r)]));
      const at = nowIso();
      const deleted = new Set<number>();
      const rewritten = new Map<number, Product>();
      const reverts: Array<PendingChange & { revertOf: number }> = [];
      const reverted: number[] = [];
      // Newest first: a product the import changed twice goes back step by step. One someone
      // changed since is left as it is (a cancel keeps their edit; an undo was checked beforehand).
      for (const ch of changes) {
        const current = now.get(ch.productId);
        if (!current || !ch.after || !sameContent(current, ch.after)) continue;
        reverted.push(ch.id);
        if (ch.action === 'create') {
          now.delete(ch.productId);
          deleted.add(ch.productId);
          rewritten.delete(ch.productId);
          reverts.push({ actor, action: 'delete', before: current, after: null, revertOf: ch.id });
        } else if (ch.before) {
          const back = withFields(current, ch.before, mode === 'cancel' ? ch.before.updated_at : at);
          now.set(back.id, back);
          rewritten.set(back.id, back);
          reverts.push({ actor, action: 'update', before: current, after: back, revertOf: ch.id });
        }
      }
      if (deleted.size) await c.query('DELETE FROM products WHERE id = ANY($1::bigint[])', [[...deleted]]);
      await this.writeMany(c, [...rewritten.values()]);
      if (mode === 'undo') {
        const revertIds = await this.record(c, reverts, at);
        await c.query(
          `UPDATE changes SET undone_at = $1, undone_by = x.by FROM unnest($2::bigint[], $3::bigint[]) AS x(id, by) WHERE changes.id = x.id`,
          [at, reverts.map((r) => r.revertOf), revertIds],
        );
      } else if (reverted.length) {
        await c.query('DELETE FROM changes WHERE id = ANY($1::bigint[])', [reverted]);
      }
      return { next: changes.at(-1)!.id, reverted: reverted.length };
    });
  }

  async closeImport(importId: number, status: 'cancelled' | 'undone'): Promise<ImportRecord> {
    await this.read('UPDATE imports SET status = $1, finished_at = coalesce(finished_at, $2) WHERE id = $3', [status, nowIso(), importId]);
    return (await this.importRecord(importId))!;
  }

  async checkImportUndo(importId: number): Promise<ImportRecord> {
    const rec = undoableImport(importId, await this.importRecord(importId));
    // The import's last change of each product, against the product now.
    const rows = await this.read<{ id: number; name: string; after: string; p: Row | null }>(
      `SELECT DISTINCT ON (c.product_id) c.product_id AS id, c.product_name AS name, c.after, to_jsonb(p) AS p
       FROM changes c LEFT JOIN products p ON p.id = c.product_id
       WHERE c.import_id = $1 AND c.undone_at IS NULL AND c.revert_of IS NULL
       ORDER BY c.product_id, c.id DESC`,
      [importId],
    );
    const changed = rows.filter((r) => !r.p || !sameContent(toProduct(r.p), JSON.parse(r.after) as Product));
    if (changed.length > 0)
      throw new StoreError(
        conflictMessage(
          rec,
          changed.length,
          changed.slice(0, 5).map((r) => `${r.name} (${r.id})`),
        ),
        'conflict',
      );
    return rec;
  }

  async imports(limit = 20): Promise<ImportRecord[]> {
    return (await this.read('SELECT * FROM imports ORDER BY id DESC LIMIT $1', [limit])).map(toImport);
  }

  async importRecord(importId: number): Promise<ImportRecord | undefined> {
    const [r] = await this.read('SELECT * FROM imports WHERE id = $1', [importId]);
    return r && toImport(r);
  }

  async unfinishedImports(): Promise<Array<{ id: number; owner: string; lastActive: string }>> {
    // When it last wrote (its newest change, else its start): an import on another computer that has
    // written nothing for a long while has lost its writer, which this computer cannot see.
    return this.read(
      `SELECT i.id, i.owner, coalesce((SELECT max(c.at) FROM changes c WHERE c.import_id = i.id), i.started_at) AS "lastActive"
       FROM imports i WHERE i.status = 'running' ORDER BY i.id`,
    );
  }

  // Moving a whole catalog (copy-catalog.ts)

  async isEmpty(): Promise<boolean> {
    const [r] = await this.read<{ empty: boolean }>(
      'SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM changes) AND NOT EXISTS (SELECT 1 FROM imports) AS empty',
    );
    return r!.empty;
  }

  async tableCount(table: CatalogTable): Promise<number> {
    const [r] = await this.read<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    return r!.n;
  }

  async tableRows(table: CatalogTable, afterId: number, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.read(`SELECT ${TABLE_COLUMNS[table].join(', ')} FROM ${table} WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  }

  async loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const cols = TABLE_COLUMNS[table];
    await this.tx(async (c) => {
      await copyRows(
        c,
        table,
        cols,
        rows.map((r) => cols.map((col) => r[col])),
      );
      // New ids continue after the copied ones.
      await c.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest((SELECT max(id) FROM ${table}), 1))`);
    });
  }

  async analyze(): Promise<void> {
    await this.read('ANALYZE products');
  }

  /** Nothing to put in order here: PostgreSQL's autovacuum folds the trigram index's pending entries in. */
  async tidyStep(): Promise<boolean> {
    return false;
  }

  async needsTidy(): Promise<boolean> {
    return false;
  }

  /** Nothing waits for the index here: an import writes the trigram index as it goes. */
  async indexStep(): Promise<boolean> {
    return false;
  }

  async clear(): Promise<void> {
    await this.tx(async (c) => {
      await c.query(`TRUNCATE ${[...CATALOG_TABLES].reverse().join(', ')} RESTART IDENTITY`);
    });
  }

  // History

  async changes(opts: { source?: Actor['source']; limit?: number; beforeId?: number; productId?: number } = {}): Promise<ChangeRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(`${sql} $${params.length}`);
    };
    if (opts.source) add('source =', opts.source);
    if (opts.beforeId !== undefined) add('id <', opts.beforeId);
    if (opts.productId !== undefined) add('product_id =', opts.productId);
    params.push(Math.min(Math.max(opts.limit ?? 50, 1), 500));
    const rows = await this.read(
      `SELECT * FROM changes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toChange);
  }

  async change(id: number): Promise<ChangeRecord | undefined> {
    const [r] = await this.read('SELECT * FROM changes WHERE id = $1', [id]);
    return r && toChange(r);
  }

  async undo(changeId: number, actor: Actor): Promise<{ change: ChangeRecord; product: Product | null }> {
    return this.tx(async (c) => {
      const { rows } = await c.query('SELECT * FROM changes WHERE id = $1 FOR UPDATE', [changeId]);
      const change = undoableChange(changeId, rows[0] && toChange(rows[0]));
      const locked = await c.query<Row>('SELECT * FROM products WHERE id = $1 FOR UPDATE', [change.productId]);
      const current = locked.rows[0] ? toProduct(locked.rows[0]) : null;
      const at = nowIso();
      let product: Product | null;
      let revert: PendingChange;
      if (change.action === 'create' || change.action === 'update') {
        if (!current || !sameContent(current, change.after!)) {
          throw new StoreError(
            undoConflictMessage(change, current, await this.changesSince(c, change.productId, change.after?.updated_at ?? change.at)),
            'conflict',
          );
        }
        if (change.action === 'create') {
          await c.query('DELETE FROM products WHERE id = $1', [current.id]);
          product = null;
          revert = { actor, action: 'delete', before: current, after: null, revertOf: changeId };
        } else {
          const b = change.before!;
          await this.assertSkuFree(c, b.sku, b.id);
          product = withFields(current, b, stampAfter(current.updated_at));
          await this.writeMany(c, [product]);
          revert = { actor, action: 'update', before: current, after: product, revertOf: changeId };
        }
      } else {
        assertGone(change.productId, current);
        const b = change.before!;
        await this.assertSkuFree(c, b.sku);
        product = { ...b, updated_at: stampAfter(b.updated_at) };
        await this.writeInsert(c, product);
        revert = { actor, action: 'create', before: null, after: product, revertOf: changeId };
      }
      const [revertId] = await this.record(c, [revert], at);
      await c.query('UPDATE changes SET undone_at = $1, undone_by = $2 WHERE id = $3', [at, revertId, changeId]);
      const done = await c.query('SELECT * FROM changes WHERE id = $1', [changeId]);
      return { change: toChange(done.rows[0]), product };
    });
  }

  // Live changes and closing

  watch(onChange: () => void): () => void {
    if (!this.listener) {
      this.listener = new PgListener(clientConfig(this.target, this.password), this.tag);
      // Any change announced (or the connection lost and found again): kept totals are stale.
      this.listener.subscribe(() => this.version++);
      this.listener.on('lost', () => this.version++);
    }
    return this.listener.subscribe(onChange);
  }

  async close(): Promise<void> {
    await this.listener?.close();
    await this.pool.end();
  }
}
