// Rows, cursors and the small conversions shared by the products store's files (and both engines).
import crypto from 'node:crypto';
import { StoreError } from '../shared/errors.js';
import type { Actor, ChangeAction, ChangeRecord, ImportRecord, Product, ProductQuery } from './schema.js';
import type { ProductFilters } from './domain/roles.js';
import type { ChangeEntry } from './domain/engine.js';
import type { FieldDef, FieldValue, RemovedField } from './fields.js';

export const skuFor = (id: number) => `SKU-${String(id).padStart(6, '0')}`;
/** A made-up SKU (skuFor) that is taken already, made distinct by a random ending: "SKU-000007-3fa2". */
export const withRandomEnding = (sku: string) => `${sku}-${crypto.randomBytes(2).toString('hex')}`;
/** Text as SQLite's NOCASE (and mcp_nocase in PostgreSQL) compares it: only ASCII letters fold. */
export const nocase = (s: string) =>
  // ASCII text folds exactly as toLowerCase does (the usual case, and much quicker than a replace).
  !/[^\p{ASCII}]/u.test(s) ? s.toLowerCase() : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * The spelling each category of a batch of rows is written with, by its folded form (nocase): the
 * one the catalog already uses (`known`, looked up by the engine per folded category), else that of
 * the batch's first row with it.
 */
export function categorySpellings(
  rows: ReadonlyArray<{ category: string; folded: string }>,
  known: ReadonlyArray<{ k: string; category: string | null }>,
): Map<string, string> {
  const spelling = new Map(known.flatMap((r) => (r.category === null ? [] : [[r.k, r.category] as const])));
  for (const r of rows) if (!spelling.has(r.folded)) spelling.set(r.folded, r.category);
  return spelling;
}
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
  /** The catalog's own fields' values, a JSON object (fields.ts). */
  extra?: string | null;
}

/** A JSON object of field values as stored, or {} (older rows and records have none). */
const fieldsOf = (extra: string | null | undefined): Record<string, FieldValue> =>
  extra && extra !== '{}' ? (JSON.parse(extra) as Record<string, FieldValue>) : {};

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
  fields: fieldsOf(r.extra),
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
/** The keys whose values differ between two sets of field values (a missing value and null are the same: none). */
export function differingFieldValues(a: Record<string, FieldValue> = {}, b: Record<string, FieldValue> = {}): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => (a[k] ?? null) !== (b[k] ?? null));
}
export const sameContent = (a: Product, b: Product) =>
  SAME_FIELDS.every((k) => a[k] === b[k]) && differingFieldValues(a.fields, b.fields).length === 0;

/** A product as a change recorded it (records from before the catalog had its own fields carry none). */
function recorded(json: string): Product {
  const p = JSON.parse(json) as Product;
  p.fields ??= {};
  return p;
}

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
    before: r.before ? recorded(r.before as string) : null,
    after: r.after ? recorded(r.after as string) : null,
    undoneAt: (r.undone_at as string | null) ?? null,
    undoneBy: (r.undone_by as number | null) ?? null,
    revertOf: (r.revert_of as number | null) ?? null,
    importId: (r.import_id as number | null) ?? null,
    origin: (r.origin as string | null) ?? null,
    session: (r.session as string | null) ?? null,
  };
}

