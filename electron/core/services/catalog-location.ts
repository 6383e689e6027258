// "Where your catalog lives": this computer (the SQLite file) or a team's shared PostgreSQL
// database. Moving copies everything exactly (copy-catalog.ts) or starts using what is there; the
// password goes to the secret file only; every products server follows the settings change.
import type { Catalog } from '../../../servers/products/catalog.js';
import { openProductsDb, sqliteCatalog } from '../../../servers/products/sqlite/catalog.js';
import { copyCatalog } from '../../../servers/products/copy-catalog.js';
import { describeTarget, formatPgUrl, parsePgUrl } from '../../../servers/products/postgres/connect.js';
import { openPgCatalog } from '../../../servers/products/postgres/catalog.js';
import type { DataFiles } from '../../../servers/products/source.js';
import { forgetCatalogPassword, readCatalogPassword, writeCatalogPassword } from '../../../servers/shared/secret.js';
import type { CatalogLocation, DatabaseCheck } from '../contract.js';
import { HostError } from '../errors.js';
import type { SettingsStore } from '../settings.js';
import type { CatalogService } from './catalog.js';
import { backupDatabases } from './data-backup.js';

export interface LocationDeps {
  dataDir: string;
  files: DataFiles;
  settings: SettingsStore;
  catalog: CatalogService;
  /** Backing up (pages) or copying (rows). */
  onProgress: (p: { phase: 'backup' | 'copying'; done: number; total: number }) => void;
}

export function catalogLocation(d: Pick<LocationDeps, 'files' | 'settings' | 'catalog'>): CatalogLocation {
  const { engine, url } = d.settings.get().catalog;
  const store = d.catalog.store;
  return {
    engine: store.engine,
    where: store.shared ? store.shared.where : d.files.products,
    url: url ?? null,
    searchIndexed: store.shared ? store.shared.searchIndexed : null,
    passwordSaved: engine === 'postgres' && url !== undefined && readCatalogPassword(d.files.catalogSecret, url) !== undefined,
  };
}

/** The address and password to use: a password given apart wins over one written in the address. */
function addressOf(url: string, password: string | undefined) {
  const parsed = parsePgUrl(url);
  return { target: parsed.target, key: formatPgUrl(parsed.target), password: password || parsed.password };
}

/** Connects (setting the database up for MCP Tray if it is new) and says what is there; changes nothing here. */
export async function testDatabase(url: string, password: string | undefined, files?: DataFiles): Promise<DatabaseCheck> {
  const a = addressOf(url, password);
  const pass = a.password ?? (files ? readCatalogPassword(files.catalogSecret, a.key) : undefined);
  const db = await openPgCatalog(a.target, pass, { strict: true, poolSize: 1 });
  try {
    return {
      where: describeTarget(a.target),
      products: await db.count(),
      empty: await db.isEmpty(),
      searchIndexed: db.shared.searchIndexed,
      encrypted: a.target.sslmode !== 'disable',
    };
  } finally {
    await db.close();
  }
}

/**
 * Moves the catalog to a shared database. `copy`: this computer's catalog is copied into it (which
 * must be empty: nothing there is ever overwritten); otherwise what is there is used as it is.
 */
export async function useDatabase(d: LocationDeps, url: string, password: string | undefined, copy: boolean): Promise<CatalogLocation> {
  d.catalog.assertNoImport();
  const a = addressOf(url, password);
  const pass = a.password ?? readCatalogPassword(d.files.catalogSecret, a.key);
  const target = await openPgCatalog(a.target, pass, { strict: true });
  const here = d.catalog.store;
  try {
    // From here on nothing more is written to this computer's file (a server that has not yet
    // followed the move is refused, and Claude tries again on the shared catalog a moment later):
    // the copy below is then all of it.
    await here.local?.markMoved(target.shared.where);
    if (copy) {
      if (!(await target.isEmpty())) {
        throw new HostError(
          `The shared catalog at ${target.shared.where} already has ${(await target.count()).toLocaleString('en')} products or a history: use what is there, or empty that database first. Nothing was copied.`,
          'conflict',
        );
      }
      try {
        await copyCatalog(d.catalog.store, target, d.onProgress);
      } catch (err) {
        await target.clear().catch(() => {}); // it was empty: leave it so, ready for another try
        throw err;
      }
    }
  } catch (err) {
    await here.local?.markMoved(null);
    await target.close();
    throw err;
  }
  if (pass !== undefined) writeCatalogPassword(d.files.catalogSecret, a.key, pass);
  else forgetCatalogPassword(d.files.catalogSecret);
  const settings = await d.settings.update({ catalog: { engine: 'postgres', url: a.key } });
  await d.catalog.moveTo(target, settings);
  return catalogLocation(d);
}

/**
 * Back to the catalog on this computer. `copy`: the shared catalog is copied down over it (the
 * file's catalog is backed up first, and put back if the copy fails); otherwise the file's own
 * catalog is used again as it was. The shared database's password is forgotten.
 */
export async function useLocalCatalog(d: LocationDeps, copy: boolean): Promise<CatalogLocation> {
  d.catalog.assertNoImport();
  const file = sqliteCatalog(openProductsDb(d.files.products), { ownsDb: true });
  try {
    await file.local.markMoved(null);
    if (copy && d.catalog.store.engine !== 'sqlite') {
      const backup = await backupDatabases(d.dataDir, { products: file.local.db }, 'before-copy-from-shared', (p) =>
        d.onProgress({ phase: 'backup', ...p }),
      );
      try {
        await file.clear();
        await copyCatalog(d.catalog.store, file, d.onProgress);
      } catch (err) {
        await restore(file, backup.files[0]!);
        throw err;
      }
    }
  } catch (err) {
    await file.close();
    throw err;
  }
  forgetCatalogPassword(d.files.catalogSecret);
  const settings = await d.settings.update({ catalog: { engine: 'sqlite' } });
  await d.catalog.moveTo(file, settings);
  return catalogLocation(d);
}

/** Puts the backed-up catalog back into the file's catalog after a failed copy. */
async function restore(local: Catalog, backupFile: string): Promise<void> {
  const saved = sqliteCatalog(openProductsDb(backupFile, { seed: false }), { ownsDb: true });
  try {
    await local.clear();
    await copyCatalog(saved, local);
  } finally {
    await saved.close();
  }
}
