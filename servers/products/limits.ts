// Plain constants (no zod), so the UI can use them without bundling the schemas.

/** Field rules shared by the MCP tools, the GUI's data services and CSV import: one source of truth. */
export const LIMITS = {
  name: 200,
  description: 5000,
  category: 60,
  sku: 64,
  search: 200,
  maxPrice: 10_000_000,
  maxStock: 1_000_000_000,
  pageMax: 100,
} as const;

/** "Low" stock, the same everywhere a person sees it (the window's filter, the catalog view's badges). */
export const LOW_STOCK_BELOW = 10;

export const SORT_FIELDS = ['name', 'price', 'stock', 'category', 'updated_at', 'id'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
