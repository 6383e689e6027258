/**
 * The catalog's rules, written once for both engines: the stale-edit check, SKU and category rules,
 * recording every change with the write, undo and its refusals, an import's chunks and their
 * rollback. Each rule is steps (steps.ts) over one transaction's row operations (engine.ts).
 */
import { StoreError } from '../../shared/errors.js';
import { nowIso } from '../../shared/time.js';
import {
  assertGone,
  assertSkuFree,
  changeOrigin,
  changesAfter,
  conflictMessage,
  noSuchProduct,
  stampAfter,
  staleMessage,
  undoableChange,
  undoableImport,
  undoConflictMessage,
} from '../history.js';
import {
  SAME_FIELDS,
  categorySpellings,
  differingFieldValues,
  fromCents,
  nocase,
  sameContent,
  skuFor,
  toCents,
  withRandomEnding,
} from '../rows.js';
import type { Actor, ChangeAction, ChangeRecord, ImportRecord, NewProduct, Product, ProductPatch } from '../schema.js';
import type { ChangeEntry, Engine, EngineTx } from './engine.js';
import type { ChangeLog, ChunkResult, CatalogWriter, FieldCondition, FieldSchema, ImportJournal } from './roles.js';
import type { Step } from './steps.js';
import {
  FIELD_LIMITS,
  FieldChoices,
  FieldLabel,
  RESERVED_KEYS,
  TYPE_WORDS,
  fieldKey,
  looseText,
  readValue,
  valueSchema,
  type FieldDef,
  type FieldEntry,
  type FieldType,
  type FieldValue,
} from '../fields.js';

type Fields = Pick<Product, 'sku' | 'name' | 'description' | 'price' | 'category' | 'stock' | 'fields'>;

/**
 * Field values written over `current`: each key must be one of the catalog's fields and each value
 * of its type (null clears it). The first wrong one is refused naming the field and what it takes.
 */
