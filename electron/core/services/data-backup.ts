import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR, touchPrivate } from '../../../servers/shared/datadir.js';
import type { Db } from '../../../servers/shared/db.js';

const KEEP = 10;

/**
 * Copies the live databases with SQLite's online backup API (consistent while other processes
 * keep writing; the -wal and -shm files are never touched) into backups/data/<time>/.
 * The newest ten backups are kept.
 */
export async function backupDatabases(
  dataDir: string,
  dbs: Record<string, Db>,
  reason: string,
): Promise<{ folder: string; files: string[] }> {
  const root = path.join(dataDir, 'backups', 'data');
  const folder = path.join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}-${reason}`);
  fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
  const files: string[] = [];
  for (const [name, db] of Object.entries(dbs)) {
    const file = path.join(folder, `${name}.db`);
    touchPrivate(file);
    await db.backup(file);
    files.push(file);
  }
  const all = fs.readdirSync(root).sort();
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) fs.rmSync(path.join(root, old), { recursive: true, force: true });
  return { folder, files };
}
