/**
 * The catalog as everything above the storage engine uses it: the products server's tools,
 * resources and prompts, the app's catalog service and the file import. One asynchronous interface
 * over two engines: SQLite in the data folder (the default; better-sqlite3 answers synchronously)
 * and PostgreSQL for a team's shared catalog (pg answers asynchronously).
 */
import type { Db } from '../shared/db.js';
import { watchDataVersion } from '../shared/db.js';
import type { Product } from './schema.js';
import type { ProductFilters, ProductStorage } from './storage.js';
import { ProductStore } from './store.js';

/** An interface with every method returning a promise. */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

export type CatalogEngine = 'sqlite' | 'postgres';

export interface LocalParts {
  /** The database file's connection (backups, checks). */
  readonly db: Db;
  /**
   * Marks the file as moved to a shared database (every write to it is then refused, so nothing
   * lands where nobody looks any more), or as in use again (null).
   */
  markMoved(where: string | null): Promise<void>;
  /** At a start: clears a "moved" mark a move that did not finish left (ProductStore.clearStaleMove). */
  clearStaleMove(): Promise<void>;
}

export interface Catalog extends Async<ProductStorage> {
  readonly engine: CatalogEngine;
  /** What only a catalog in a file on this computer has (absent for a shared database). */
  readonly local?: LocalParts;
  /** Every product matching the filters in id order, read a batch at a time (exports, copying a catalog). */
  iterate(filters?: ProductFilters): AsyncIterable<Product>;
  /**
   * Calls onChange when the catalog is changed by anyone else: another process on this computer,
   * or (a shared database) another computer. Returns the function that stops watching.
   */
  watch(onChange: () => void): () => void;
  close(): Promise<void>;
}

/**
 * The target with each method returning a promise, and the extras' own members beside them: how a
 * synchronous engine stands behind the asynchronous interface (a thrown StoreError becomes a
 * rejected promise, as the asynchronous engine's would).
 */
export function promising<T extends object, E extends object>(target: T, extras: E): Async<T> & E {
  return new Proxy(target, {
    get(t, key) {
      if (key in extras) return Reflect.get(extras, key) as unknown;
      const value = Reflect.get(t, key, t) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(t, args);
    },
    has: (t, key) => key in extras || key in t,
  }) as unknown as Async<T> & E;
}

export interface SqliteCatalogOptions {
  /** How often to look for other processes' commits when file events do not arrive. */
  pollMs?: number;
  /** Close the database with the catalog (false: it stays the caller's). */
  ownsDb?: boolean;
}

/** The catalog in a SQLite file (ProductStore), behind the asynchronous interface. */
export function sqliteCatalog(
  db: Db,
  opts: SqliteCatalogOptions = {},
): Catalog & { readonly store: ProductStore; readonly local: LocalParts } {
  const store = new ProductStore(db);
  return promising<ProductStorage, Omit<Catalog, keyof ProductStorage> & { readonly store: ProductStore; readonly local: LocalParts }>(
    store,
    {
      engine: 'sqlite',
      local: {
        db,
        markMoved: async (where) => store.markMoved(where),
        clearStaleMove: async () => store.clearStaleMove(),
      },
      store,
      async *iterate(filters?: ProductFilters) {
        yield* store.iterate(filters);
      },
      watch: (onChange) => watchDataVersion(db, opts.pollMs ?? 500, onChange),
      close: async () => {
        if (opts.ownsDb) db.close();
      },
    },
  );
}
