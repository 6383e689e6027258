// File imports, set-based: a chunk's new products go in from one JSON array, the rows that update
// products through a temporary staging table, and a handful of statements add, update and record
// all of them at once. Row by row, each statement also pays SQLite's per-statement work on the
// trigram index (a savepoint flushes FTS5's pending terms), which made a 100k import take minutes.
// Each chunk is one short transaction; the import's changes carry
// its id, so cancelling or undoing it reverts exactly those, as one unit.
import { processTag } from '../shared/process.js';
import type { Db } from '../shared/db.js';
import { nowIso } from '../shared/db.js';
import { undoableImport } from './history.js';
import {
  SEARCH_SEPARATOR,
  categorySpellings,
  foldForSearch,
  nocase,
  searchText,
  skuFor,
  toCents,
  toImport,
  withRandomEnding,
} from './rows.js';
import type { Actor, ImportRecord, NewProduct } from './schema.js';

export interface ChunkResult {
  added: number;
  updated: number;
  unchanged: number;
}

/** A product row as the JSON the change history stores (the same shape as toProduct's). */
const productJson = (t: string) =>
  `json_object('id', ${t}.id, 'sku', ${t}.sku, 'name', ${t}.name, 'description', ${t}.description, 'price', ${t}.price_cents / 100.0,
     'category', ${t}.category, 'stock', ${t}.stock, 'in_stock', json(iif(${t}.stock > 0, 'true', 'false')),
     'created_at', ${t}.created_at, 'updated_at', ${t}.updated_at)`;

/** search_text (rows.ts, searchText) in SQL, from four SQL expressions: mcp_fold is JavaScript's toLowerCase. */
const searchSql = (fields: { name: string; sku: string; description: string; category: string }) =>
  [fields.name, fields.sku, fields.description, fields.category].map((f) => `mcp_fold(${f})`).join(` || '${SEARCH_SEPARATOR}' || `);
const columnsOf = (t: string) => ({ name: `${t}.name`, sku: `${t}.sku`, description: `${t}.description`, category: `${t}.category` });

/** A field of the product as a recorded change left it ('after') or found it ('before'). */
const recorded = (c: string, side: 'before' | 'after', col: string) =>
  col === 'price' ? `CAST(round(json_extract(${c}.${side}, '$.price') * 100) AS INTEGER)` : `json_extract(${c}.${side}, '$.${col}')`;
const field = (c: string, col: string) => recorded(c, 'before', col);

/** The product row p is still exactly as change c left it (IS: never NULL, also when p is missing). */
const asLeftBy = (c: string, p: string) =>
  ['sku', 'name', 'description', 'category', 'stock']
    .map((col) => `${p}.${col} IS ${recorded(c, 'after', col)}`)
    .concat(`${p}.price_cents IS ${recorded(c, 'after', 'price')}`)
    .join(' AND ');

export class BulkWriter {
  private ready = false;

  constructor(
    private readonly db: Db,
    /** Recorded with every change (history.ts, changeOrigin). */
    private readonly origin: string,
  ) {}

