/**
 * The catalog a process works on, opened where the settings say it lives. Every products server
 * in the process (the stdio entry has one; the app's HTTP endpoint one per session) reads it
 * through this source, so when the person moves the catalog they all follow at once.
 */
import { EventEmitter } from 'node:events';
import type { DataFiles } from '../shared/datadir.js';
import type { Settings } from '../shared/settings-schema.js';
import { readCatalogPassword } from '../shared/secret.js';
import type { Catalog } from './catalog.js';
import { openProductsDb, sqliteCatalog } from './sqlite/catalog.js';
import { formatPgUrl, parsePgUrl } from './postgres/connect.js';

export type { DataFiles };

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
    // Loaded only when the catalog lives there: the driver and its store are most of the server's
    // code, and a server on this computer's file never needs them (its start stays fast).
    const { openPgCatalog } = await import('./postgres/catalog.js');
    return openPgCatalog(target, readCatalogPassword(files.catalogSecret, formatPgUrl(target)));
  }
  return sqliteCatalog(openProductsDb(files.products), { ownsDb: true });
}

export class CatalogSource extends EventEmitter<{ switched: [] }> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: Catalog,
    /** Closed with the source (false: the catalog was lent by its owner). */
    private readonly owned = true,
    private readonly files?: DataFiles,
    private key = 'sqlite',
  ) {
    super();
  }

  static async open(files: DataFiles, settings: Settings): Promise<CatalogSource> {
    return new CatalogSource(await openCatalog(files, settings), true, files, catalogKey(settings));
  }

  get catalog(): Catalog {
    return this.current;
  }

  /**
   * Calls onChange when anyone else changes the catalog, wherever it lives: watching moves with the
   * catalog, and a move itself is a change (everything may differ). Returns the function that stops.
   */
  watch(onChange: () => void): () => void {
    let stop = this.current.watch(onChange);
    const moved = () => {
      stop();
      stop = this.current.watch(onChange);
      onChange();
    };
    this.on('switched', moved);
    return () => {
      this.off('switched', moved);
      stop();
    };
  }

  /**
   * Follows settings another process changed (the person moved the catalog in the app or with the
   * CLI): opens the catalog where it lives now, and every server over this source switches to it.
   */
  follow(settings: Settings): Promise<void> {
    const key = catalogKey(settings);
    if (key === this.key || !this.files || !this.owned) return Promise.resolve();
    const files = this.files;
    return this.serially(async () => {
      if (key === this.key) return;
      await this.swap(await openCatalog(files, settings), key);
    });
  }

  /** Moves to a catalog the caller opened (the app's own move, which also copied the data). */
  switchTo(catalog: Catalog, settings: Settings): Promise<void> {
    return this.serially(() => this.swap(catalog, catalogKey(settings)));
  }

  private serially(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async swap(next: Catalog, key: string): Promise<void> {
    const before = this.current;
    this.current = next;
    this.key = key;
    this.emit('switched');
    if (this.owned) await before.close().catch(() => {});
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.owned) await this.current.close();
  }
}
