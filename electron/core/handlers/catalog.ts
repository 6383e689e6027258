/** The catalog area's handlers (api/catalog.ts has its methods' schemas and results). */
import type { HostParts } from '../parts.js';
import { catalogLocation, testDatabase, useDatabase, useLocalCatalog, type LocationDeps } from '../services/catalog-location.js';
import { backupDatabases } from '../services/data-backup.js';
import type { AreaHandlers } from '../api/common.js';
import { type schemas, type Results } from '../api/catalog.js';

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  const location = async (): Promise<LocationDeps> => ({
    dataDir: p.dataDir,
    files: p.files,
    settings: p.settings,
    catalog: await p.catalog(),
    onProgress: (progress) => p.emit({ type: 'catalog-progress', ...progress }),
  });
  return {
    listProducts: async (q) => (await p.catalog()).list(q),
    createProduct: async (input) => (await p.catalog()).create(input),
    updateProduct: async ({ id, patch, expectedUpdatedAt }) => (await p.catalog()).update(id, patch, expectedUpdatedAt),
    deleteProduct: async ({ id }) => (await p.catalog()).remove(id),
    listCategories: async () => (await p.catalog()).categories(),
    previewImport: async (input) => (await p.catalog()).previewImport(input),
    // A whole file of changes at once: a copy of the catalog as it was is kept first.
    commitImport: async ({ token, skipInvalid, newColumns }) => {
      const catalog = await p.catalog();
      return catalog.commitImport(token, skipInvalid, newColumns, (onProgress) =>
        backupDatabases(p.dataDir, { products: catalog.db }, 'before-import', onProgress),
      );
    },
    cancelImport: async ({ token }) => (await p.catalog()).cancelImport(token),
    listImports: async () => (await p.catalog()).imports(),
    undoImport: async ({ id }) => (await p.catalog()).undoImport(id),
    exportXlsx: async (filters) => (await p.catalog()).exportXlsx(filters),
    exportCsv: async (filters) => (await p.catalog()).exportCsv(filters),
    listChanges: async (opts) => (await p.catalog()).changes(opts),
    undoChange: async ({ id }) => (await p.catalog()).undo(id),
    undoChanges: async ({ ids }) => (await p.catalog()).undoMany(ids),
    removeSampleProducts: async () => (await p.catalog()).removeSamples(),
    listFields: async () => (await p.catalog()).fields(),
    addField: async (input) => (await p.catalog()).addField(input),
    renameField: async ({ key, label }) => (await p.catalog()).renameField(key, label),
    changeFieldType: async ({ key, type, choices }) => (await p.catalog()).changeFieldType(key, type, choices),
    moveField: async ({ key, to }) => (await p.catalog()).moveField(key, to),
    removeField: async ({ key }) => (await p.catalog()).removeField(key),
    restoreField: async ({ id }) => (await p.catalog()).restoreField(id),
    listRemovedFields: async () => (await p.catalog()).removedFields(),
    getCatalogLocation: async () => catalogLocation(await location()),
    testDatabase: async ({ url, password }) => testDatabase(url, password, p.files),
    useDatabase: async ({ url, password, copy }) => useDatabase(await location(), url, password, copy),
    useLocalCatalog: async ({ copy }) => useLocalCatalog(await location(), copy),
  };
}
