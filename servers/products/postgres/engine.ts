/**
 * A team's shared catalog as an engine for the rules (domain/rules.ts). Each transaction holds one
 * pooled connection and locks the rows it changes (SELECT … FOR UPDATE), so two people's writes to
 * one product queue instead of overwriting each other; batches go in as arrays (unnest) or COPY.
 * Changes reach every install through LISTEN/NOTIFY (pool.ts, listen.ts).
 */
import type { PoolClient, QueryResultRow } from 'pg';
import { processTag } from '../../shared/process.js';
import { nowIso } from '../../shared/time.js';
import { changeValues, productValues, toChange, toField, toProduct, toRemoval, type FieldRow, type RemovalRow, type Row } from '../rows.js';
import { fieldExpression, fieldIndex, fieldIndexed, type FieldDef, type FieldValue, type RemovedField } from '../fields.js';
import type { Actor, ImportRecord, Product } from '../schema.js';
import type { Engine, EngineTx, ImportedProduct } from '../domain/engine.js';
import { CATALOG_TABLES, TABLE_COLUMNS, type CatalogTable } from '../domain/roles.js';
import { runAsync, wait, type Step } from '../domain/steps.js';
import { copyRows } from './copy.js';
import { formatPgUrl } from './connect.js';
import { PgReader } from './reads.js';

const PRODUCT_COLUMNS = TABLE_COLUMNS.products;
/** What a new change record is written with (the rest are set later, by an undo, or by the database). */
const CHANGE_COLUMNS = TABLE_COLUMNS.changes.filter((c) => !['id', 'undone_at', 'undone_by'].includes(c));

/** Rows as columns: the arrays unnest() takes, one per column (each row built once). */
const byColumn = (rows: ReadonlyArray<readonly unknown[]>): unknown[][] => rows[0]!.map((_, i) => rows.map((r) => r[i]));

/** Above this many rows a batch goes in with COPY (one stream) rather than one INSERT of arrays. */
const COPY_FROM = 50;

export class PgEngine extends PgReader implements Engine {
  readonly engine = 'postgres' as const;

  /** The database address without its password. */
  get location(): string {
    return formatPgUrl(this.db.target);
  }

  transact<T>(steps: (tx: EngineTx) => Step<T>): Promise<T> {
    return this.db.tx((c) => runAsync(steps(txOn(c))));
  }

  // The import journal's own records (import.ts drives an import; rules.ts writes its chunks)

  async beginImport(file: string, rows: number, actor: Actor): Promise<number> {
    const [r] = await this.db.read<{ id: number }>(
      `INSERT INTO imports (started_at, file, client, owner, status, rows) VALUES ($1, $2, $3, $4, 'running', $5) RETURNING id`,
      [nowIso(), file, actor.client, processTag(), rows],
    );
    return r!.id;
  }

  async finishImport(importId: number): Promise<ImportRecord> {
    // Many rows at once: the planner's row counts and value frequencies (search among them) are stale.
    await this.analyze();
    await this.db.read(`UPDATE imports SET status = 'done', finished_at = $1 WHERE id = $2 AND status = 'running'`, [nowIso(), importId]);
    return (await this.importRecord(importId))!;
  }

  async closeImport(importId: number, status: 'cancelled' | 'undone'): Promise<ImportRecord> {
    await this.db.read('UPDATE imports SET status = $1, finished_at = coalesce(finished_at, $2) WHERE id = $3', [
      status,
      nowIso(),
      importId,
    ]);
    return (await this.importRecord(importId))!;
  }

  async importedProducts(importId: number): Promise<ImportedProduct[]> {
    const rows = await this.db.read<{ id: number; name: string; after: string | null; p: Row | null }>(
      `SELECT DISTINCT ON (c.product_id) c.product_id AS id, c.product_name AS name, c.after, to_jsonb(p) AS p
       FROM changes c LEFT JOIN products p ON p.id = c.product_id
       WHERE c.import_id = $1 AND c.undone_at IS NULL AND c.revert_of IS NULL
       ORDER BY c.product_id, c.id DESC`,
      [importId],
    );
    return rows.map((r) => ({
      productId: r.id,
      productName: r.name,
      after: r.after ? (JSON.parse(r.after) as Product) : null,
      now: r.p ? toProduct(r.p) : null,
    }));
  }

  async fields(): Promise<FieldDef[]> {
    return (await this.db.read<FieldRow>('SELECT key, label, type, choices, position FROM fields ORDER BY position, id')).map(toField);
  }

  async fieldUses(): Promise<Record<string, number>> {
    const rows = await this.db.read<{ k: string; n: number }>(
      `SELECT k, count(*)::int AS n FROM products, jsonb_object_keys(extra::jsonb) AS k WHERE extra <> '{}' GROUP BY k`,
    );
    return Object.fromEntries(rows.map((r) => [r.k, r.n]));
  }

