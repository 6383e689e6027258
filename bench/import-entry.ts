// What the import benchmark (bench/import.mjs) runs: the app's own catalog service and backup, bundled for plain Node.
import { CatalogService } from '../electron/core/services/catalog.js';
import { dataFiles } from '../servers/shared/datadir.js';
import { defaultSettings } from '../servers/shared/settings-schema.js';

export { backupDatabases } from '../electron/core/services/data-backup.js';

/** The catalog service over a data folder's products file (the catalog on this computer). */
export const openCatalogService = (dir: string) => CatalogService.open(dataFiles(dir), defaultSettings());
