// Moving a catalog between this computer and a shared database, exactly: every product with its
// id, SKU and times, the whole change history and the imports (so undo keeps working after the
// move), a batch at a time with progress.
import type { Catalog } from './catalog.js';
import { tidyAfterBulk } from './import.js';
import { CATALOG_TABLES, type CatalogTable } from './domain/roles.js';

export interface CopyProgress {
  phase: 'copying';
  done: number;
  total: number;
}

const BATCH = 5000;

/** Copies every row of `from` into `to`, which must be empty (the caller clears it after a backup). */
export async function copyCatalog(
  from: Catalog,
  to: Catalog,
  onProgress?: (p: CopyProgress) => void,
): Promise<Record<CatalogTable, number>> {
  const counts = Object.fromEntries(await Promise.all(CATALOG_TABLES.map(async (t) => [t, await from.tableCount(t)] as const))) as Record<
    CatalogTable,
    number
  >;
  const total = CATALOG_TABLES.reduce((n, t) => n + counts[t], 0);
  const copied = Object.fromEntries(CATALOG_TABLES.map((t) => [t, 0])) as Record<CatalogTable, number>;
  let done = 0;
  onProgress?.({ phase: 'copying', done, total });
  for (const table of CATALOG_TABLES) {
    for (let after = 0; ;) {
      const rows = await from.tableRows(table, after, BATCH);
      if (rows.length === 0) break;
      await to.loadTableRows(table, rows);
      copied[table] += rows.length;
      done += rows.length;
      after = rows.at(-1)!.id as number;
      onProgress?.({ phase: 'copying', done: Math.min(done, total), total: Math.max(total, done) });
    }
  }
  await to.indexFields();
  await to.analyze();
  await tidyAfterBulk(to);
  return copied;
}
