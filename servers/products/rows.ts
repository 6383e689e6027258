// Rows, cursors and the small conversions shared by the products store's files.
import type { Actor, ChangeAction, ChangeRecord, Product } from './schema.js';

export const skuFor = (id: number) => `SKU-${String(id).padStart(6, '0')}`;
export const toCents = (price: number) => Math.round(price * 100);
export const fromCents = (cents: number) => cents / 100;

export interface Row {
  id: number;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  category: string;
  stock: number;
  created_at: string;
  updated_at: string;
}

export const toProduct = (r: Row): Product => ({
  id: r.id,
  sku: r.sku,
  name: r.name,
  description: r.description,
  price: fromCents(r.price_cents),
  category: r.category,
  stock: r.stock,
  in_stock: r.stock > 0,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const SORT_SQL: Record<string, string> = {
  name: 'name COLLATE NOCASE',
  price: 'price_cents',
  stock: 'stock',
  category: 'category',
  updated_at: 'updated_at',
  id: 'id',
};

export interface Cursor {
  o: number;
  f: string;
}

export const SAME_FIELDS = ['sku', 'name', 'description', 'price', 'category', 'stock'] as const;
export const sameContent = (a: Product, b: Product) => SAME_FIELDS.every((k) => a[k] === b[k]);

export function toChange(r: Record<string, unknown>): ChangeRecord {
  return {
    id: r.id as number,
    at: r.at as string,
    source: r.source as Actor['source'],
    client: r.client as string,
    tool: (r.tool as string | null) ?? null,
    action: r.action as ChangeAction,
    productId: r.product_id as number,
    productName: r.product_name as string,
    before: r.before ? (JSON.parse(r.before as string) as Product) : null,
    after: r.after ? (JSON.parse(r.after as string) as Product) : null,
    undoneAt: (r.undone_at as string | null) ?? null,
    undoneBy: (r.undone_by as number | null) ?? null,
    revertOf: (r.revert_of as number | null) ?? null,
    importId: (r.import_id as number | null) ?? null,
  };
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0 && typeof c.f === 'string') return { o: c.o, f: c.f };
  } catch {
    /* fall through */
  }
  return undefined;
}

/**
 * What text search looks in: name, SKU, description and category, each lower-cased the way
 * JavaScript does (so a search is exactly a case-insensitive substring test of each field), joined
 * by a separator a search can never contain (control characters are refused in searches).
 */
export const SEARCH_SEPARATOR = '\u001f';
export const foldForSearch = (s: string) => s.toLowerCase();
export const searchText = (p: { name: string; sku: string; description: string; category: string }) =>
  [p.name, p.sku, p.description, p.category].map(foldForSearch).join(SEARCH_SEPARATOR);
