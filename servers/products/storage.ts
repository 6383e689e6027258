/**
 * What the products server, the app's catalog service and the CSV import need from a catalog store.
 * SQLite's ProductStore implements it; a second engine (PostgreSQL, for a team's shared catalog)
 * implements the same, with the same errors (StoreError) and the same change history and undo.
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
} from './schema.js';

export type ProductFilters = Pick<ProductQuery, 'min_price' | 'max_price' | 'category' | 'in_stock' | 'low_stock_below' | 'search'>;

export interface CatalogStats {
  products: number;
  units: number;
  soldOut: number;
  lowStock: number;
  stockValue: number;
  categories: number;
}

/** The catalog's tables, in the order a copy writes them (changes refer to imports). */
export const CATALOG_TABLES = ['imports', 'products', 'changes'] as const;
export type CatalogTable = (typeof CATALOG_TABLES)[number];

/** Every column of each table: the same in both engines, so a row copies from one to the other as it is. */
export const TABLE_COLUMNS: Record<CatalogTable, readonly string[]> = {
  imports: ['id', 'started_at', 'finished_at', 'file', 'client', 'owner', 'status', 'rows', 'added', 'updated', 'unchanged'],
  products: ['id', 'sku', 'name', 'description', 'price_cents', 'category', 'stock', 'created_at', 'updated_at', 'search_text'],
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
  ],
};

export interface ProductStorage {
  // Reading
  get(id: number): Product | undefined;
  getBySku(sku: string): Product | undefined;
  countExistingSkus(skus: readonly string[]): number;
  require(id: number): Product;
  count(): number;
  list(q: ProductFilters & { sort?: SortField; order?: 'asc' | 'desc'; offset?: number; limit?: number }): {
    rows: Product[];
    total: number;
  };
  query(q: ProductQuery): ProductPage;
  categories(): Array<{ name: string; count: number; inStock: number }>;
  categoryNames(): string[];
  canonicalCategory(category: string): string | undefined;
  stats(lowStockBelow?: number): CatalogStats;
  // Writing: each one transaction that also records the change
  add(input: NewProduct, actor: Actor): Product;
  /**
   * `expectedUpdatedAt`: the product's updated_at as the caller read it; if anyone changed it since,
   * the edit is refused (a conflict naming what changed), never written over theirs.
   */
  update(
    id: number,
    patch: ProductPatch,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): { product: Product; before: Product; changed: boolean };
  /** `expectedUpdatedAt`: refused (conflict, naming what changed) if the product changed since it was read. */
  setStock(
    id: number,
    stock: number,
    actor: Actor,
    expectedUpdatedAt?: string,
  ): { product: Product; previousStock: number; changed: boolean };
  remove(id: number, actor: Actor): Product;
  upsertMany(rows: readonly NewProduct[], actor: Actor): { added: number; updated: number; unchanged: number };
  // File imports: each call one short transaction (import.ts drives them)
  beginImport(file: string, rows: number, actor: Actor): number;
  importChunk(importId: number, rows: readonly NewProduct[], actor: Actor): { added: number; updated: number; unchanged: number };
  finishImport(importId: number): ImportRecord;
  revertImportChunk(
    importId: number,
    mode: 'cancel' | 'undo',
    actor: Actor,
    below: number,
    limit: number,
  ): { next: number | null; reverted: number };
  closeImport(importId: number, status: 'cancelled' | 'undone'): ImportRecord;
  checkImportUndo(importId: number): ImportRecord;
  imports(limit?: number): ImportRecord[];
  importRecord(importId: number): ImportRecord | undefined;
  /** Imports still marked running: who writes them, and (where known) when they last wrote. */
  unfinishedImports(): Array<{ id: number; owner: string; lastActive?: string }>;
  /** Where the catalog lives (a file, a database address without its password). */
  readonly location: string;
  // Moving a whole catalog to another engine (copy-catalog.ts)
  /** Whether there is nothing in it: no products, no history, no imports. */
  isEmpty(): boolean;
  /** How many rows a table has. */
  tableCount(table: CatalogTable): number;
  /** Up to `limit` rows of a table with ids above `afterId`, in id order, every column as stored. */
  tableRows(table: CatalogTable, afterId: number, limit: number): Array<Record<string, unknown>>;
  /** Writes rows copied from another catalog as they are (one transaction), ids included. */
  loadTableRows(table: CatalogTable, rows: ReadonlyArray<Record<string, unknown>>): void;
  /** Brings the query planner's statistics up to date after a bulk change (a copy, an import). */
  analyze(): void;
  /**
   * After a bulk change (an import, its undo, a copy): one bounded step of reorganising what the
   * bulk writes left untidy (tidyAfterBulk runs them, a short pause between). False when done.
   */
  tidyStep(): boolean;
  /**
   * After an import: one bounded step of putting the products it added into the search index, where
   * the engine leaves that until after the import (searches find them meanwhile, only slower). False
   * when none are waiting.
   */
  indexStep(): boolean;
  /** Whether tidyStep has work to do (a quick read: a start finishes a tidy-up a quit cut short). */
  needsTidy(): boolean;
  /** Removes every product, change and import (before a copy replaces them; the caller backs up first). */
  clear(): void;
  // History
  changes(opts?: { source?: Actor['source']; limit?: number; beforeId?: number; productId?: number }): ChangeRecord[];
  change(id: number): ChangeRecord | undefined;
  undo(changeId: number, actor: Actor): { change: ChangeRecord; product: Product | null };
}
