import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR, dataFiles, touchPrivate } from '../../../servers/shared/datadir.js';
import { keepNewest } from '../retention.js';
import type { Db } from '../../../servers/shared/db.js';

const KEEP = 10;

/**
 * Copies the live databases with SQLite's online backup API (consistent while other processes
 * keep writing; the -wal and -shm files are never touched) into backups/data/<time>/.
 * The newest ten backups are kept.
 */
export async function backupDatabases(
  dataDir: string,
  /** A database that is not a file on this computer (a shared catalog) is left out. */
  dbs: Record<string, Db | undefined>,
  reason: string,
): Promise<{ folder: string; files: string[] }> {
  const root = path.join(dataFiles(dataDir).backups, 'data');
  const folder = path.join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}-${reason}`);
  fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
  const files: string[] = [];
  for (const [name, db] of Object.entries(dbs)) {
    if (!db) continue;
    const file = path.join(folder, `${name}.db`);
    touchPrivate(file);
    await db.backup(file);
    files.push(file);
  }
  keepNewest(root, KEEP);
  return { folder, files };
}
