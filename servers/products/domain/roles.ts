/**
 * What a catalog offers, split by role, so a caller names what it needs: the products server's tools
 * read and write, the import drives the journal, a move copies tables, the app's upkeep tidies. Every
 * catalog (the SQLite file, a team's PostgreSQL database) offers all of them (catalog.ts, Catalog),
 * with the same rules (rules.ts) and the same errors (StoreError).
 */
import type {
  Actor,
  ChangeRecord,
  ImportRecord,
  NewProduct,
  Product,
  ProductPage,
  ProductPatch,
  ProductQuery,
  SortField,
} from '../schema.js';
import type { FieldDef, FieldType, FieldValue, RemovedField } from '../fields.js';

/** Where a catalog lives: a SQLite file on this computer, or a team's PostgreSQL database. */
export type CatalogEngine = 'sqlite' | 'postgres';

/** A test on one of the catalog's own fields: equal to a value, or within a range (numbers, dates). */
export type FieldCondition =
  { key: string; eq: FieldValue; numeric: boolean } | { key: string; min?: FieldValue; max?: FieldValue; numeric: boolean };

export type ProductFilters = Pick<ProductQuery, 'min_price' | 'max_price' | 'category' | 'in_stock' | 'low_stock_below' | 'search'> & {
  /** Tests on the catalog's own fields, all of which must hold (the catalog makes them from `where`). */
  conditions?: readonly FieldCondition[];
};
export type ListQuery = ProductFilters & { sort?: SortField; order?: 'asc' | 'desc'; offset?: number; limit?: number };
export type ChangesQuery = {
  /** One source, or any of several. */
  source?: Actor['source'] | ReadonlyArray<Actor['source']>;
  limit?: number;
  beforeId?: number;
  productId?: number;
};
export type CategoryCount = { name: string; count: number; inStock: number };
export type ChunkResult = { added: number; updated: number; unchanged: number };

export interface CatalogStats {
  products: number;
  units: number;
  soldOut: number;
  lowStock: number;
  stockValue: number;
  categories: number;
}

/** The catalog's tables, in the order a copy writes them (changes refer to imports). */
export const CATALOG_TABLES = ['fields', 'removed_fields', 'imports', 'products', 'changes'] as const;
export type CatalogTable = (typeof CATALOG_TABLES)[number];

/** Every column of each table: the same in both engines, so a row copies from one to the other as it is. */
export const TABLE_COLUMNS: Record<CatalogTable, readonly string[]> = {
  imports: ['id', 'started_at', 'finished_at', 'file', 'client', 'owner', 'status', 'rows', 'added', 'updated', 'unchanged'],
  fields: ['id', 'key', 'label', 'type', 'choices', 'position', 'created_at'],
  removed_fields: ['id', 'key', 'label', 'type', 'choices', 'position', 'removed_at', 'restored_at', 'products', 'saved_values'],
  products: ['id', 'sku', 'name', 'description', 'price_cents', 'category', 'stock', 'created_at', 'updated_at', 'search_text', 'extra'],
  changes: [
    'id',
    'at',
    'source',
    'client',
    'tool',
    'origin',
    'action',
    'product_id',
    'product_name',
    'before',
    'after',
    'undone_at',
    'undone_by',
    'revert_of',
    'import_id',
    'session',
  ],
};

/** Reading products: each engine answers these with its own queries (its own search index). */
export interface CatalogReader {
  get(id: number): Promise<Product | undefined>;
  getBySku(sku: string): Promise<Product | undefined>;
  /** How many of these SKUs (compared without regard to ASCII case) the catalog has. */
  countExistingSkus(skus: readonly string[]): Promise<number>;
  require(id: number): Promise<Product>;
  count(): Promise<number>;
  /** One page by offset (the app's grid scrolls to any row) with the total count. */
  list(q: ListQuery): Promise<{ rows: Product[]; total: number }>;
  /** A page for the query_products tool, with an opaque cursor bound to the query it came from. */
  query(q: ProductQuery): Promise<ProductPage>;
  categories(): Promise<CategoryCount[]>;
  /** Just the category names (cheap enough to run after every change). */
  categoryNames(): Promise<string[]>;
  /** The spelling the catalog already uses for a category ("electronics" → "Electronics"). */
  canonicalCategory(category: string): Promise<string | undefined>;
  stats(lowStockBelow?: number): Promise<CatalogStats>;
  /** Every product matching the filters in id order, read a batch at a time (exports, copying a catalog). */
  iterate(filters?: ProductFilters): AsyncIterable<Product>;
}

/** Changing products: each one transaction that also records the change (rules.ts). */
export interface CatalogWriter {
  add(input: NewProduct, actor: Actor): Promise<Product>;
  /**
   * `expectedUpdatedAt`: the product's updated_at as the caller read it; if anyone changed it since,
   * the edit is refused (a conflict naming what changed), never written over theirs.
   */
  update(
    id: number,
    patch: ProductPatch,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): Promise<{ product: Product; before: Product; changed: boolean }>;
  setStock(
    id: number,
    stock: number,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): Promise<{ product: Product; previousStock: number; changed: boolean }>;
  remove(id: number, actor: Actor): Promise<Product>;
  /** Adds or updates many products in one transaction (all or nothing): a row whose SKU exists updates it. */
  upsertMany(rows: readonly NewProduct[], actor: Actor): Promise<ChunkResult>;
}

