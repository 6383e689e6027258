import * as z from 'zod';

import { HALF_CHARACTER, wellFormed } from '../shared/visible.js';
import { LIMITS, SORT_FIELDS, type SortField } from './limits.js';
import type { FieldValue } from './fields.js';

export { LIMITS, SORT_FIELDS, type SortField };

/**
 * Text that is trimmed, then must be 1..max characters without a NUL. Checks in one chain (zod runs
 * them in order; `abort` stops at the first that fails, so each bad value gets one plain message):
 * a 100k-row import checks every cell with these, and pipes and transforms cost ~20% more.
 */
const trimmed = (max: number, what: string) =>
  z
    .string()
    .max(max * 4, { message: `${what} is far too long (the limit is ${max} characters)`, abort: true })
    .trim()
    .min(1, { message: `${what} must not be empty`, abort: true })
    .max(max, { message: `${what} must be at most ${max} characters`, abort: true })
    .refine((s) => !s.includes('\0'), { message: `${what} must not contain a NUL character (\\0)`, abort: true })
    .refine(wellFormed, { message: HALF_CHARACTER(what), abort: true });

export const ProductName = trimmed(LIMITS.name, 'name');
export const Category = trimmed(LIMITS.category, 'category');
export const Sku = trimmed(LIMITS.sku, 'sku').regex(
  /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/,
  'sku may use letters, digits and . _ - / only, starting with a letter or digit',
);
export const Description = z
  .string()
  .max(LIMITS.description, `description must be at most ${LIMITS.description} characters`)
  .refine((s) => !s.includes('\0'), 'description must not contain a NUL character (\\0)')
  .refine(wellFormed, HALF_CHARACTER('description'))
  .trim();

/** Money in the currency's main unit (29.99), at most two decimals; stored as integer cents. */
export const Price = z
  .number({ error: (i) => (i.input === undefined ? 'price is required' : 'price must be a number, like 24.99') })
  .min(0, 'price must not be negative')
  .max(LIMITS.maxPrice, `price must be at most ${LIMITS.maxPrice}`)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, 'price may have at most two decimal places');

export const Stock = z
  .number({ error: 'stock must be a whole number' })
  .int('stock must be a whole number')
  .min(0, 'stock must not be negative')
  .max(LIMITS.maxStock, `stock must be at most ${LIMITS.maxStock}`);

export const ProductId = z
  .number({ error: 'product_id must be a number' })
  .int('product_id must be a whole number')
  .positive('product_id must be positive');