export function withValues(
  defs: readonly FieldDef[],
  values: Record<string, FieldValue | null> | undefined,
  current: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  if (!values || Object.keys(values).length === 0) return current;
  const out = { ...current };
  for (const [key, value] of Object.entries(values)) {
    const def = defs.find((d) => d.key === key);
    if (!def) {
      const known = defs.map((d) => d.key).join(', ');
      throw new StoreError(
        `There is no field called ${key}${known ? ` (the catalog's fields: ${known})` : ' (the catalog has no fields of its own yet)'}`,
        'invalid',
      );
    }
    const checked = valueSchema(def).safeParse(value);
    if (!checked.success) throw new StoreError(checked.error.issues[0]!.message, 'invalid');
    if (checked.data === null || checked.data === '') delete out[key];
    else out[key] = checked.data;
  }
  return out;
}

/** A product about to be added: what was given, with its id, SKU, the catalog's spelling of its category, and times. */
function newProduct(
  id: number,
  sku: string,
  input: NewProduct,
  category: string,
  at: string,
  fields: Record<string, FieldValue> = {},
): Product {
  const stock = input.stock ?? 0;
  return {
    id,
    sku,
    name: input.name,
    description: input.description ?? '',
    price: fromCents(toCents(input.price)),
    category,
    stock,
    in_stock: stock > 0,
    created_at: at,
    updated_at: at,
    fields,
  };
}

/** The product with new field values, stamped `updatedAt`. */
function withFields(p: Product, f: Fields, updatedAt: string): Product {
  return {
    ...p,
    sku: f.sku,
    name: f.name,
    description: f.description,
    price: fromCents(toCents(f.price)),
    category: f.category,
    stock: f.stock,
    in_stock: f.stock > 0,
    updated_at: updatedAt,
    fields: f.fields ?? {},
  };
}

/** The rules over one engine: what the Catalog's writers, undo and import journal do. */
export class CatalogRules
  implements
    Pick<FieldSchema, 'addField' | 'renameField' | 'changeFieldType' | 'moveField' | 'removeField' | 'restoreField'>,
    CatalogWriter,
    Pick<ChangeLog, 'undo'>,
    Pick<ImportJournal, 'importChunk' | 'revertImportChunk' | 'checkImportUndo'>
{
  /** Which computer and account this process's changes come from (the history names it). */
  private readonly origin = changeOrigin();

  constructor(private readonly engine: Engine) {}

  add(input: NewProduct, actor: Actor): Promise<Product> {
    const origin = this.origin;
    return this.engine.transact(function* (tx) {
      if (input.sku !== undefined) yield* skuFree(tx, input.sku);
      const [id] = yield* tx.nextIds(1);
      let sku = input.sku ?? skuFor(id!);
      if (input.sku === undefined && (yield* tx.bySkus([sku])).length) sku = withRandomEnding(sku);
      const at = nowIso();
      const fields = input.fields ? withValues(yield* tx.fieldDefs(), input.fields) : {};
      const product = newProduct(id!, sku, input, yield* spelling(tx, input.category), at, fields);
      yield* tx.insert([product], null);
      yield* tx.append([entry(origin, actor, 'create', null, product, at)]);
      return product;
    });
  }

  update(id: number, patch: ProductPatch, actor: Actor, expectedUpdatedAt?: string) {
    return this.engine.transact((tx) => updateRow(tx, this.origin, id, patch, actor, expectedUpdatedAt));
  }

  setStock(id: number, stock: number, actor: Actor, expectedUpdatedAt?: string) {
    const origin = this.origin;
    return this.engine.transact(function* (tx) {
      const { product, before, changed } = yield* updateRow(tx, origin, id, { stock }, actor, expectedUpdatedAt);
      return { product, previousStock: before.stock, changed };
    });
  }

  remove(id: number, actor: Actor): Promise<Product> {
    const origin = this.origin;
    return this.engine.transact(function* (tx) {
      const before = yield* locked(tx, id);
      yield* tx.remove([id]);
      yield* tx.append([entry(origin, actor, 'delete', before, null, nowIso())]);
      return before;
    });
  }

  upsertMany(rows: readonly NewProduct[], actor: Actor): Promise<ChunkResult> {
    return this.engine.transact((tx) => applyChunk(tx, this.origin, rows, actor, null), { bulk: true });
  }

  importChunk(importId: number, rows: readonly NewProduct[], actor: Actor): Promise<ChunkResult> {
    return this.engine.transact((tx) => applyChunk(tx, this.origin, rows, actor, importId), { bulk: true });
  }

  /**
   * Reverts up to `limit` of an import's changes below change id `below`, newest first (import.ts
   * loops until none are left). A product someone changed since is left as it is (a cancel keeps
   * their edit; an undo refused beforehand, checkImportUndo). Cancelling removes the reverted
   * changes from the history (the import never happened); undoing records each revert.
   */
  revertImportChunk(importId: number, mode: 'cancel' | 'undo', actor: Actor, below: number, limit: number) {
    const origin = this.origin;
    return this.engine.transact(
      function* (tx): Step<{ next: number | null; reverted: number }> {
        const changes = yield* tx.importChanges(importId, below, limit);
        if (changes.length === 0) return { next: null, reverted: 0 };
        const now = new Map((yield* tx.lockMany([...new Set(changes.map((c) => c.productId))])).map((p) => [p.id, p]));
        const at = nowIso();
        const deleted = new Set<number>();
        const rewritten = new Map<number, Product>();
        const reverts: ChangeEntry[] = [];
        for (const ch of changes) {
          const current = now.get(ch.productId);
          if (!current || !ch.after || !sameContent(current, ch.after)) continue;
          if (ch.action === 'create') {
            now.delete(ch.productId);
            deleted.add(ch.productId);
            rewritten.delete(ch.productId);
            reverts.push(entry(origin, actor, 'delete', current, null, at, null, ch.id));
          } else if (ch.before) {
            const back = withFields(current, ch.before, mode === 'cancel' ? ch.before.updated_at : at);
            now.set(back.id, back);
            rewritten.set(back.id, back);
            reverts.push(entry(origin, actor, 'update', current, back, at, null, ch.id));
          }
        }
        yield* tx.remove([...deleted]);
        yield* tx.rewrite([...rewritten.values()]);
        if (mode === 'undo') {
          const revertIds = yield* tx.append(reverts);
          yield* tx.markUndone(
            reverts.map((r, i) => [r.revertOf!, revertIds[i]!] as const),
            at,
          );
        } else {
          yield* tx.dropChanges(reverts.map((r) => r.revertOf!));
        }
        return { next: changes.at(-1)!.id, reverted: reverts.length };
      },
      { bulk: true, whileMoved: true },
    );
  }

  async checkImportUndo(importId: number): Promise<ImportRecord> {
    const rec = undoableImport(importId, await this.engine.importRecord(importId));
    const changed = (await this.engine.importedProducts(importId)).filter((p) => !p.now || !p.after || !sameContent(p.now, p.after));
    if (changed.length > 0) {
      throw new StoreError(
        conflictMessage(
          rec,
          changed.length,
          changed.slice(0, 5).map((p) => `${p.productName} (${p.productId})`),
        ),
        'conflict',
      );
    }
    return rec;
  }

  addField(input: { label: string; type: FieldType; choices?: readonly string[] }, opts: { deferIndex?: boolean } = {}): Promise<FieldDef> {
    return this.engine.transact(function* (tx) {
      const label = checked(FieldLabel, input.label);
      const choices = input.type === 'choice' ? checked(FieldChoices, [...(input.choices ?? [])]) : null;
      if (input.type !== 'choice' && input.choices?.length) throw new StoreError('only a choice field has choices', 'invalid');
      const defs = yield* tx.fieldDefs();
      if (defs.length >= FIELD_LIMITS.fields)
        throw new StoreError(`A catalog may have at most ${FIELD_LIMITS.fields} fields of its own`, 'invalid');
      const key = freeKey(defs, label);
      const field: FieldDef = { key, label, type: input.type, choices, position: nextPosition(defs) };
      yield* tx.putField(field);
      if (!opts.deferIndex) yield* tx.reindexField(field);
      return field;
    });
  }

  renameField(key: string, label: string): Promise<FieldDef> {
    return this.engine.transact(function* (tx) {
      const defs = yield* tx.fieldDefs();
      const field = known(defs, key);
      const newLabel = checked(FieldLabel, label);
      const newKey = fieldKey(newLabel) === key ? key : freeKey(defs, newLabel);
      const renamed = { ...field, key: newKey, label: newLabel };
      yield* tx.putField(renamed);
      if (newKey !== key) {
        yield* tx.moveFieldValues(key, newKey);
        yield* tx.deleteField(key);
        yield* tx.reindexField(renamed);
      }
      return renamed;
    });
  }

  changeFieldType(key: string, type: FieldType, choices?: readonly string[]): Promise<{ field: FieldDef; converted: number }> {
    return this.engine.transact(function* (tx) {
      const field = known(yield* tx.fieldDefs(), key);
      if (type !== 'choice' && choices?.length) throw new StoreError('only a choice field has choices', 'invalid');
      const entries = yield* tx.fieldValues(key);
      // A choice field made from another: its options are the values it has, unless given.
      const options =
        type === 'choice' ? checked(FieldChoices, choices?.length ? [...choices] : distinctTexts(entries.map((e) => e.value))) : null;
      const next: FieldDef = { ...field, type, choices: options };
      const schema = valueSchema(next);
      const converted = new Map<number, FieldValue>();
      const stuck: FieldEntry[] = [];
      for (const e of entries) {
        const r = schema.safeParse(readValue(next, e.value));
        if (!r.success || r.data === null) stuck.push(e);
        else if (r.data !== e.value) converted.set(e.id, r.data);
      }
      if (stuck.length > 0) {
        const named = stuck.slice(0, 5).map((e) => `${e.name} (${e.sku}): ${JSON.stringify(e.value)}`);
        throw new StoreError(
          `${field.label} cannot become ${TYPE_WORDS[type]}: ${stuck.length} product${stuck.length === 1 ? ' has a value' : 's have values'} that ` +
            `${stuck.length === 1 ? 'is' : 'are'} not — ${named.join('; ')}${stuck.length > 5 ? `; and ${stuck.length - 5} more` : ''}. ` +
            'Change or clear those values first; nothing was changed.',
          'conflict',
        );
      }
      yield* tx.putField(next);
      yield* tx.reindexField(next);
      yield* rewriteValues(tx, key, converted);
      return { field: next, converted: converted.size };
    });
  }

  moveField(key: string, to: number): Promise<FieldDef[]> {
    return this.engine.transact(function* (tx) {
      const defs = yield* tx.fieldDefs();
      const field = known(defs, key);
      const order = defs.filter((d) => d.key !== key);
      order.splice(Math.max(0, Math.min(order.length, Math.trunc(to))), 0, field);
      const moved = order.map((d, i) => ({ ...d, position: i + 1 }));
      for (const [i, d] of moved.entries()) if (d.position !== order[i]!.position) yield* tx.putField(d);
      return moved;
    });
  }

  removeField(key: string): Promise<{ field: FieldDef; values: number; removal: number }> {
    return this.engine.transact(function* (tx) {
      const field = known(yield* tx.fieldDefs(), key);
      const entries = yield* tx.fieldValues(key);
      yield* tx.deleteField(key);
      const removal = yield* tx.saveRemoval(
        field,
        entries.map((e) => [e.id, e.value] as const),
        nowIso(),
      );
      // Text values are part of what search finds: those products are written again without them.
      if (field.type !== 'number' && field.type !== 'yes-no') yield* rewriteValues(tx, key, new Map(entries.map((e) => [e.id, null])));
      else yield* tx.moveFieldValues(key, null);
      return { field, values: entries.length, removal };
    });
  }

  restoreField(removalId: number): Promise<{ field: FieldDef; values: number }> {
    return this.engine.transact(function* (tx) {
      const rec = yield* tx.removal(removalId);
      if (!rec) throw new StoreError(`There is no removed field with id ${removalId}`, 'not_found');
      if (rec.restoredAt) throw new StoreError(`${rec.label} was put back already (${rec.restoredAt})`, 'conflict');
      const defs = yield* tx.fieldDefs();
      const taken = defs.find((d) => d.key === rec.key);
      if (taken)
        throw new StoreError(
          `${rec.label} cannot come back: the field "${taken.label}" has its name (${rec.key}) now. Rename or remove that one first; nothing was changed.`,
          'conflict',
        );
      if (defs.length >= FIELD_LIMITS.fields)
        throw new StoreError(`A catalog may have at most ${FIELD_LIMITS.fields} fields of its own: remove one first`, 'invalid');
      const field: FieldDef = { key: rec.key, label: rec.label, type: rec.type, choices: rec.choices, position: nextPosition(defs) };
      yield* tx.putField(field);
      yield* tx.reindexField(field);
      const values = yield* rewriteValues(tx, rec.key, new Map(rec.values));
      yield* tx.markRestored(removalId, nowIso());
      return { field, values };
    });
  }

  /**
   * Reverts one recorded change, if the product is still as that change left it. A product edited
   * again since is a conflict: the later change has to be undone first, so nothing is lost.
   */
  undo(changeId: number, actor: Actor): Promise<{ change: ChangeRecord; product: Product | null }> {
    const origin = this.origin;
    return this.engine.transact(function* (tx) {
      const change = undoableChange(changeId, yield* tx.change(changeId));
      const current = (yield* tx.lock(change.productId)) ?? null;
      const at = nowIso();
      // Values of fields removed since are not put back (the field's own undo does that).
      const defs = yield* tx.fieldDefs();
      const only = (p: Product): Product => ({ ...p, fields: knownValues(defs, p.fields) });
      let product: Product | null;
      let revert: ChangeEntry;
      if (change.action === 'create' || change.action === 'update') {
        if (!current || !sameContent(only(current), only(change.after!))) {
          const since = change.after?.updated_at ?? change.at;
          throw new StoreError(
            undoConflictMessage(change, current, changesAfter(yield* tx.changesSince(change.productId, since), since)),
            'conflict',
          );
        }
        if (change.action === 'create') {
          yield* tx.remove([current.id]);
          product = null;
          revert = entry(origin, actor, 'delete', current, null, at, null, changeId);
        } else {
          const b = only(change.before!);
          yield* skuFree(tx, b.sku, b.id);
          product = withFields(current, b, stampAfter(current.updated_at, at));
          yield* tx.rewrite([product]);
          revert = entry(origin, actor, 'update', current, product, at, null, changeId);
        }
      } else {
        assertGone(change.productId, current);
        const b = only(change.before!);
        yield* skuFree(tx, b.sku);
        product = { ...b, updated_at: stampAfter(b.updated_at, at) };
        yield* tx.insert([product], null);
        revert = entry(origin, actor, 'create', null, product, at, null, changeId);
      }
      const [revertId] = yield* tx.append([revert]);
      yield* tx.markUndone([[changeId, revertId!]], at);
      return { change: (yield* tx.change(changeId))!, product };
    });
  }
}

function entry(
  origin: string,
  actor: Actor,
  action: ChangeAction,
  before: Product | null,
  after: Product | null,
  at: string,
  importId: number | null = null,
  revertOf: number | null = null,
): ChangeEntry {
  return { at, actor, origin, action, before, after, revertOf, importId };
}

/** The eight steps of an edit: lock, stale check, SKU free, category spelling, no-op, stamp, write, record. */
function* updateRow(
  tx: EngineTx,
  origin: string,
  id: number,
  patch: ProductPatch,
  actor: Actor,
  expectedUpdatedAt?: string,
): Step<{ product: Product; before: Product; changed: boolean }> {
  const before = yield* locked(tx, id);
  if (expectedUpdatedAt !== undefined && before.updated_at !== expectedUpdatedAt) {
    throw new StoreError(staleMessage(before, changesAfter(yield* tx.changesSince(id, expectedUpdatedAt), expectedUpdatedAt)), 'conflict');
  }
  if (patch.sku !== undefined) yield* skuFree(tx, patch.sku, id);
  const next: Fields = {
    sku: patch.sku ?? before.sku,
    name: patch.name ?? before.name,
    description: patch.description ?? before.description,
    price: patch.price ?? before.price,
    category: patch.category === undefined ? before.category : yield* spelling(tx, patch.category),
    stock: patch.stock ?? before.stock,
    fields: patch.fields ? withValues(yield* tx.fieldDefs(), patch.fields, before.fields) : before.fields,
  };
  if (SAME_FIELDS.every((k) => next[k] === before[k]) && differingFieldValues(next.fields, before.fields).length === 0) {
    return { product: before, before, changed: false };
  }
  const at = nowIso();
  const product = withFields(before, next, stampAfter(before.updated_at, at));
  yield* tx.rewrite([product]);
  yield* tx.append([entry(origin, actor, 'update', before, product, at)]);
  return { product, before, changed: true };
}

/**
 * Adds or updates one chunk: a row whose SKU exists updates that product (fields left empty keep
 * their value), the rest are added with ids in file order (a SKU given twice: the first row adds
 * the product, the next updates it); categories keep the catalog's spelling, else the chunk's first.
 */
function* applyChunk(tx: EngineTx, origin: string, rows: readonly NewProduct[], actor: Actor, importId: number | null): Step<ChunkResult> {
  const at = nowIso();
  // The rows' values for the catalog's own fields are checked against their types (import.ts checked them already).
  const defs = rows.some((r) => r.fields && Object.keys(r.fields).length) ? yield* tx.fieldDefs() : [];
  // Each row's SKU and category as they compare (without regard to ASCII case), worked out once.
  const keys = rows.map((r) => ({ sku: r.sku === undefined ? undefined : nocase(r.sku), category: nocase(r.category) }));
  const skus = [...new Set(keys.flatMap((k) => (k.sku === undefined ? [] : [k.sku])))];
  const bySku = new Map((yield* tx.bySkus(skus)).map((p) => [nocase(p.sku), p]));
  const spelled = categorySpellings(
    rows.map((r, n) => ({ category: r.category, folded: keys[n]!.category })),
    yield* tx.spellings([...new Set(keys.map((k) => k.category))]),
  );

  // How many new ids: one per row without a SKU, one per SKU the catalog lacks.
  const seen = new Set(bySku.keys());
  let needed = 0;
  const unnamed: number[] = [];
  for (const k of keys) {
    if (k.sku === undefined) unnamed.push(needed++);
    else if (!seen.has(k.sku)) {
      seen.add(k.sku);
      needed++;
    }
  }
  const ids = yield* tx.nextIds(needed);
  // A SKU made from an id that a product (or a row of this chunk) already has gets a random ending.
  const made = unnamed.map((i) => skuFor(ids[i]!));
  const taken = new Set((yield* tx.bySkus(made)).map((p) => nocase(p.sku)));
  for (const s of skus) taken.add(s);

  const inserts = new Map<number, Product>();
  const updates = new Map<number, Product>();
  const entries: ChangeEntry[] = [];
  let nextId = 0;
  let added = 0;
  let updated = 0;
  for (let n = 0; n < rows.length; n++) {
    const r = rows[n]!;
    const key = keys[n]!;
    const category = spelled.get(key.category)!;
    const current = key.sku === undefined ? undefined : bySku.get(key.sku);
    if (current) {
      const next: Fields = {
        sku: r.sku!,
        name: r.name,
        description: r.description ?? current.description,
        price: r.price,
        category,
        stock: r.stock ?? current.stock,
        fields: withValues(defs, r.fields, current.fields),
      };
      const same = SAME_FIELDS.every((k) => (k === 'price' ? toCents(next.price) === toCents(current.price) : next[k] === current[k]));
      if (same && differingFieldValues(next.fields, current.fields).length === 0) continue;
      const fresh = inserts.has(current.id);
      const after = withFields(current, next, fresh ? current.updated_at : stampAfter(current.updated_at, at));
      bySku.set(nocase(after.sku), after);
      (fresh ? inserts : updates).set(after.id, after);
      updated++;
      entries.push(entry(origin, actor, 'update', current, after, at, importId));
      continue;
    }
    const id = ids[nextId++]!;
    let sku = r.sku;
    if (sku === undefined) {
      sku = skuFor(id);
      if (taken.has(nocase(sku))) sku = withRandomEnding(sku);
      taken.add(nocase(sku));
    }
    const product = newProduct(id, sku, r, category, at, withValues(defs, r.fields));
    if (key.sku !== undefined) bySku.set(key.sku, product);
    inserts.set(id, product);
    added++;
    entries.push(entry(origin, actor, 'create', null, product, at, importId));
  }
  yield* tx.insert([...inserts.values()], importId);
  yield* tx.rewrite([...updates.values()]);
  yield* tx.append(entries);
  const counts = { added, updated, unchanged: rows.length - added - updated };
  if (importId !== null) yield* tx.countImport(importId, counts);
  return counts;
}

function* locked(tx: EngineTx, id: number): Step<Product> {
  const p = yield* tx.lock(id);
  if (!p) throw noSuchProduct(id);
  return p;
}

/** A SKU no other product has (compared without regard to ASCII case). */
function* skuFree(tx: EngineTx, sku: string, exceptId?: number): Step<void> {
  const [other] = yield* tx.bySkus([nocase(sku)]);
  assertSkuFree(sku, other, exceptId);
}

/** How the catalog already spells a category, else as given. */
function* spelling(tx: EngineTx, category: string): Step<string> {
  const [known] = yield* tx.spellings([nocase(category)]);
  return known?.category ?? category;
}

/** The value a schema makes of the input, or the refusal in its words. */
function checked<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new StoreError(r.error.issues[0]!.message, 'invalid');
  return r.data;
}

