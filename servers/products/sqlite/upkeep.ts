/**
 * Keeping a SQLite catalog quick and whole: merging the search index after bulk writes, indexing
 * what an import added, copying tables to and from another catalog, and the "moved" mark a move to a
 * shared database leaves on the file.
 */
import { immediate } from '../../shared/db.js';
import { processTag, taggedProcess } from '../../shared/process.js';
import { nowIso } from '../../shared/time.js';
import { fieldExpression, fieldIndex, fieldIndexed, type FieldDef } from '../fields.js';
import { TABLE_COLUMNS, type CatalogTable, type TableCopy, type Upkeep } from '../domain/roles.js';
import { SqliteReader } from './reads.js';

/** Products an import added put into the search index per step (indexStep): about 80 ms of work. */
const INDEX_STEP = 5000;

export class SqliteUpkeep extends SqliteReader implements Upkeep, TableCopy {
  async analyze(): Promise<void> {
    this.db.exec('ANALYZE products');
  }

  /**
   * One bounded step (~500 pages) of merging the search index's large segments into one, in its own
   * short write transaction; false once they are one (or no two are left on one level). An import
   * writes the trigram index a chunk at a time, leaving it in many segments that every search then
   * reads (100k products: a product number's search 0.8 ms, 0.2 ms once merged). Merges go level by
   * level ('usermerge' 2, a positive 'merge'): the small segment every edit adds stays out of them.
   * A negative 'merge' takes every segment in, so with an AI app editing every moment it started
   * over on the whole index at each step, never ended, and grew the file without bound.
   */
  async tidyStep(): Promise<boolean> {
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
  async needsTidy(): Promise<boolean> {
    return this.indexBehind() || this.largeSegmentsSplit() || this.fieldsUnindexed().length > 0;
  }

  /** Fields whose index is not built yet (an import's new columns until its tidy-up has run). */
  private fieldsUnindexed(): Array<Pick<FieldDef, 'key' | 'type'>> {
    const have = new Set(this.stmt(`SELECT name FROM sqlite_schema WHERE type = 'index'`).pluck().all() as string[]);
    return (this.stmt('SELECT key, type FROM fields').all() as Array<Pick<FieldDef, 'key' | 'type'>>).filter(
      (f) => fieldIndexed(f.type) && !have.has(fieldIndex(f.key)),
    );
  }

  private largeSegmentsSplit(): boolean {
    return (
      (this.stmt('SELECT count(*) FROM (SELECT segid FROM products_search_idx GROUP BY segid HAVING max(pgno) > 64)')
        .pluck()
        .get() as number) > 1
    );
  }

  /** Up to INDEX_STEP products an import added put into the search index, in a short write transaction. */
  async indexStep(): Promise<boolean> {
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

  // Copying a whole catalog (copy-catalog.ts)

  async isEmpty(): Promise<boolean> {
    const sql =
      'SELECT NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM changes) AND NOT EXISTS (SELECT 1 FROM imports) AND NOT EXISTS (SELECT 1 FROM fields)';
    return (this.stmt(sql).pluck().get() as number) === 1;
  }

  async tableCount(table: CatalogTable): Promise<number> {
    return this.stmt(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  async tableRows(table: CatalogTable, afterId: number, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.stmt(`SELECT ${TABLE_COLUMNS[table].join(', ')} FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(
      afterId,
      limit,
    ) as Array<Record<string, unknown>>;
  }

  async loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const cols = TABLE_COLUMNS[table];
    // One statement for the batch (not one per row: the search index's triggers then flush once).
    immediate(this.db, () =>
      this.stmt(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map((c) => `value ->> '${c}'`).join(', ')} FROM json_each(?)`).run(
        JSON.stringify(rows),
      ),
    );
  }

  /**
   * The index that makes filtering on a field quick, with its statistics at once. Not for a yes/no
   * field: half the catalog has each value, so reading the index is no quicker than the table, and
   * with it the planner would read half the catalog rather than another condition's narrow range.
   */
  protected indexField(f: Pick<FieldDef, 'key' | 'type'>): void {
    if (!fieldIndexed(f.type)) return;
    this.db.exec(`CREATE INDEX IF NOT EXISTS ${fieldIndex(f.key)} ON products ${fieldExpression('sqlite', f.key, f.type === 'number')}`);
    this.db.exec(`ANALYZE ${fieldIndex(f.key)}`);
  }

  /** Builds the indexes fields lack (a copied catalog's, an import's new columns'), one field per write transaction. */
  async indexFields(): Promise<void> {
    for (const f of this.fieldsUnindexed()) {
      // (Unless it was removed meanwhile, by another process: no index for a field that is gone.)
      immediate(this.db, () => this.stmt('SELECT 1 FROM fields WHERE key = ?').get(f.key) !== undefined && this.indexField(f));
      await new Promise((r) => setImmediate(r));
    }
  }

  async clear(): Promise<void> {
    immediate(this.db, () =>
      this.db.exec('DELETE FROM changes; DELETE FROM products; DELETE FROM imports; DELETE FROM fields; DELETE FROM removed_fields;'),
    );
  }

  // Moved to a shared database

  /** Where the catalog has moved, if this file is marked so (every write here is then refused). */
  protected movedTo(): string | undefined {
    return this.stmt(`SELECT value FROM catalog_meta WHERE key = 'moved_to'`).pluck().get() as string | undefined;
  }

  /**
   * Marks this file's catalog as moved to a shared database, by this process, now (so a start
   * elsewhere can tell a move under way from one that stopped), or as in use again (null).
   */
  async markMoved(where: string | null): Promise<void> {
    immediate(this.db, () => {
      if (where === null) this.stmt(`DELETE FROM catalog_meta WHERE key IN ('moved_to', 'moved_by', 'moved_at')`).run();
      else
        this.stmt(`INSERT OR REPLACE INTO catalog_meta (key, value) VALUES ('moved_to', ?), ('moved_by', ?), ('moved_at', ?)`).run(
          where,
          processTag(),
          nowIso(),
        );
    });
  }

  /**
   * At a start with the catalog on this computer: clears a "moved" mark left by a move that did not
   * finish (MCP Tray stopped between marking the file and saving the settings). A mark whose mover
   * still runs stays: that move is under way, and its switch-over relies on the file refusing writes.
   * One older than an hour is stale whoever holds its process id now (a move takes seconds to
   * minutes; process ids are reused).
   */
  async clearStaleMove(): Promise<void> {
    const rows = this.stmt(`SELECT key, value FROM catalog_meta WHERE key IN ('moved_to', 'moved_by', 'moved_at')`).all() as Array<{
      key: string;
      value: string;
    }>;
    const meta = new Map(rows.map((r) => [r.key, r.value]));
    if (!meta.has('moved_to')) return; // (the usual case: no write transaction at every start)
    const by = meta.get('moved_by');
    const at = Date.parse(meta.get('moved_at') ?? '');
    if (by !== undefined && taggedProcess(by) === 'running' && Date.now() - at < 3_600_000) return;
    await this.markMoved(null);
  }
}