/** Values of the catalog's own fields by key (checked against each field's type when written: domain/rules.ts). */
export const FieldValues = z.record(z.string().max(64), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const NewProduct = z.strictObject({
  name: ProductName,
  price: Price,
  category: Category,
  stock: Stock.optional(),
  sku: Sku.optional(),
  description: Description.optional(),
  fields: FieldValues.optional(),
});
export type NewProduct = z.output<typeof NewProduct>;

/** The fields a change may touch, all optional (update_product adds product_id to these). */
export const ProductPatchFields = z.strictObject({
  name: ProductName.optional(),
  price: Price.optional(),
  category: Category.optional(),
  stock: Stock.optional(),
  sku: Sku.optional(),
  description: Description.optional(),
  fields: FieldValues.optional(),
});
/** A write's optional guard against overwriting someone's newer change (update_product, update_stock). */
export const ExpectedUpdatedAt = z
  .string()
  .max(40)
  .optional()
  .describe(
    'updated_at of the product as you last read it: if someone changed it since, nothing is changed and the answer says what they changed',
  );

/** Keys that name which product (and which version of it) rather than a field to change. */
const NOT_FIELDS = new Set(['product_id', 'expected_updated_at']);
export const somethingToChange = (p: Record<string, unknown>) => Object.entries(p).some(([k, v]) => !NOT_FIELDS.has(k) && v !== undefined);
export const ProductPatch = ProductPatchFields.refine(somethingToChange, 'give at least one field to change');
export type ProductPatch = z.output<typeof ProductPatch>;

export const ProductQuery = z.strictObject({
  min_price: Price.optional().describe('Lowest price to include'),
  max_price: Price.optional().describe('Highest price to include'),
  category: Category.optional().describe('Exact category name, case-insensitive, e.g. "Electronics"'),
  in_stock: z.boolean().optional().describe('true: only products with stock > 0; false: only sold-out products'),
  search: z
    .string()
    .max(LIMITS.search, `search must be at most ${LIMITS.search} characters`)
    .optional()
    .describe('Text to find in name, SKU, description or category (substring, case-insensitive)'),
  low_stock_below: Stock.optional().describe('Only products whose stock is below this number'),
  sort: z.enum(SORT_FIELDS).optional().describe('Sort field (default: name)'),
  order: z.enum(['asc', 'desc']).optional().describe('Sort order (default: asc)'),
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional().describe(`Page size, 1-${LIMITS.pageMax} (default 20)`),
  cursor: z.string().max(500).optional().describe('next_cursor from a previous call, to get the next page'),
  /** Tests on the catalog's own fields (the tool's schema names and types each: tool-shapes.ts). */
  where: z.record(z.string(), z.unknown()).optional(),
});
export type ProductQuery = z.output<typeof ProductQuery>;

export const ProductOut = z.object({
  id: z.number(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  category: z.string(),
  stock: z.number(),
  in_stock: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** A product: its built-in fields, and the values of the catalog's own fields (fields.ts) by key. */
export type Product = z.output<typeof ProductOut> & { fields: Record<string, FieldValue> };

/** A product as Claude sees it: the catalog's own fields beside the built-in ones, at the top level. */
export const ProductForClaude = ProductOut.catchall(z.union([z.string(), z.number(), z.boolean()]));
export const forClaude = ({ fields, ...builtIn }: Product): z.output<typeof ProductForClaude> => ({ ...fields, ...builtIn });

export const ProductPageOut = z.object({
  products: z.array(ProductForClaude),
  total: z.number().describe('How many products match the filters, across all pages'),
  next_cursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page'),
});
/** A page of products as the catalog returns it (the tool gives Claude each with its fields at the top level). */
export type ProductPage = Omit<z.output<typeof ProductPageOut>, 'products'> & { products: Product[] };

/** Who made a change: recorded in the history so the GUI can say "what Claude changed". */
export interface Actor {
  source: 'mcp' | 'app' | 'import';
  /** "Claude Desktop", "MCP Tray", … */
  client: string;
  /** The MCP tool, when the change came through one. */
  tool?: string;
  /** One connection of an AI app (a conversation, or the app's run): the Activity page groups by it. */
  session?: string;
}

export type ChangeAction = 'create' | 'update' | 'delete';

export interface ChangeRecord {
  id: number;
  at: string;
  source: Actor['source'];
  client: string;
  tool: string | null;
  action: ChangeAction;
  productId: number;
  productName: string;
  before: Product | null;
  after: Product | null;
  undoneAt: string | null;
  undoneBy: number | null;
  /** Set on the change an undo wrote: which change it reverted. */
  revertOf: number | null;
  /** Set on every change a file import made: which import (undone as one unit). */
  importId: number | null;
  /** The computer and account the change came from ("alice@shop-laptop"); null for changes older than that record. */
  origin: string | null;
  /** Which connection of the app made it (Actor.session); null for the window's own and older changes. */
  session: string | null;
}

/** After each short transaction of an import (or of its rollback). */
export interface ImportProgress {
  /** backing up the catalog first (done/total in pages); writing the rows; rolling back (cancelled, or an undo). */
  phase: 'backup' | 'writing' | 'reverting';
  done: number;
  total: number;
}

/** One file import: written in short transactions, undone (or cancelled) as one unit. */
export interface ImportRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  /** The file's name, as the person chose it. */
  file: string;
  client: string;
  /** running → done; cancelled (rolled back before it finished); undone (rolled back later). */
  status: 'running' | 'done' | 'cancelled' | 'undone';
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
}
