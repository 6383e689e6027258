/** The catalog area of the host API: products, imports and exports, the change history, and where the catalog lives. */
import * as z from 'zod';
import type { ChangeRecord, ImportRecord, Product, ImportProgress as StoreImportProgress } from '../../../servers/products/schema.js';
import { LIMITS, NewProduct, Price, ProductPatch, SORT_FIELDS, Stock } from '../../../servers/products/schema.js';
import { none } from './common.js';
import { FIELD_TYPES, type FieldDef, type FieldType, type RemovedField } from '../../../servers/products/fields.js';

export type { Product, ChangeRecord, ImportRecord, FieldDef, RemovedField };
export type { SortField } from '../../../servers/products/schema.js';

export const ProductListQuery = z.strictObject({
  search: z.string().max(LIMITS.search).optional(),
  category: z.string().max(LIMITS.category).optional(),
  min_price: Price.optional(),
  max_price: Price.optional(),
  in_stock: z.boolean().optional(),
  low_stock_below: Stock.optional(),
  /** Tests on the catalog's own fields, as query_products takes them: a value, or { min, max } for numbers and dates. */
  where: z
    .record(
      z.string().max(64),
      z.union([
        z.string().max(2000),
        z.number(),
        z.boolean(),
        z.strictObject({
          min: z.union([z.number(), z.string().max(40)]).optional(),
          max: z.union([z.number(), z.string().max(40)]).optional(),
        }),
      ]),
    )
    .optional(),
  sort: z.enum(SORT_FIELDS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type ProductListQuery = z.input<typeof ProductListQuery>;

const DatabaseUrl = z.string().trim().min(1, 'give the database address (postgres://user@host:5432/database)').max(2048);
/** Given separately from the address, or in it; kept only in the secret file. */
const DatabasePassword = z.string().max(1024).optional();
const ExportFilters = z.strictObject({
  search: z.string().max(LIMITS.search).optional(),
  category: z.string().max(LIMITS.category).optional(),
});

export const schemas = {
  listProducts: ProductListQuery,
  createProduct: NewProduct,
  updateProduct: z.strictObject({
    id: z.number().int().positive(),
    patch: ProductPatch,
    /** The product's updated_at as the window showed it: refused if someone changed it since. */
    expectedUpdatedAt: z.string().max(40).optional(),
  }),
  deleteProduct: z.strictObject({ id: z.number().int().positive() }),
  listCategories: none,
  previewImport: z
    .strictObject({
      csv: z
        .string()
        .max(64 * 1024 * 1024, 'the CSV is larger than 64 MB')
        .optional(),
      /** An .xlsx file, base64. */
      xlsx: z
        .string()
        .max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 4, 'the spreadsheet is larger than 64 MB')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'xlsx must be the file in base64')
        .optional(),
      /** The file's name, recorded with the import ("products.csv"). */
      file: z.string().max(260).optional(),
      /** Which sheet of a spreadsheet (its name); the first when left out. */
      sheet: z.string().max(100).optional(),
    })
    .refine((v) => (v.csv === undefined) !== (v.xlsx === undefined), 'give either csv or xlsx'),
  commitImport: z.strictObject({
    token: z.string().max(100),
    skipInvalid: z.boolean().default(false),
    /** What to do with columns the catalog has no field for (the preview lists them): add them as fields, or leave them out. */
    newColumns: z.enum(['add', 'leave-out']).optional(),
  }),
  cancelImport: z.strictObject({ token: z.string().max(100) }),
  listImports: none,
  undoImport: z.strictObject({ id: z.number().int().positive() }),
  exportXlsx: ExportFilters,
  exportCsv: ExportFilters,
  listChanges: z.strictObject({
    /** One source, or several (the window's Recent changes: AI apps' and the person's own). */
    source: z
      .union([
        z.enum(['mcp', 'app', 'import']),
        z
          .array(z.enum(['mcp', 'app', 'import']))
          .min(1)
          .max(3),
      ])
      .optional(),
    limit: z.number().int().min(1).max(500).optional(),
    beforeId: z.number().int().positive().optional(),
  }),
  undoChange: z.strictObject({ id: z.number().int().positive() }),
  /** Several changes undone at once (the Activity page's "Undo all of these"): newest first; those that cannot be, said why. */
  undoChanges: z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
  /** Removes the sample products a new catalog starts with, those still as they were (each change recorded, undoable). */
  removeSampleProducts: none,
  listFields: none,
  addField: z.strictObject({
    label: z.string().max(200),
    type: z.enum(FIELD_TYPES),
    choices: z.array(z.string().max(200)).max(200).optional(),
  }),
  renameField: z.strictObject({ key: z.string().min(1).max(64), label: z.string().max(200) }),
  changeFieldType: z.strictObject({
    key: z.string().min(1).max(64),
    type: z.enum(FIELD_TYPES),
    choices: z.array(z.string().max(200)).max(200).optional(),
  }),
  moveField: z.strictObject({ key: z.string().min(1).max(64), to: z.number().int().min(0).max(1000) }),
  removeField: z.strictObject({ key: z.string().min(1).max(64) }),
  restoreField: z.strictObject({ id: z.number().int().positive() }),
  listRemovedFields: none,
  getCatalogLocation: none,
  testDatabase: z.strictObject({ url: DatabaseUrl, password: DatabasePassword }),
  useDatabase: z.strictObject({ url: DatabaseUrl, password: DatabasePassword, copy: z.boolean().default(false) }),
  useLocalCatalog: z.strictObject({ copy: z.boolean().default(false) }),
};

/** Where the catalog lives now. */
export interface CatalogLocation {
  engine: 'sqlite' | 'postgres';
  /** The file on this computer, or the database as host:port/database. */
  where: string;
  /** The shared database's address (never with the password); the last one used while on this computer. */
  url: string | null;
  /** Shared database: whether substring search has its trigram index (pg_trgm); null on this computer. */
  searchIndexed: boolean | null;
  /** A password for the address is kept in the secret file. */
  passwordSaved: boolean;
}

/** What a test connection found. */
export interface DatabaseCheck {
  where: string;
  products: number;
  /** Nothing in it yet (no products, no history): this computer's catalog can be copied into it. */
  empty: boolean;
  searchIndexed: boolean;
  /** Whether the connection is encrypted (TLS); sslmode=prefer or allow (and none) mean it is not. */
  encrypted: boolean;
}

export interface ImportRowError {
  line: number;
  message: string;
}

export interface ImportPreview {
  token: string;
  rows: number;
  valid: number;
  toAdd: number;
  toUpdate: number;
  errors: ImportRowError[];
  sample: Array<Record<string, unknown>>;
  columns: string[];
  /** Columns the catalog has no field for, with the type their values show: added as fields, or left out, as the person chooses. */
  newColumns: Array<{ label: string; key: string; type: FieldType }>;
  /** Columns that cannot become fields (their name is a built-in's, or says nothing): not imported. */
  leftOut: string[];
  /** A spreadsheet's sheets, and the one read. */
  sheets?: string[];
  sheet?: string;
}

/** Sent while an import is written (or rolled back): after each short transaction, for the preview's token. */
export type ImportProgress = { token: string } & StoreImportProgress;

export interface Results {
  listProducts: { rows: Product[]; total: number };
  createProduct: Product;
  updateProduct: Product;
  deleteProduct: Product;
  listCategories: Array<{ name: string; count: number; inStock: number }>;
  previewImport: ImportPreview;
  commitImport: { added: number; updated: number; unchanged: number; skipped: number; cancelled: boolean; importId: number };
  cancelImport: { cancelled: boolean };
  listImports: ImportRecord[];
  undoImport: ImportRecord;
  exportXlsx: { xlsx: string; rows: number };
  exportCsv: { csv: string; rows: number };
  listChanges: ChangeRecord[];
  undoChange: { change: ChangeRecord; product: Product | null };
  undoChanges: { undone: number; refused: Array<{ id: number; reason: string }> };
  removeSampleProducts: { removed: number };
  listFields: Array<FieldDef & { used: number }>;
  addField: FieldDef;
  renameField: FieldDef;
  changeFieldType: { field: FieldDef; converted: number };
  moveField: FieldDef[];
  removeField: { field: FieldDef; values: number; removal: number };
  restoreField: { field: FieldDef; values: number };
  listRemovedFields: RemovedField[];
  getCatalogLocation: CatalogLocation;
  testDatabase: DatabaseCheck;
  useDatabase: CatalogLocation;
  useLocalCatalog: CatalogLocation;
}
