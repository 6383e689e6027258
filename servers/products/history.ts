// What the change history says about people working on one catalog at once (both engines): who
// made a change, and why a stale edit or an undo is refused, in words that name what changed.
import os from 'node:os';
import { nowIso } from '../shared/time.js';
import { StoreError } from '../shared/errors.js';
import { SAME_FIELDS } from './rows.js';
import type { ChangeRecord, ImportRecord, Product } from './schema.js';

/** Which computer (and account) a change came from: "alice@shop-laptop". */
export function changeOrigin(): string {
  let user = '';
  try {
    user = os.userInfo().username;
  } catch {
    /* no account name (some containers) */
  }
  return user ? `${user}@${os.hostname()}` : os.hostname();
}

/**
 * The time a write stamps on a product: now, but always later than the time it had, so that every
 * change moves updated_at (an edit based on the old value is then told apart from the new one).
 */
export function stampAfter(previous: string, now = nowIso()): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v));

/** "Claude Desktop on bob@counter-pc changed price 29.99 → 31 at 14:02:05" */
export function describeChange(c: ChangeRecord): string {
  const who = `${c.client}${c.origin ? ` on ${c.origin}` : ''}`;
  const when = c.at.slice(11, 19);
  if (c.action === 'delete') return `${who} deleted it at ${when}`;
  if (c.action === 'create') return `${who} added it at ${when}`;
  const fields = SAME_FIELDS.filter((k) => c.before?.[k] !== c.after?.[k]).map(
    (k) => `${k} ${show(c.before?.[k])} → ${show(c.after?.[k])}`,
  );
  return `${who} changed ${fields.join(', ') || 'it'} at ${when}`;
}

/**
 * Of a product's changes recorded at or after `since` (its updated_at as someone read it), the ones
 * that came after that version: not the change that made it.
 */
export const changesAfter = (changes: readonly ChangeRecord[], since: string) =>
  changes.filter((c) => (c.after?.updated_at ?? c.at) > since);

const label = (p: Pick<Product, 'id' | 'name'>) => `product ${p.id} (${p.name})`;

function whatHappened(later: readonly ChangeRecord[]): string {
  if (later.length === 0) return '';
  const shown = later.slice(-3).map(describeChange);
  return ` (${later.length > 3 ? `${later.length - 3} earlier changes, then ` : ''}${shown.join('; ')})`;
}

/** An edit made against an older version of the product. */
export function staleMessage(current: Product, later: readonly ChangeRecord[]): string {
  return `Someone else changed ${label(current)} after you read it${whatHappened(later)}. Nothing was saved: look at the product as it is now and make your change again.`;
}

/** An undo of a change the product has moved on from. */
export function undoConflictMessage(change: ChangeRecord, current: Product | null, later: readonly ChangeRecord[]): string {
  const what = label({ id: change.productId, name: change.productName });
  if (!current) return `Cannot undo: ${what} has been deleted since${whatHappened(later)}`;
  return `Cannot undo: ${what} was changed again after this change${whatHappened(later)}; undo the later change first`;
}

/** An undo of a whole import, some of whose products were changed since. */
export function conflictMessage(rec: ImportRecord, count: number, examples: readonly string[]): string {
  return `Cannot undo import ${rec.id} (${rec.file}): ${count} of its products ${count === 1 ? 'was' : 'were'} changed or removed since (${examples.join(', ')}${count > examples.length ? ', …' : ''}); undo those later changes first, or edit the products by hand`;
}

// Refusals both engines give in the same words.

export const noSuchProduct = (id: number) =>
  new StoreError(`No product with id ${id}. Use query_products to find the right id.`, 'not_found');

/** A SKU some other product has (compared without regard to case); `exceptId`: the product being changed. */
export function assertSkuFree(sku: string, other: { id: number; name: string } | undefined, exceptId?: number): void {
  if (other && other.id !== exceptId) {
    throw new StoreError(`SKU "${sku}" is already used by product ${other.id} (${other.name}); choose another SKU`, 'conflict');
  }
}

/** A change that can be undone: it exists and was not undone yet. */
export function undoableChange(changeId: number, change: ChangeRecord | undefined): ChangeRecord {
  if (!change) throw new StoreError(`No change with id ${changeId}`, 'not_found');
  if (change.undoneAt) throw new StoreError(`Change ${changeId} was already undone`, 'conflict');
  return change;
}

/** Undoing a delete: a product with that id must not exist again. */
export function assertGone(productId: number, current: Product | null): void {
  if (current) throw new StoreError(`Cannot undo: a product with id ${productId} exists again`, 'conflict');
}

/** An import that can be undone: it exists, finished, and was not undone yet. */
export function undoableImport(importId: number, rec: ImportRecord | undefined): ImportRecord {
  if (!rec) throw new StoreError(`No import with id ${importId}`, 'not_found');
  if (rec.status === 'undone') throw new StoreError(`Import ${importId} (${rec.file}) was already undone`, 'conflict');
  if (rec.status !== 'done')
    throw new StoreError(`Import ${importId} (${rec.file}) did not finish, so there is nothing to undo`, 'conflict');
  return rec;
}
