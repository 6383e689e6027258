/** A team's shared catalog on PostgreSQL: the PostgreSQL engine behind the catalog's one interface. */
import { StoreError } from '../../shared/errors.js';
import { catalogOver, type Catalog, type SharedParts } from '../catalog.js';
import { describeTarget, type PgTarget } from './connect.js';
import { PgEngine } from './engine.js';
import { PgPool, type PgPoolOptions } from './pool.js';

export type PgCatalogOptions = PgPoolOptions & {
  /** Throw when the database cannot be reached, instead of answering every call with that error until it can. */
  strict?: boolean;
};

/**
 * The catalog at a database address. It connects and brings the schema up to date at once; when
 * the database cannot be reached it is still returned (`strict`: the failure is thrown instead),
 * answers every call with the plain-words error, and connects on the first call after the
 * database is back.
 */
export async function openPgCatalog(
  target: PgTarget,
  password: string | undefined,
  opts: PgCatalogOptions = {},
): Promise<Catalog & { readonly shared: SharedParts }> {
  const pool = new PgPool(target, password, opts);
  try {
    await pool.ensureReady();
  } catch (err) {
    if (opts.strict || !(err instanceof StoreError && err.code === 'unavailable')) {
      await pool.close().catch(() => {});
      throw err;
    }
  }
  return catalogOver(new PgEngine(pool), {
    shared: {
      where: describeTarget(target),
      get searchIndexed() {
        return pool.searchIndexed;
      },
    },
    watch: (onChange: () => void) => pool.watch(onChange),
    close: () => pool.close(),
  });
}
