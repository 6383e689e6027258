// What the shared-catalog benchmark (bench/shared.mjs) runs: a throwaway PostgreSQL cluster (the
// tests' own), and the app's catalog modules, bundled for plain Node.
export { startPostgres, sharedDataDir } from '../test/helpers/postgres.js';
export { openCatalogService, backupDatabases } from './import-entry.js';
export { copyCatalog } from '../servers/products/copy-catalog.js';
export { openCatalog } from '../servers/products/source.js';
export { dataFiles } from '../servers/shared/datadir.js';
export { readSettingsFile } from '../servers/shared/settings.js';
