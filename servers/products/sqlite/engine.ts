/**
 * The catalog in a SQLite file as an engine for the rules (domain/rules.ts): each transaction is
 * one synchronous BEGIN IMMEDIATE (nothing else on the connection runs inside it; another process
 * waits for the lock, immediate()), and each row operation a statement over a whole batch (a JSON
 * array through json_each), so an import's chunk of thousands of rows is a handful of statements.
 */
import { immediate } from '../../shared/db.js';
import { processTag } from '../../shared/process.js';
import { StoreError } from '../../shared/errors.js';
import { nowIso } from '../../shared/time.js';
import { changeValues, productValues, toChange, toField, toProduct, toRemoval, type FieldRow, type RemovalRow, type Row } from '../rows.js';
import { fieldIndex, type FieldDef, type FieldValue, type RemovedField } from '../fields.js';
import type { Actor, ImportRecord, Product } from '../schema.js';
import type { ChangeEntry, Engine, EngineTx, ImportedProduct, TransactOptions } from '../domain/engine.js';
import { done, runSync, type Step } from '../domain/steps.js';
import { SqliteUpkeep } from './upkeep.js';

export class SqliteEngine extends SqliteUpkeep implements Engine {
  readonly engine = 'sqlite' as const;

  /** Where this catalog lives (the database file): imports in progress are tracked per catalog. */
  get location(): string {
    return this.db.name;
  }

  async transact<T>(steps: (tx: EngineTx) => Step<T>, opts: TransactOptions = {}): Promise<T> {
    return immediate(this.db, () => {
      // A server that has not yet followed a move must not write here, where nobody would see it again.
      const movedTo = opts.whileMoved ? undefined : this.movedTo();
      if (movedTo !== undefined) {
        throw new StoreError(
          `The catalog has moved to the shared database at ${movedTo}; nothing was changed. Try again in a moment: MCP Tray is switching over.`,
          'unavailable',
        );
      }
      if (opts.bulk) this.freshStatistics();
      return runSync(steps(this.tx));
    });
  }

  /**
   * The query planner's row counts come from the last ANALYZE: a catalog that grew from 5 to 100,000
   * products since would get plans that scan the whole table for every chunk. Re-measured (quickly:
   * analysis_limit) whenever the catalog is more than twice what the statistics say.
   */
  private freshStatistics(): void {
    const stat = this.stmt(`SELECT stat FROM sqlite_stat1 WHERE tbl = 'products' AND idx = 'products_stock'`).pluck().get() as
      string | undefined;
    const estimate = Number(stat?.split(' ')[0] ?? 0);
    const actual = this.stmt('SELECT count(*) FROM products').pluck().get() as number;
    if (actual > 2 * estimate + 1000 || estimate > 2 * actual + 1000) this.db.exec('ANALYZE products');
  }

  /** The next id an AUTOINCREMENT table gives (inside the write transaction nobody else takes it). */
  private nextId(table: 'products' | 'changes'): number {
    return ((this.stmt(`SELECT seq FROM sqlite_sequence WHERE name = ?`).pluck().get(table) as number | undefined) ?? 0) + 1;
  }

  private products(sql: string, ...params: unknown[]): Product[] {
    return (this.stmt(sql).all(...params) as Row[]).map(toProduct);
  }

