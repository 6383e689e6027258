/**
 * What the catalog's rules (rules.ts) ask of a storage engine: a transaction, and a small set of
 * row operations inside it. Each engine (sqlite/engine.ts, postgres/engine.ts) implements these
 * and its own reads; the rules decide what is written, the engines only how.
 */
import type { Actor, ChangeAction, ChangeRecord, ImportRecord, Product } from '../schema.js';
import type { FieldDef, FieldEntry, FieldValue, RemovedField } from '../fields.js';
import type { CatalogEngine, CatalogReader, ChangeLog, ChunkResult, ImportJournal, TableCopy, Upkeep } from './roles.js';
import type { Step } from './steps.js';

/** A change as the rules record it (the engine adds its id). */
export interface ChangeEntry {
  at: string;
  actor: Actor;
  origin: string;
  action: ChangeAction;
  before: Product | null;
  after: Product | null;
  revertOf: number | null;
  importId: number | null;
}

/** The import's last change of one product, with the product as it is now (null: gone). */
export interface ImportedProduct {
  productId: number;
  productName: string;
  after: Product | null;
  now: Product | null;
}

/** Row operations inside one transaction. Every product handed in or out is whole (toProduct's shape). */
export interface EngineTx {
  /** The product, locked until the transaction ends (another install's write to it waits). */
  lock(id: number): Step<Product | undefined>;
  /** Several products, locked, in id order (missing ones left out). */
  lockMany(ids: readonly number[]): Step<Product[]>;
  /** The products with these SKUs (compared without regard to ASCII case), locked. */
  bySkus(skus: readonly string[]): Step<Product[]>;
  /** For each category folded by nocase(): the spelling the catalog uses, or null. */
  spellings(folded: readonly string[]): Step<Array<{ k: string; category: string | null }>>;
  /** The ids the next n new products take, in order. Called once per transaction, before insert. */
  nextIds(n: number): Step<number[]>;
  /** Writes new products with their ids. `importId`: an import's (an engine may index them after it). */
  insert(products: readonly Product[], importId: number | null): Step<void>;
  /** Rewrites existing products (every field but id and created_at). */
  rewrite(products: readonly Product[]): Step<void>;
  remove(ids: readonly number[]): Step<void>;
  /** Records changes; returns their ids in order. */
  append(entries: readonly ChangeEntry[]): Step<number[]>;
  /** One recorded change, locked. */
  change(id: number): Step<ChangeRecord | undefined>;
  /** A product's changes recorded at or after a time (at most 20, oldest first). */
  changesSince(productId: number, since: string): Step<ChangeRecord[]>;
  /** Marks changes undone: [the change, the change that reverted it]. */
  markUndone(pairs: ReadonlyArray<readonly [number, number]>, at: string): Step<void>;
  /** Up to `limit` of an import's changes not undone or reverting, with ids below `below`, newest first. */
  importChanges(importId: number, below: number, limit: number): Step<ChangeRecord[]>;
  /** Removes changes from the history (a cancelled import never happened). */
  dropChanges(ids: readonly number[]): Step<void>;
  /** Adds a chunk's counts to an import's record. */
  countImport(importId: number, counts: ChunkResult): Step<void>;
  /** The catalog's own fields, in order. */
  fieldDefs(): Step<FieldDef[]>;
  /** Writes a field's definition (a new key adds it; a known key is changed). */
  putField(def: FieldDef): Step<void>;
  deleteField(key: string): Step<void>;
  /** Moves every product's value of a field to another key (null: removes it); how many products had one. */
  moveFieldValues(from: string, to: string | null): Step<number>;
  /** Every product's value of a field, in id order. */
  fieldValues(key: string): Step<FieldEntry[]>;
  /** Builds the field's index again (its type changed: a number is indexed as one). */
  reindexField(def: FieldDef): Step<void>;
  /** Keeps a removed field and its values; the removal's id. */
  saveRemoval(field: FieldDef, values: ReadonlyArray<readonly [number, FieldValue]>, at: string): Step<number>;
  /** A removal, locked, with its values. */
  removal(id: number): Step<(RemovedField & { values: Array<[number, FieldValue]> }) | undefined>;
  markRestored(id: number, at: string): Step<void>;
}

export interface TransactOptions {
  /** A bulk write (an import's chunk or its revert): the engine may refresh its planner statistics first. */
  bulk?: boolean;
  /** Allowed on a catalog file marked as moved to a shared database (rolling an import back). */
  whileMoved?: boolean;
}

/** Reading products, in each engine's own queries (a page by cursor and `require` are the catalog's, catalog.ts). */
export type EngineReader = Omit<CatalogReader, 'query' | 'require'>;

/** What each engine provides: its reads, its upkeep, table copying, and transactions the rules run in. */
export interface Engine
  extends
    EngineReader,
    Upkeep,
    TableCopy,
    Pick<ChangeLog, 'changes' | 'change'>,
    Pick<ImportJournal, 'beginImport' | 'finishImport' | 'closeImport' | 'imports' | 'importRecord' | 'unfinishedImports' | 'location'> {
  readonly engine: CatalogEngine;
  /** Runs the steps in one transaction: committed whole, or rolled back and the error in plain words. */
  transact<T>(steps: (tx: EngineTx) => Step<T>, opts?: TransactOptions): Promise<T>;
  /** For each product a finished import changed: its last change by the import, and the product now. */
  importedProducts(importId: number): Promise<ImportedProduct[]>;
  /** The catalog's own fields, in order. */
  fields(): Promise<FieldDef[]>;
  /** How many products have a value for each field (one pass over the catalog). */
  fieldUses(): Promise<Record<string, number>>;
  /** The latest removals, newest first (without their values). */
  removedFields(): Promise<RemovedField[]>;
}

export type { ImportRecord };
