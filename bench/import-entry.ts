// What the import benchmarks (bench/import.mjs, bench/shared.mjs) run: the app's own catalog service and backup, bundled for plain Node.
import { CatalogService } from '../electron/core/services/catalog.js';
import { dataFiles } from '../servers/shared/datadir.js';
import { readSettingsFile } from '../servers/shared/settings.js';

export { backupDatabases } from '../electron/core/services/data-backup.js';

/** The catalog service of a data folder, where its settings say the catalog lives. */
export function openCatalogService(dir: string) {
  const files = dataFiles(dir);
  return CatalogService.open(files, readSettingsFile(files.settings).settings);
}