/** Only the values of fields the catalog has. */
const knownValues = (defs: readonly FieldDef[], values: Record<string, FieldValue> = {}): Record<string, FieldValue> =>
  Object.fromEntries(Object.entries(values).filter(([k]) => defs.some((d) => d.key === k)));

const nextPosition = (defs: readonly FieldDef[]) => Math.max(0, ...defs.map((d) => d.position)) + 1;

/** The different texts among values, in the order first seen ("red", "Red" once). */
function distinctTexts(values: readonly FieldValue[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values) {
    const t = looseText(v);
    if (t !== '' && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()];
}

/** How many products a rewrite locks and writes at a time. */
const REWRITE_CHUNK = 1000;

/**
 * Sets one field's value on many products (null: removes it), written whole so what search reads
 * follows; products gone since are left out. How many were written.
 */
function* rewriteValues(tx: EngineTx, key: string, values: ReadonlyMap<number, FieldValue | null>): Step<number> {
  const ids = [...values.keys()].sort((a, b) => a - b);
  let written = 0;
  for (let i = 0; i < ids.length; i += REWRITE_CHUNK) {
    const products = yield* tx.lockMany(ids.slice(i, i + REWRITE_CHUNK));
    yield* tx.rewrite(
      products.map((p) => {
        const fields = { ...p.fields };
        const v = values.get(p.id);
        if (v === null || v === undefined) delete fields[key];
        else fields[key] = v;
        return { ...p, fields };
      }),
    );
    written += products.length;
  }
  return written;
}

/** The key a label gives, refused when it names a built-in field or another field already. */
function freeKey(defs: readonly FieldDef[], label: string): string {
  const key = fieldKey(label);
  if (RESERVED_KEYS.has(key))
    throw new StoreError(`"${label}" would be called ${key}, which the catalog already uses for itself: choose another label`, 'invalid');
  const other = defs.find((d) => d.key === key);
  if (other) throw new StoreError(`"${label}" would be called ${key}, like the field "${other.label}": choose another label`, 'conflict');
  return key;
}

function known(defs: readonly FieldDef[], key: string): FieldDef {
  const field = defs.find((d) => d.key === key);
  if (!field)
    throw new StoreError(
      `There is no field called ${key}${defs.length ? ` (the catalog's fields: ${defs.map((d) => d.key).join(', ')})` : ''}`,
      'not_found',
    );
  return field;
}

/**
 * `where` as tests on the catalog's own fields: each key one of them, a value of its type, or for a
 * number or a date a range ({ min, max }); anything else refused in words naming the field.
 */
export function fieldConditions(defs: readonly FieldDef[], where: Record<string, unknown>): FieldCondition[] {
  return Object.entries(where).flatMap(([key, test]): FieldCondition[] => {
    if (test === undefined) return [];
    const def = known(defs, key);
    const numeric = def.type === 'number';
    const one = (v: unknown, what: string) => {
      const r = valueSchema(def).safeParse(v);
      if (!r.success || r.data === null)
        throw new StoreError(`where.${key}${what}: ${r.success ? `${key} must not be null` : r.error.issues[0]!.message}`, 'invalid');
      return r.data;
    };
    if (test !== null && typeof test === 'object' && !Array.isArray(test)) {
      if (def.type !== 'number' && def.type !== 'date')
        throw new StoreError(`where.${key}: a range ({ min, max }) is for numbers and dates; give one value`, 'invalid');
      const { min, max, ...rest } = test as Record<string, unknown>;
      if (Object.keys(rest).length || (min === undefined && max === undefined))
        throw new StoreError(`where.${key}: give { "min": …, "max": … } (either or both)`, 'invalid');
      return [
        { key, numeric, ...(min !== undefined ? { min: one(min, '.min') } : {}), ...(max !== undefined ? { max: one(max, '.max') } : {}) },
      ];
    }
    return [{ key, numeric, eq: one(test, '') }];
  });
}
