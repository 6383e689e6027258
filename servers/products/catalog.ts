/**
 * The catalog as everything above the storage engine uses it: the products server's tools,
 * resources and prompts, the app's catalog service and the file import. One asynchronous interface
 * over two engines (sqlite/, postgres/): each answers reads with its own queries, and every write
 * goes through the same rules (domain/rules.ts).
 */
import type { Db } from '../shared/db.js';
import type { Engine } from './domain/engine.js';
import type {
  CatalogEngine,
  CatalogReader,
  CatalogWriter,
  ChangeLog,
  FieldSchema,
  ImportJournal,
  TableCopy,
  Upkeep,
} from './domain/roles.js';
import { CatalogRules } from './domain/rules.js';
import { noSuchProduct } from './history.js';
import { nextCursor, queryStart } from './rows.js';
import { fieldConditions } from './domain/rules.js';

export type { CatalogEngine };

export interface LocalParts {
  /** The database file's connection (backups, checks). */
  readonly db: Db;
  /**
   * Marks the file as moved to a shared database (every write to it is then refused, so nothing
   * lands where nobody looks any more), or as in use again (null).
   */
  markMoved(where: string | null): Promise<void>;
  /** At a start: clears a "moved" mark a move that did not finish left. */
  clearStaleMove(): Promise<void>;
}

export interface SharedParts {
  /** "db.example:5432/shop": how the window and messages name a shared catalog. */
  readonly where: string;
  /** Whether substring search has its trigram index (pg_trgm); without it, search reads every product. */
  readonly searchIndexed: boolean;
}

export interface Catalog extends CatalogReader, CatalogWriter, ChangeLog, ImportJournal, Upkeep, TableCopy, FieldSchema {
  readonly engine: CatalogEngine;
  /** What only a catalog in a file on this computer has (absent for a shared database). */
  readonly local?: LocalParts;
  /** What only a team's shared database has (absent for a file on this computer). */
  readonly shared?: SharedParts;
  /**
   * Calls onChange when the catalog is changed by anyone else: another process on this computer,
   * or (a shared database) another computer. Returns the function that stops watching.
   */
  watch(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** What only the engine's own catalog knows: watching, closing, a file's extras. */
export interface CatalogExtras {
  readonly local?: LocalParts;
  readonly shared?: SharedParts;
  watch(onChange: () => void): () => void;
  close(): Promise<void>;
}

/** A catalog over an engine: its reads answer from the engine, its writes go through the rules. */
export function catalogOver<E extends Engine, X extends CatalogExtras>(engine: E, extras: X): Catalog & X {
  const rules = new CatalogRules(engine);
  const catalog: Catalog = {
    engine: engine.engine,
    get location() {
      return engine.location;
    },
    // Reading
    get: (id) => engine.get(id),
    getBySku: (sku) => engine.getBySku(sku),
    countExistingSkus: (skus) => engine.countExistingSkus(skus),
    require: async (id) => (await engine.get(id)) ?? Promise.reject(noSuchProduct(id)),
    count: () => engine.count(),
    list: (q) => engine.list(q),
    // A page for the query_products tool, with an opaque cursor bound to the query it came from.
    query: async (q) => {
      const start = queryStart(q);
      const conditions = q.where && Object.keys(q.where).length ? fieldConditions(await engine.fields(), q.where) : undefined;
      const { rows, total } = await engine.list({ ...q, conditions, offset: start.offset, limit: start.limit });
      return { products: rows, total, next_cursor: nextCursor(start, rows.length, total) };
    },
    categories: () => engine.categories(),
    categoryNames: () => engine.categoryNames(),
    canonicalCategory: (c) => engine.canonicalCategory(c),
    stats: (low) => engine.stats(low),
    iterate: (filters) => engine.iterate(filters),
    // Writing, undo, the import journal: the rules
    add: (input, actor) => rules.add(input, actor),
    update: (id, patch, actor, expected) => rules.update(id, patch, actor, expected),
    setStock: (id, stock, actor, expected) => rules.setStock(id, stock, actor, expected),
    remove: (id, actor) => rules.remove(id, actor),
    upsertMany: (rows, actor) => rules.upsertMany(rows, actor),
    changes: (opts) => engine.changes(opts),
    change: (id) => engine.change(id),
    undo: (id, actor) => rules.undo(id, actor),
    beginImport: (file, rows, actor) => engine.beginImport(file, rows, actor),
    importChunk: (id, rows, actor) => rules.importChunk(id, rows, actor),
    finishImport: (id) => engine.finishImport(id),
    revertImportChunk: (id, mode, actor, below, limit) => rules.revertImportChunk(id, mode, actor, below, limit),
    closeImport: (id, status) => engine.closeImport(id, status),
    checkImportUndo: (id) => rules.checkImportUndo(id),
    imports: (limit) => engine.imports(limit),
    importRecord: (id) => engine.importRecord(id),
    unfinishedImports: () => engine.unfinishedImports(),
    // Upkeep and copying
    analyze: () => engine.analyze(),
    tidyStep: () => engine.tidyStep(),
    indexStep: () => engine.indexStep(),
    needsTidy: () => engine.needsTidy(),
    isEmpty: () => engine.isEmpty(),
    tableCount: (t) => engine.tableCount(t),
    tableRows: (t, after, limit) => engine.tableRows(t, after, limit),
    loadTableRows: (t, rows) => engine.loadTableRows(t, rows),
    clear: () => engine.clear(),
    // The catalog's own fields
    fields: () => engine.fields(),
    fieldUses: () => engine.fieldUses(),
    addField: (input, opts) => rules.addField(input, opts),
    renameField: (key, label) => rules.renameField(key, label),
    changeFieldType: (key, type, choices) => rules.changeFieldType(key, type, choices),
    moveField: (key, to) => rules.moveField(key, to),
    removeField: (key) => rules.removeField(key),
    restoreField: (id) => rules.restoreField(id),
    removedFields: () => engine.removedFields(),
    indexFields: () => engine.indexFields(),
    watch: (onChange) => extras.watch(onChange),
    close: () => extras.close(),
  };
  return Object.defineProperties(catalog, Object.getOwnPropertyDescriptors(extras)) as Catalog & X;
}