  /** The staging table lives in this connection's temp database: no other connection sees it. */
  private prepare(): void {
    if (this.ready) return;
    this.db.function('mcp_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? foldForSearch(s) : s));
    // The rows of a chunk that update existing products (applyUpdates).
    this.db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS import_rows (
        n INTEGER PRIMARY KEY,
        id INTEGER NOT NULL,
        changed INTEGER NOT NULL DEFAULT 0,
        sku TEXT, name TEXT NOT NULL, description TEXT, price_cents INTEGER NOT NULL, category TEXT NOT NULL, stock INTEGER
      );
    `);
    this.ready = true;
  }

  /**
   * The query planner's row counts come from the last ANALYZE: a catalog that grew from 5 to 100,000
   * products since would get plans that scan the whole table for every chunk. Re-measured (quickly:
   * analysis_limit) whenever the catalog is more than twice what the statistics say.
   */
  private freshStatistics(): void {
    const stat = this.db.prepare(`SELECT stat FROM sqlite_stat1 WHERE tbl = 'products' AND idx = 'products_stock'`).pluck().get() as
      string | undefined;
    const estimate = Number(stat?.split(' ')[0] ?? 0);
    const actual = this.db.prepare('SELECT count(*) FROM products').pluck().get() as number;
    if (actual > 2 * estimate + 1000 || estimate > 2 * actual + 1000) this.db.exec('ANALYZE products');
  }

  begin(file: string, rows: number, actor: Actor): number {
    // The query planner's statistics as they are on disk now: another connection's ANALYZE (a CLI
    // import, another process's) does not reach this one's, and planning a chunk's lookups as if the
    // catalog still had its first five products made each chunk scan all of it (5,000 rows into a
    // 100k catalog took 22 s, locking AI writes out for seconds at a time).
    this.db.exec('ANALYZE sqlite_schema');
    const info = this.db
      .prepare(`INSERT INTO imports (started_at, file, client, owner, status, rows) VALUES (?, ?, ?, ?, 'running', ?)`)
      .run(nowIso(), file, actor.client, processTag(), rows);
    return Number(info.lastInsertRowid);
  }

  /**
   * Adds or updates one chunk (the caller holds the write transaction): rows whose SKU exists
   * update that product (fields left out keep their value), the rest are added. Every change is
   * recorded with the import's id. What needs no query is worked out here (new ids, generated SKUs,
   * the search text of new products); the rest is a handful of statements over the whole chunk.
   */
  apply(rows: readonly NewProduct[], actor: Actor, importId: number | null): ChunkResult {
    this.prepare();
    const db = this.db;
    const at = nowIso();
    this.freshStatistics();
    // Which rows update an existing product (SKUs match without regard to case, as the column does).
    const existing = new Map(
      (
        db
          .prepare(`SELECT j.key AS n, p.id FROM json_each(?) j JOIN products p ON p.sku = j.value`)
          .all(JSON.stringify(rows.map((r) => r.sku ?? null))) as Array<{ n: number; id: number }>
      ).map(({ n, id }) => [n, id]),
    );
    // A category keeps the spelling the catalog (or the chunk's first row with it) already uses.
    const known = db
      .prepare(
        `SELECT j.value AS k, (SELECT p.category FROM products p WHERE p.category = j.value LIMIT 1) AS category FROM json_each(?) j`,
      )
      .all(JSON.stringify([...new Set(rows.map((r) => nocase(r.category)))])) as Array<{ k: string; category: string | null }>;
    const spelling = categorySpellings(rows, known);
    // New rows get the next ids in file order; a row without a SKU gets one made from its id (with a
    // random ending if that is taken, by a product or by a row of this chunk).
    const first = ((db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'products'`).pluck().get() as number | undefined) ?? 0) + 1;
    const fresh: Array<{ row: NewProduct; id: number; sku: string }> = [];
    const updates: unknown[][] = [];
    rows.forEach((row, n) => {
      const id = existing.get(n);
      const category = spelling.get(nocase(row.category))!;
      if (id === undefined)
        fresh.push({ row: { ...row, category }, id: first + fresh.length, sku: row.sku ?? skuFor(first + fresh.length) });
      else updates.push([n, id, row.sku, row.name, row.description ?? null, toCents(row.price), category, row.stock ?? null]);
    });
    const made = fresh.filter((f) => f.row.sku === undefined);
    if (made.length) {
      const inChunk = new Set(rows.flatMap((r) => (r.sku === undefined ? [] : [nocase(r.sku)])));
      const inCatalog = new Set(
        db
          .prepare(`SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM products p WHERE p.sku = j.value)`)
          .pluck()
          .all(JSON.stringify(made.map((f) => f.sku))) as string[],
      );
      for (const f of made) if (inChunk.has(nocase(f.sku)) || inCatalog.has(f.sku)) f.sku = withRandomEnding(f.sku);
    }
    const tool = actor.tool ?? null;
    const record = { at, source: actor.source, client: actor.client, tool, origin: this.origin, import: importId };
    const updated = updates.length ? this.applyUpdates(updates, at, record) : 0;
    if (fresh.length) {
      const last = first + fresh.length - 1;
      // An import's new products go into the search index right after it (migrations.ts, search_backlog).
      if (importId !== null) {
        db.prepare(
          'WITH RECURSIVE ids(id) AS (SELECT ? UNION ALL SELECT id + 1 FROM ids WHERE id < ?) INSERT INTO search_backlog (id) SELECT id FROM ids',
        ).run(first, last);
      }
      db.prepare(
        `INSERT INTO products (id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, @at, @at, value ->> 7
         FROM json_each(@rows)`,
      ).run({
        at,
        rows: JSON.stringify(
          fresh.map(({ row, id, sku }) => {
            const description = row.description ?? '';
            return [
              id,
              sku,
              row.name,
              description,
              toCents(row.price),
              row.category,
              row.stock ?? 0,
              searchText({ ...row, sku, description }),
            ];
          }),
        ),
      });
      db.prepare(
        `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, import_id)
         SELECT @at, @source, @client, @tool, @origin, 'create', p.id, p.name, NULL, ${productJson('p')}, @import
         FROM products p WHERE p.id BETWEEN @first AND @last ORDER BY p.id`,
      ).run({ ...record, first, last });
    }
    const inserted = fresh.length;
    if (importId !== null) {
      db.prepare('UPDATE imports SET added = added + ?, updated = updated + ?, unchanged = unchanged + ? WHERE id = ?').run(
        inserted,
        updated,
        rows.length - inserted - updated,
        importId,
      );
    }
    return { added: inserted, updated, unchanged: rows.length - inserted - updated };
  }

  /**
   * The rows of a chunk that update existing products ([n, id, sku, name, description, price_cents,
   * category, stock]): what the file leaves out stays; a product is changed (and the change
   * recorded) only if some field differs. Returns how many were changed.
   */
  private applyUpdates(updates: unknown[][], at: string, record: Record<string, unknown>): number {
    const db = this.db;
    db.exec('DELETE FROM temp.import_rows');
    db.prepare(
      `INSERT INTO temp.import_rows (n, id, sku, name, description, price_cents, category, stock)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7 FROM json_each(?)`,
    ).run(JSON.stringify(updates));
    db.exec(`
      UPDATE temp.import_rows SET description = coalesce(import_rows.description, p.description), stock = coalesce(import_rows.stock, p.stock)
      FROM products p WHERE p.id = import_rows.id`);
    db.exec(`
      UPDATE temp.import_rows SET changed = 1 FROM products p
      WHERE p.id = import_rows.id AND (import_rows.sku IS NOT p.sku OR import_rows.name IS NOT p.name
        OR import_rows.description IS NOT p.description OR import_rows.price_cents IS NOT p.price_cents
        OR import_rows.category IS NOT p.category OR import_rows.stock IS NOT p.stock)`);
    db.prepare(
      `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, import_id)
       SELECT @at, @source, @client, @tool, @origin, 'update', p.id, s.name, ${productJson('p')},
         json_patch(${productJson('p')}, json_object('sku', s.sku, 'name', s.name, 'description', s.description, 'price', s.price_cents / 100.0,
           'category', s.category, 'stock', s.stock, 'in_stock', json(iif(s.stock > 0, 'true', 'false')), 'updated_at', @at)), @import
       FROM temp.import_rows s CROSS JOIN products p ON p.id = s.id WHERE s.changed ORDER BY s.n`,
    ).run(record);
    db.prepare(
      `UPDATE products SET sku = s.sku, name = s.name, description = s.description, price_cents = s.price_cents, category = s.category,
         stock = s.stock, updated_at = ?, search_text = ${searchSql(columnsOf('s'))}
       FROM temp.import_rows s WHERE s.id = products.id AND s.changed`,
    ).run(at);
    const updated = db.prepare('SELECT count(*) FROM temp.import_rows WHERE changed').pluck().get() as number;
    db.exec('DELETE FROM temp.import_rows');
    return updated;
  }

  finish(importId: number): ImportRecord {
    this.db.prepare(`UPDATE imports SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'`).run(nowIso(), importId);
    return this.get(importId)!;
  }

  get(importId: number): ImportRecord | undefined {
    const r = this.db.prepare('SELECT * FROM imports WHERE id = ?').get(importId) as Record<string, unknown> | undefined;
    return r && toImport(r);
  }

  list(limit = 20): ImportRecord[] {
    return (this.db.prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?').all(limit) as Array<Record<string, unknown>>).map(toImport);
  }

  /** Imports not finished (yet): being written by a live process, or left by one that stopped or crashed. */
  unfinished(): Array<{ id: number; owner: string }> {
    return this.db.prepare(`SELECT id, owner FROM imports WHERE status = 'running' ORDER BY id`).all() as Array<{
      id: number;
      owner: string;
    }>;
  }

  /**
   * Products the import's changes no longer describe (someone edited or removed them since), as
   * "name (id)" labels, at most `limit`; and how many there are.
   */
  conflicts(importId: number, limit = 5): { count: number; examples: string[] } {
    const where = `c.import_id = ? AND c.undone_at IS NULL AND c.revert_of IS NULL AND NOT (${asLeftBy('c', 'p')})`;
    const from = 'FROM changes c LEFT JOIN products p ON p.id = c.product_id';
    const count = this.db.prepare(`SELECT count(*) ${from} WHERE ${where}`).pluck().get(importId) as number;
    const examples = this.db
      .prepare(`SELECT c.product_name || ' (' || c.product_id || ')' ${from} WHERE ${where} ORDER BY c.id LIMIT ?`)
      .pluck()
      .all(importId, limit) as string[];
    return { count, examples };
  }

  /**
   * Reverts up to `limit` of the import's changes, newest first, below change id `below` (the caller
   * holds the write transaction and loops until nothing is left). A product someone changed since
   * the import is left as it is (cancel: their edit wins; undo refuses beforehand, see conflicts).
   * Cancelling removes the reverted changes from the history (the import never happened); undoing
   * records each revert, as a single undo does.
   */
  revert(importId: number, mode: 'cancel' | 'undo', actor: Actor, below: number, limit: number): { next: number | null; reverted: number } {
    this.prepare();
    this.freshStatistics();
    const db = this.db;
    const ids = db
      .prepare(`SELECT id FROM changes WHERE import_id = ? AND id < ? AND undone_at IS NULL AND revert_of IS NULL ORDER BY id DESC LIMIT ?`)
      .pluck()
      .all(importId, below, limit) as number[];
    if (ids.length === 0) return { next: null, reverted: 0 };
    const lo = ids[ids.length - 1]!;
    const hi = ids[0]!;
    const at = nowIso();
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS revert_ids (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, action TEXT NOT NULL)`);
    db.exec('DELETE FROM temp.revert_ids');
    // The changes whose product is still exactly as the import left it.
    db.prepare(
      `INSERT INTO temp.revert_ids (id, product_id, action)
       SELECT c.id, c.product_id, c.action FROM changes c JOIN products p ON p.id = c.product_id
       WHERE c.import_id = ? AND c.id BETWEEN ? AND ? AND c.undone_at IS NULL AND c.revert_of IS NULL
         AND ${asLeftBy('c', 'p')}`,
    ).run(importId, lo, hi);
    const firstRevert =
      ((db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'changes'`).pluck().get() as number | undefined) ?? 0) + 1;
    if (mode === 'undo') {
      const rec = { at, source: actor.source, client: actor.client, tool: actor.tool ?? null, origin: this.origin };
      // Deleting what the import added: the revert is a delete, before = the product now.
      db.prepare(
        `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, revert_of)
         SELECT @at, @source, @client, @tool, @origin, 'delete', p.id, p.name, ${productJson('p')}, NULL, r.id
         FROM temp.revert_ids r JOIN products p ON p.id = r.product_id WHERE r.action = 'create' ORDER BY r.id DESC`,
      ).run(rec);
      db.prepare(
        `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, revert_of)
         SELECT @at, @source, @client, @tool, @origin, 'update', p.id, json_extract(c.before, '$.name'), ${productJson('p')},
           json_set(c.before, '$.updated_at', @at), r.id
         FROM temp.revert_ids r JOIN changes c ON c.id = r.id JOIN products p ON p.id = r.product_id WHERE r.action = 'update' ORDER BY r.id DESC`,
      ).run(rec);
    }
    db.exec(`DELETE FROM products WHERE id IN (SELECT product_id FROM temp.revert_ids WHERE action = 'create')`);
    db.prepare(
      `UPDATE products SET sku = ${field('c', 'sku')}, name = ${field('c', 'name')}, description = ${field('c', 'description')},
         price_cents = ${field('c', 'price')}, category = ${field('c', 'category')},
         stock = ${field('c', 'stock')}, updated_at = iif(@cancel, ${field('c', 'updated_at')}, @at),
         search_text = ${searchSql({ name: field('c', 'name'), sku: field('c', 'sku'), description: field('c', 'description'), category: field('c', 'category') })}
       FROM temp.revert_ids r JOIN changes c ON c.id = r.id WHERE r.action = 'update' AND products.id = r.product_id`,
    ).run({ at, cancel: mode === 'cancel' ? 1 : 0 });
    let reverted: number;
    if (mode === 'undo') {
      reverted = db
        .prepare(
          `UPDATE changes SET undone_at = ?, undone_by = x.id FROM (SELECT id, revert_of FROM changes WHERE id >= ? AND revert_of IS NOT NULL) x
           WHERE changes.id = x.revert_of`,
        )
        .run(at, firstRevert).changes;
    } else {
      reverted = db.prepare('DELETE FROM changes WHERE id IN (SELECT id FROM temp.revert_ids)').run().changes;
    }
    db.exec('DELETE FROM temp.revert_ids');
    return { next: lo, reverted };
  }

  /** After the last revert chunk: the import's final status. */
  close(importId: number, status: 'cancelled' | 'undone'): ImportRecord {
    this.db.prepare('UPDATE imports SET status = ?, finished_at = coalesce(finished_at, ?) WHERE id = ?').run(status, nowIso(), importId);
    return this.get(importId)!;
  }

  requireDone(importId: number): ImportRecord {
    return undoableImport(importId, this.get(importId));
  }
}
