/** The catalog in a SQLite file on this computer: the SQLite engine behind the catalog's one interface. */
import { watchDataVersion, type Db } from '../../shared/db.js';
import { catalogOver, type Catalog, type LocalParts } from '../catalog.js';
import { SqliteEngine } from './engine.js';

export { openProductsDb, PRODUCTS_MIGRATIONS, type OpenProductsOptions } from './migrations.js';

export interface SqliteCatalogOptions {
  /** How often to look for other processes' commits when file events do not arrive. */
  pollMs?: number;
  /** Close the database with the catalog (false: it stays the caller's). */
  ownsDb?: boolean;
}

export function sqliteCatalog(db: Db, opts: SqliteCatalogOptions = {}): Catalog & { readonly local: LocalParts } {
  const engine = new SqliteEngine(db);
  return catalogOver(engine, {
    local: {
      db,
      markMoved: (where: string | null) => engine.markMoved(where),
      clearStaleMove: () => engine.clearStaleMove(),
    },
    watch: (onChange: () => void) => watchDataVersion(db, opts.pollMs ?? 500, onChange),
    close: async () => {
      if (opts.ownsDb) db.close();
    },
  });
}
