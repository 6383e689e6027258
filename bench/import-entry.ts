// What the import benchmark (bench/import.mjs) runs: the app's own catalog service and backup, bundled for plain Node.
export { CatalogService } from '../electron/core/services/catalog.js';
export { backupDatabases } from '../electron/core/services/data-backup.js';
