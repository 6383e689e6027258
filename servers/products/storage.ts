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
  setStock(id: number, stock: number, actor: Actor): { product: Product; previousStock: number; changed: boolean };
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
  unfinishedImports(): Array<{ id: number; owner: string }>;
  /** Where the catalog lives (a file, a database address without its password). */
  readonly location: string;
  // History
  changes(opts?: { source?: Actor['source']; limit?: number; beforeId?: number; productId?: number }): ChangeRecord[];
  change(id: number): ChangeRecord | undefined;
  undo(changeId: number, actor: Actor): { change: ChangeRecord; product: Product | null };
}