/** The change history, and undoing one change. */
export interface ChangeLog {
  changes(opts?: ChangesQuery): Promise<ChangeRecord[]>;
  change(id: number): Promise<ChangeRecord | undefined>;
  undo(changeId: number, actor: Actor): Promise<{ change: ChangeRecord; product: Product | null }>;
}

/** File imports: each call one short transaction (import.ts drives them), undone or cancelled as one unit. */
export interface ImportJournal {
  beginImport(file: string, rows: number, actor: Actor): Promise<number>;
  importChunk(importId: number, rows: readonly NewProduct[], actor: Actor): Promise<ChunkResult>;
  finishImport(importId: number): Promise<ImportRecord>;
  revertImportChunk(
    importId: number,
    mode: 'cancel' | 'undo',
    actor: Actor,
    below: number,
    limit: number,
  ): Promise<{ next: number | null; reverted: number }>;
  closeImport(importId: number, status: 'cancelled' | 'undone'): Promise<ImportRecord>;
  /** Before undoing a whole import: it finished, and nothing it wrote was changed by anyone since. */
  checkImportUndo(importId: number): Promise<ImportRecord>;
  imports(limit?: number): Promise<ImportRecord[]>;
  importRecord(importId: number): Promise<ImportRecord | undefined>;
  /** Imports still marked running: who writes them, and (where known) when they last wrote. */
  unfinishedImports(): Promise<Array<{ id: number; owner: string; lastActive?: string }>>;
  /** Where the catalog lives (a file, a database address without its password): imports are tracked per catalog. */
  readonly location: string;
}

/** Keeping the catalog quick after bulk changes. */
export interface Upkeep {
  /** Brings the query planner's statistics up to date after a bulk change (a copy, an import). */
  analyze(): Promise<void>;
  /** One bounded step of reorganising what bulk writes left untidy (import.ts, tidyAfterBulk). False when done. */
  tidyStep(): Promise<boolean>;
  /** One bounded step of indexing products an import added, where the engine leaves that until after it. */
  indexStep(): Promise<boolean>;
  /** Whether tidyStep or indexStep has work to do (a quick read). */
  needsTidy(): Promise<boolean>;
}

/** Moving a whole catalog to another engine (copy-catalog.ts). */
export interface TableCopy {
  /** Whether there is nothing in it: no products, no history, no imports. */
  isEmpty(): Promise<boolean>;
  tableCount(table: CatalogTable): Promise<number>;
  /** Up to `limit` rows of a table with ids above `afterId`, in id order, every column as stored. */
  tableRows(table: CatalogTable, afterId: number, limit: number): Promise<Array<Record<string, unknown>>>;
  /** Writes rows copied from another catalog as they are (one transaction), ids included. */
  loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Removes every product, change and import (before a copy replaces them; the caller backs up first). */
  clear(): Promise<void>;
  /** Builds each field's index (after its definition was copied in as a row). */
  indexFields(): Promise<void>;
}

/** The catalog's own fields (fields.ts): what they are, and adding, renaming and removing them. */
export interface FieldSchema {
  fields(): Promise<FieldDef[]>;
  /** How many products have a value for each field (one pass over the catalog). */
  fieldUses(): Promise<Record<string, number>>;
  /**
   * `deferIndex`: the field's index is built by the tidy-up after a bulk write (an import adding its
   * file's new columns: indexing 100k rows at once is quicker than keeping an index up row by row).
   */
  addField(input: { label: string; type: FieldType; choices?: readonly string[] }, opts?: { deferIndex?: boolean }): Promise<FieldDef>;
  /** A new label (its key follows it; every product's value moves with it). */
  renameField(key: string, label: string): Promise<FieldDef>;
  /**
   * A new type (and a choice field's options): every value is converted ("12" to 12, "yes" to true,
   * any to text), or nothing changes and the products whose values cannot be are named.
   */
  changeFieldType(key: string, type: FieldType, choices?: readonly string[]): Promise<{ field: FieldDef; converted: number }>;
  /** Moves a field to a place in the order (0 first); returns the fields in their new order. */
  moveField(key: string, to: number): Promise<FieldDef[]>;
  /** Removes the field and every product's value of it (kept, so it can be undone); how many products had one. */
  removeField(key: string): Promise<{ field: FieldDef; values: number; removal: number }>;
  /** Puts a removed field back, with its values on the products that still exist. */
  restoreField(removal: number): Promise<{ field: FieldDef; values: number }>;
  /** The latest removals, newest first. */
  removedFields(): Promise<RemovedField[]>;
}