  async removedFields(): Promise<RemovedField[]> {
    return (
      await this.db.read<RemovalRow>(
        'SELECT id, key, label, type, choices, position, removed_at, restored_at, products FROM removed_fields ORDER BY id DESC LIMIT 20',
      )
    ).map((r) => toRemoval({ ...r, id: Number(r.id) }));
  }

  async indexFields(): Promise<void> {
    for (const f of await this.fields()) if (fieldIndexed(f.type)) await this.db.tx((c) => c.query(indexSql(f)));
  }

  // Upkeep

  async analyze(): Promise<void> {
    await this.db.read('ANALYZE products');
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

  // Copying a whole catalog (copy-catalog.ts)

  async isEmpty(): Promise<boolean> {
    const [r] = await this.db.read<{ empty: boolean }>(
      'SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM changes) AND NOT EXISTS (SELECT 1 FROM imports) AS empty',
    );
    return r!.empty;
  }

  async tableCount(table: CatalogTable): Promise<number> {
    const [r] = await this.db.read<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    return r!.n;
  }

  async tableRows(table: CatalogTable, afterId: number, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.db.read(`SELECT ${TABLE_COLUMNS[table].join(', ')} FROM ${table} WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  }

  async loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const cols = TABLE_COLUMNS[table];
    await this.db.tx(async (c) => {
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

  async clear(): Promise<void> {
    await this.db.tx(async (c) => {
      await c.query(`TRUNCATE ${[...CATALOG_TABLES].reverse().join(', ')} RESTART IDENTITY`);
    });
  }
}

/** The row operations of one transaction, on its connection. */
function txOn(c: PoolClient): EngineTx {
  function* rows<R extends QueryResultRow>(sql: string, params: unknown[]): Step<R[]> {
    return (yield* wait(c.query<R>(sql, params))).rows;
  }
  function* products(sql: string, params: unknown[]): Step<Product[]> {
    return (yield* rows<Row>(sql, params)).map(toProduct);
  }
  function* run(sql: string, params: unknown[]): Step<void> {
    yield* wait(c.query(sql, params));
  }
  return {
    lock: function* (id) {
      return (yield* products('SELECT * FROM products WHERE id = $1 FOR UPDATE', [id]))[0];
    },
    lockMany: (ids) => products('SELECT * FROM products WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]),
    // Looked up one SKU at a time through the unique index (a list compared at once is planned as a
    // scan of the whole table while its statistics are those of an empty one, as during a first import).
    bySkus: (skus) =>
      products(
        `SELECT p.* FROM unnest($1::text[]) AS k, LATERAL (SELECT * FROM products WHERE mcp_nocase(sku) = mcp_nocase(k)) AS p ORDER BY p.id FOR UPDATE OF p`,
        [skus],
      ),
    // One index probe per category (not every product of each: a category may have thousands).
    spellings: (folded) =>
      rows<{ k: string; category: string | null }>(
        `SELECT k, (SELECT category FROM products WHERE mcp_nocase(category) = k LIMIT 1) AS category FROM unnest($1::text[]) AS k`,
        [folded],
      ),
    nextIds: function* (n) {
      if (n === 0) return [];
      const ids = yield* rows<{ id: number }>(
        `SELECT nextval(pg_get_serial_sequence('products', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1`,
        [n],
      );
      return ids.map((r) => r.id);
    },
    insert: function* (list) {
      if (list.length > COPY_FROM) yield* wait(copyRows(c, 'products', PRODUCT_COLUMNS, list.map(productValues)));
      else if (list.length)
        yield* run(
          `INSERT INTO products (${PRODUCT_COLUMNS.join(', ')})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])`,
          byColumn(list.map(productValues)),
        );
    },
    rewrite: function* (list) {
      if (list.length === 0) return;
      yield* run(
        `UPDATE products p SET sku = s.sku, name = s.name, description = s.description, price_cents = s.price_cents, category = s.category,
           stock = s.stock, updated_at = s.updated_at, search_text = s.search_text, extra = s.extra
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS s(id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text, extra)
         WHERE p.id = s.id`,
        byColumn(list.map(productValues)),
      );
    },
    remove: function* (ids) {
      if (ids.length) yield* run('DELETE FROM products WHERE id = ANY($1::bigint[])', [ids]);
    },
    append: function* (entries) {
      if (entries.length === 0) return [];
      if (entries.length > COPY_FROM) {
        // Many (an import's chunk): their ids drawn first, then one COPY stream.
        const ids = (yield* rows<{ id: number }>(
          `SELECT nextval(pg_get_serial_sequence('changes', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1`,
          [entries.length],
        )).map((r) => r.id);
        yield* wait(
          copyRows(
            c,
            'changes',
            ['id', ...CHANGE_COLUMNS],
            entries.map((e, i) => [ids[i], ...changeValues(e)]),
          ),
        );
        return ids;
      }
      const ids = yield* rows<{ id: number }>(
        `INSERT INTO changes (${CHANGE_COLUMNS.join(', ')})
         SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[])
           WITH ORDINALITY AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, n)
         ORDER BY n RETURNING id`,
        byColumn(entries.map(changeValues)),
      );
      // Identity values are drawn in the order the rows go in.
      return ids.map((r) => r.id).sort((a, b) => a - b);
    },
    change: function* (id) {
      const [r] = yield* rows('SELECT * FROM changes WHERE id = $1 FOR UPDATE', [id]);
      return r && toChange(r);
    },
    changesSince: function* (productId, since) {
      const found = yield* rows('SELECT * FROM changes WHERE product_id = $1 AND at COLLATE "C" >= $2 ORDER BY id LIMIT 20', [
        productId,
        since,
      ]);
      return found.map(toChange);
    },
    markUndone: (pairs, at) =>
      run(
        `UPDATE changes SET undone_at = $1, undone_by = x.by FROM unnest($2::bigint[], $3::bigint[]) AS x(id, by) WHERE changes.id = x.id`,
        [at, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      ),
    importChanges: function* (importId, below, limit) {
      const found = yield* rows(
        `SELECT * FROM changes WHERE import_id = $1 AND id < $2 AND undone_at IS NULL AND revert_of IS NULL ORDER BY id DESC LIMIT $3`,
        [importId, below, limit],
      );
      return found.map(toChange);
    },
    dropChanges: function* (ids) {
      if (ids.length) yield* run('DELETE FROM changes WHERE id = ANY($1::bigint[])', [ids]);
    },
    countImport: (importId, n) =>
      run('UPDATE imports SET added = added + $1, updated = updated + $2, unchanged = unchanged + $3 WHERE id = $4', [
        n.added,
        n.updated,
        n.unchanged,
        importId,
      ]),
    fieldDefs: function* () {
      return (yield* rows<FieldRow>('SELECT key, label, type, choices, position FROM fields ORDER BY position, id', [])).map(toField);
    },
    putField: function* (f) {
      yield* run(
        `INSERT INTO fields (key, label, type, choices, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET label = excluded.label, type = excluded.type, choices = excluded.choices, position = excluded.position`,
        [f.key, f.label, f.type, f.choices ? JSON.stringify(f.choices) : null, f.position, nowIso()],
      );
    },
    deleteField: function* (key) {
      yield* run('DELETE FROM fields WHERE key = $1', [key]);
      yield* run(`DROP INDEX IF EXISTS ${fieldIndex(key)}`, []);
    },
    moveFieldValues: function* (from, to) {
      const r = yield* wait(
        c.query(
          to === null
            ? `UPDATE products SET extra = (extra::jsonb - $1::text)::text WHERE extra::jsonb ? $1::text`
            : `UPDATE products SET extra = ((extra::jsonb - $1::text) || jsonb_build_object($2::text, extra::jsonb -> $1::text))::text
               WHERE extra::jsonb ? $1::text`,
          to === null ? [from] : [from, to],
        ),
      );
      return r.rowCount ?? 0;
    },
    fieldValues: function* (key) {
      return (yield* rows<{ id: string | number; sku: string; name: string; v: FieldValue }>(
        'SELECT id, sku, name, extra::jsonb -> $1::text AS v FROM products WHERE extra::jsonb ? $1::text ORDER BY id',
        [key],
      )).map((r) => ({ id: Number(r.id), sku: r.sku, name: r.name, value: r.v }));
    },
    reindexField: function* (f) {
      yield* run(`DROP INDEX IF EXISTS ${fieldIndex(f.key)}`, []);
      if (fieldIndexed(f.type)) yield* run(indexSql(f), []);
    },
    saveRemoval: function* (f, values, at) {
      const [r] = yield* rows<{ id: string | number }>(
        `INSERT INTO removed_fields (key, label, type, choices, position, removed_at, products, saved_values)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [f.key, f.label, f.type, f.choices ? JSON.stringify(f.choices) : null, f.position, at, values.length, JSON.stringify(values)],
      );
      return Number(r!.id);
    },
    removal: function* (id) {
      const [r] = yield* rows<RemovalRow & { saved_values: string }>('SELECT * FROM removed_fields WHERE id = $1 FOR UPDATE', [id]);
      return r && { ...toRemoval({ ...r, id: Number(r.id) }), values: JSON.parse(r.saved_values) as Array<[number, FieldValue]> };
    },
    markRestored: (id, at) => run(`UPDATE removed_fields SET restored_at = $1, saved_values = '[]' WHERE id = $2`, [at, id]),
  };
}

/** The index that makes filtering on a field (query_products' where) quick. */
const indexSql = (f: FieldDef) =>
  `CREATE INDEX IF NOT EXISTS ${fieldIndex(f.key)} ON products (${fieldExpression('postgres', f.key, f.type === 'number')})`;
