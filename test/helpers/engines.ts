// The products server's behaviour tests run once per storage engine: the SQLite file on this
// computer and a shared PostgreSQL database (a real throwaway cluster, started once per test file).
import { dataFiles } from '../../servers/shared/datadir.js';
import { readSettingsFile } from '../../servers/shared/settings.js';
import type { Catalog } from '../../servers/products/catalog.js';
import { openCatalog } from '../../servers/products/source.js';
import { sharedDataDir, startPostgres, type TestPostgres } from './postgres.js';
import { tempDir } from './servers.js';

let server: Promise<TestPostgres> | undefined;

/** The file's PostgreSQL server (started on first use; test/setup.ts stops it after the file). */
export const testPostgres = (): Promise<TestPostgres> => (server ??= startPostgres());

export async function stopTestPostgres(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await (await s).close();
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** A new data folder whose catalog lives on this engine and holds the sample catalog. */
  dataDir(): Promise<string>;
}

export const ENGINES: Engine[] = [
  { name: 'sqlite', dataDir: async () => tempDir() },
  {
    name: 'postgres',
    dataDir: async () => {
      const dir = tempDir();
      await sharedDataDir(await testPostgres(), dir);
      return dir;
    },
  },
];

/** The catalog of a data folder, opened as another process would (where its settings say it lives). */
export async function openDirCatalog(dir: string): Promise<Catalog> {
  const files = dataFiles(dir);
  return openCatalog(files, readSettingsFile(files.settings).settings);
}
