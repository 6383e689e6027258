/**
 * The catalog a process works on, opened where the settings say it lives. Every products server
 * in the process (the stdio entry has one; the app's HTTP endpoint one per session) reads it
 * through this source, so when the person moves the catalog they all follow at once.
 */
import { EventEmitter } from 'node:events';
import type { dataFiles } from '../shared/datadir.js';
import type { Settings } from '../shared/settings-schema.js';
import { readCatalogPassword } from '../shared/secret.js';
import { sqliteCatalog, type Catalog } from './catalog.js';
import { openProductsDb } from './migrations.js';
import { formatPgUrl, parsePgUrl } from './postgres/connect.js';
import { PgCatalog } from './postgres/store.js';

export type DataFiles = ReturnType<typeof dataFiles>;

/** Where the settings say the catalog lives, as one string (a change of it means: open it anew). */
export const catalogKey = (settings: Settings) => (settings.catalog.engine === 'postgres' ? `postgres ${settings.catalog.url}` : 'sqlite');

/**
 * Opens the catalog where the settings say it lives (migrating it): the SQLite file in the data
 * folder, or the shared database with the password from the data folder's secret file.
 */
export async function openCatalog(files: DataFiles, settings: Settings): Promise<Catalog> {
  const { engine, url } = settings.catalog;
  if (engine === 'postgres' && url) {
    const { target } = parsePgUrl(url);
    return PgCatalog.open(target, readCatalogPassword(files.catalogSecret, formatPgUrl(target)));
  }
  return sqliteCatalog(openProductsDb(files.products), { ownsDb: true });
}

export class CatalogSource extends EventEmitter<{ switched: [] }> {
  constructor(
    private current: Catalog,
    /** Closed with the source (false: the catalog was lent by its owner). */
    private readonly owned = true,
  ) {
    super();
  }

  static async open(files: DataFiles, settings: Settings): Promise<CatalogSource> {
    return new CatalogSource(await openCatalog(files, settings));
  }

  get catalog(): Catalog {
    return this.current;
  }

  async close(): Promise<void> {
    if (this.owned) await this.current.close();
  }
}