export function toImport(r: Record<string, unknown>): ImportRecord {
  return {
    id: r.id as number,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    file: r.file as string,
    client: r.client as string,
    status: r.status as ImportRecord['status'],
    rows: r.rows as number,
    added: r.added as number,
    updated: r.updated as number,
    unchanged: r.unchanged as number,
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
 * What text search looks in: name, SKU, description, category and the catalog's own fields' text
 * (text, choices, links, dates), each lower-cased the way JavaScript does (so a search is exactly a
 * case-insensitive substring test of each), joined by a separator a search can never contain
 * (control characters are refused in searches).
 */
export const SEARCH_SEPARATOR = '\u001f';
export const foldForSearch = (s: string) => s.toLowerCase();
export const searchText = (p: { name: string; sku: string; description: string; category: string; fields?: Record<string, FieldValue> }) =>
  [p.name, p.sku, p.description, p.category, ...Object.values(p.fields ?? {}).filter((v): v is string => typeof v === 'string')]
    .map(foldForSearch)
    .join(SEARCH_SEPARATOR);

/** Tabs, line breaks and the like: never part of a search (the search text joins fields with one). */
const hasControlCharacter = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20);

/**
 * Checks filters both engines refuse alike, and returns the search as it is matched against
 * search_text (folded; '' for none).
 */
export function checkedSearch(q: ProductFilters): string {
  if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
    throw new StoreError(`min_price (${q.min_price}) is greater than max_price (${q.max_price})`, 'invalid');
  }
  const search = q.search?.trim() ?? '';
  if (hasControlCharacter(search)) throw new StoreError('search must not contain control characters (tabs, line breaks)', 'invalid');
  return foldForSearch(search);
}

/**
 * Where a query_products page starts (from its cursor, which must come from the same query) and
 * the fingerprint the next page's cursor carries.
 */
export function queryStart(q: ProductQuery): { offset: number; limit: number; fingerprint: string } {
  const search = q.search?.trim() ?? '';
  const limit = q.limit ?? 20;
  const fingerprint = crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        q.min_price,
        q.max_price,
        q.category?.toLowerCase(),
        q.in_stock,
        q.low_stock_below,
        search,
        q.sort,
        q.order,
        q.where ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 12);
  let offset = 0;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    if (!c) throw new StoreError('cursor is not valid: pass next_cursor exactly as a previous call returned it', 'invalid');
    if (c.f !== fingerprint) {
      throw new StoreError('cursor belongs to a different query: repeat the same filters and sort as the call that returned it', 'invalid');
    }
    offset = c.o;
  }
  return { offset, limit, fingerprint };
}

/** The cursor of the page after this one, or null on the last page. */
export function nextCursor(start: { offset: number; limit: number; fingerprint: string }, shown: number, total: number): string | null {
  return start.offset + shown < total && shown === start.limit
    ? encodeCursor({ o: start.offset + start.limit, f: start.fingerprint })
    : null;
}

/** The product as it stood in a recorded change ('before' or 'after') differs from `now` in these fields. */
export const differingFields = (a: Product, b: Product) => SAME_FIELDS.filter((k) => a[k] !== b[k]);

/** A product's values in the order of its table's columns (TABLE_COLUMNS.products), as both engines write them. */
export const productValues = (p: Product): unknown[] => [
  p.id,
  p.sku,
  p.name,
  p.description,
  toCents(p.price),
  p.category,
  p.stock,
  p.created_at,
  p.updated_at,
  searchText(p),
  JSON.stringify(p.fields ?? {}),
];

/** A new change's values in column order (TABLE_COLUMNS.changes without id, undone_at and undone_by). */
export function changeValues(e: ChangeEntry): unknown[] {
  const p = (e.after ?? e.before)!;
  const json = (x: Product | null) => (x ? JSON.stringify(x) : null);
  return [
    e.at,
    e.actor.source,
    e.actor.client,
    e.actor.tool ?? null,
    e.origin,
    e.action,
    p.id,
    p.name,
    json(e.before),
    json(e.after),
    e.revertOf,
    e.importId,
    e.actor.session ?? null,
  ];
}

export interface FieldRow {
  key: string;
  label: string;
  type: string;
  choices: string | null;
  position: number;
}

/** A removed field as kept (removed_fields), its values left out. */
export interface RemovalRow extends FieldRow {
  id: number;
  removed_at: string;
  restored_at: string | null;
  products: number;
}

export const toRemoval = (r: RemovalRow): RemovedField => ({
  ...toField(r),
  id: r.id,
  removedAt: r.removed_at,
  restoredAt: r.restored_at,
  products: r.products,
});

export const toField = (r: FieldRow): FieldDef => ({
  key: r.key,
  label: r.label,
  type: r.type as FieldDef['type'],
  choices: r.choices ? (JSON.parse(r.choices) as string[]) : null,
  position: r.position,
});