  /** Row operations: each answers at once (a synchronous engine's steps never wait). */
  private readonly tx: EngineTx = {
    lock: (id) => done(this.getNow(id)),
    lockMany: (ids) =>
      done(this.products('SELECT * FROM products WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id', JSON.stringify(ids))),
    // The column compares without regard to ASCII case (COLLATE NOCASE), and its unique index answers.
    bySkus: (skus) =>
      done(
        skus.length
          ? this.products('SELECT * FROM products WHERE sku IN (SELECT value FROM json_each(?)) ORDER BY id', JSON.stringify(skus))
          : [],
      ),
    spellings: (folded) =>
      done(
        this.stmt(
          `SELECT j.value AS k, (SELECT p.category FROM products p WHERE p.category = j.value LIMIT 1) AS category FROM json_each(?) j`,
        ).all(JSON.stringify(folded)) as Array<{ k: string; category: string | null }>,
      ),
    nextIds: (n) => {
      const first = this.nextId('products');
      return done(Array.from({ length: n }, (_, i) => first + i));
    },
    insert: (products, importId) => {
      if (products.length === 0) return done(undefined);
      // An import's new products go into the search index right after it (migrations.ts, search_backlog).
      if (importId !== null) {
        this.stmt('INSERT INTO search_backlog (id) SELECT value FROM json_each(?)').run(JSON.stringify(products.map((p) => p.id)));
      }
      this.stmt(
        `INSERT INTO products (id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text, extra)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9,
           value ->> 10
         FROM json_each(?)`,
      ).run(JSON.stringify(products.map(productValues)));
      return done(undefined);
    },
    rewrite: (products) => {
      if (products.length === 0) return done(undefined);
      this.stmt(
        `UPDATE products SET sku = s.value ->> 1, name = s.value ->> 2, description = s.value ->> 3, price_cents = s.value ->> 4,
           category = s.value ->> 5, stock = s.value ->> 6, updated_at = s.value ->> 8, search_text = s.value ->> 9,
           extra = s.value ->> 10
         FROM json_each(?) s WHERE products.id = s.value ->> 0`,
      ).run(JSON.stringify(products.map(productValues)));
      return done(undefined);
    },
    remove: (ids) => {
      if (ids.length) this.stmt('DELETE FROM products WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
      return done(undefined);
    },
    append: (entries) => done(this.append(entries)),
    change: (id) => done(this.changeNow(id)),
    changesSince: (productId, since) =>
      done(
        (
          this.stmt('SELECT * FROM changes WHERE product_id = ? AND at >= ? ORDER BY id LIMIT 20').all(productId, since) as Array<
            Record<string, unknown>
          >
        ).map(toChange),
      ),
    markUndone: (pairs, at) => {
      this.stmt(`UPDATE changes SET undone_at = ?, undone_by = x.value ->> 1 FROM json_each(?) x WHERE changes.id = x.value ->> 0`).run(
        at,
        JSON.stringify(pairs),
      );
      return done(undefined);
    },
    importChanges: (importId, below, limit) =>
      done(
        (
          this.stmt(
            `SELECT * FROM changes WHERE import_id = ? AND id < ? AND undone_at IS NULL AND revert_of IS NULL ORDER BY id DESC LIMIT ?`,
          ).all(importId, below, limit) as Array<Record<string, unknown>>
        ).map(toChange),
      ),
    dropChanges: (ids) => {
      if (ids.length) this.stmt('DELETE FROM changes WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
      return done(undefined);
    },
    countImport: (importId, c) => {
      this.stmt('UPDATE imports SET added = added + ?, updated = updated + ?, unchanged = unchanged + ? WHERE id = ?').run(
        c.added,
        c.updated,
        c.unchanged,
        importId,
      );
      return done(undefined);
    },
    fieldDefs: () => done(this.fieldsNow()),
    putField: (f) => {
      this.stmt(
        `INSERT INTO fields (key, label, type, choices, position, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET label = excluded.label, type = excluded.type, choices = excluded.choices, position = excluded.position`,
      ).run(f.key, f.label, f.type, f.choices ? JSON.stringify(f.choices) : null, f.position, nowIso());
      return done(undefined);
    },
    deleteField: (key) => {
      this.stmt('DELETE FROM fields WHERE key = ?').run(key);
      this.db.exec(`DROP INDEX IF EXISTS ${fieldIndex(key)}`);
      return done(undefined);
    },
    moveFieldValues: (from, to) => {
      const path = (k: string) => `$."${k}"`;
      // -> keeps a value's JSON type (true stays true; json_extract would give 1).
      const info =
        to === null
          ? this.stmt('UPDATE products SET extra = json_remove(extra, ?) WHERE extra -> ? IS NOT NULL').run(path(from), path(from))
          : this.stmt('UPDATE products SET extra = json_remove(json_set(extra, ?, json(extra -> ?)), ?) WHERE extra -> ? IS NOT NULL').run(
              path(to),
              path(from),
              path(from),
              path(from),
            );
      return done(info.changes);
    },
    fieldValues: (key) =>
      done(
        (
          this.stmt('SELECT id, sku, name, extra -> ? AS v FROM products WHERE extra -> ? IS NOT NULL ORDER BY id').all(
            `$."${key}"`,
            `$."${key}"`,
          ) as Array<{ id: number; sku: string; name: string; v: string }>
        ).map((r) => ({ id: r.id, sku: r.sku, name: r.name, value: JSON.parse(r.v) as FieldValue })),
      ),
    // Filtering on a field (query_products' where) reads this index, not every product. Its
    // statistics at once: without them the planner may read a yes/no field's index (half the
    // catalog) rather than a narrow range's, and test every other condition on each row it finds.
    reindexField: (f) => {
      this.db.exec(`DROP INDEX IF EXISTS ${fieldIndex(f.key)}`);
      this.indexField(f);
      return done(undefined);
    },
    saveRemoval: (f, values, at) =>
      done(
        this.stmt(
          `INSERT INTO removed_fields (key, label, type, choices, position, removed_at, products, saved_values)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
          .pluck()
          .get(
            f.key,
            f.label,
            f.type,
            f.choices ? JSON.stringify(f.choices) : null,
            f.position,
            at,
            values.length,
            JSON.stringify(values),
          ) as number,
      ),
    removal: (id) => {
      const r = this.stmt('SELECT * FROM removed_fields WHERE id = ?').get(id) as (RemovalRow & { saved_values: string }) | undefined;
      return done(r && { ...toRemoval(r), values: JSON.parse(r.saved_values) as Array<[number, FieldValue]> });
    },
    markRestored: (id, at) => {
      // The values are back on the products: the copy is not needed any more.
      this.stmt(`UPDATE removed_fields SET restored_at = ?, saved_values = '[]' WHERE id = ?`).run(at, id);
      return done(undefined);
    },
  };

  async removedFields(): Promise<RemovedField[]> {
    return (
      this.stmt(
        'SELECT id, key, label, type, choices, position, removed_at, restored_at, products FROM removed_fields ORDER BY id DESC LIMIT 20',
      ).all() as RemovalRow[]
    ).map(toRemoval);
  }

  private fieldsNow(): FieldDef[] {
    return (this.stmt('SELECT key, label, type, choices, position FROM fields ORDER BY position, id').all() as FieldRow[]).map(toField);
  }

  async fields(): Promise<FieldDef[]> {
    return this.fieldsNow();
  }

  async fieldUses(): Promise<Record<string, number>> {
    const rows = this.stmt(
      `SELECT j.key AS k, count(*) AS n FROM products, json_each(products.extra) AS j WHERE products.extra != '{}' GROUP BY j.key`,
    ).all() as Array<{
      k: string;
      n: number;
    }>;
    return Object.fromEntries(rows.map((r) => [r.k, r.n]));
  }

  /**
   * Records changes, their ids following on from the table's last (AUTOINCREMENT, under the write
   * lock). A prepared statement a row: the history has no search index to flush, and binding the
   * values as they are skips encoding each product's JSON inside another JSON text.
   */
  private append(entries: readonly ChangeEntry[]): number[] {
    if (entries.length === 0) return [];
    const first = this.nextId('changes');
    const insert = this.stmt(
      `INSERT INTO changes (at, source, client, tool, origin, action, product_id, product_name, before, after, revert_of, import_id, session)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of entries) insert.run(...changeValues(e));
    return entries.map((_, i) => first + i);
  }

  // The import journal's own records (import.ts drives an import; rules.ts writes its chunks)

  async beginImport(file: string, rows: number, actor: Actor): Promise<number> {
    // While the import writes: the WAL is copied back every 64 MB instead of every 4 MB, and this
    // connection keeps 64 MB of pages (the indexes of a large catalog) instead of 4 MB; both are put
    // back when it ends (endBulk).
    this.db.pragma('wal_autocheckpoint = 16384');
    this.db.pragma('cache_size = -65536');
    return this.transact(() => {
      // The query planner's statistics as they are on disk now: another connection's ANALYZE (a CLI
      // import, another process's) does not reach this one's, and planning a chunk's lookups as if
      // the catalog still had its first five products made each chunk scan all of it (5,000 rows
      // into a 100k catalog took 22 s, locking AI writes out for seconds at a time).
      this.db.exec('ANALYZE sqlite_schema');
      const info = this.stmt(`INSERT INTO imports (started_at, file, client, owner, status, rows) VALUES (?, ?, ?, ?, 'running', ?)`).run(
        nowIso(),
        file,
        actor.client,
        processTag(),
        rows,
      );
      return done(Number(info.lastInsertRowid));
    });
  }

  private endBulk(): void {
    this.db.pragma('cache_size = -4000');
    this.db.pragma('wal_autocheckpoint = 1000');
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  async finishImport(importId: number): Promise<ImportRecord> {
    immediate(this.db, () =>
      this.stmt(`UPDATE imports SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'`).run(nowIso(), importId),
    );
    this.endBulk();
    return this.importNow(importId)!;
  }

  async closeImport(importId: number, status: 'cancelled' | 'undone'): Promise<ImportRecord> {
    immediate(this.db, () =>
      this.stmt('UPDATE imports SET status = ?, finished_at = coalesce(finished_at, ?) WHERE id = ?').run(status, nowIso(), importId),
    );
    this.endBulk();
    return this.importNow(importId)!;
  }

  async importedProducts(importId: number): Promise<ImportedProduct[]> {
    const rows = this.stmt(
      `SELECT c.product_id AS productId, c.product_name AS productName, c.after AS changed, p.*
       FROM changes c LEFT JOIN products p ON p.id = c.product_id
       WHERE c.id IN (SELECT max(id) FROM changes WHERE import_id = ? AND undone_at IS NULL AND revert_of IS NULL GROUP BY product_id)
       ORDER BY c.id`,
    ).all(importId) as Array<Row & { productId: number; productName: string; changed: string | null }>;
    return rows.map((r) => ({
      productId: r.productId,
      productName: r.productName,
      after: r.changed ? (JSON.parse(r.changed) as Product) : null,
      now: r.id === null ? null : toProduct(r),
    }));
  }
}
