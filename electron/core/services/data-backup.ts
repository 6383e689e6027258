import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_DIR, dataFiles, touchPrivate } from '../../../servers/shared/datadir.js';
import { snapshotDatabase, type SnapshotProgress } from '../../../servers/shared/snapshot.js';
import { keepNewest } from '../retention.js';
import type { Db } from '../../../servers/shared/db.js';

const KEEP = 10;

/** In words, for progress and errors. */
const WHAT: Record<string, string> = { products: 'the catalog', weather: 'the weather table' };

/**
 * Copies the live databases into backups/data/<time>/, each as one consistent snapshot that other
 * processes' writes can neither restart nor block (snapshotDatabase), with progress in pages over all
 * of them; the -wal and -shm files are never touched. The newest ten backups are kept.
 */
export async function backupDatabases(
  dataDir: string,
  /** A database that is not a file on this computer (a shared catalog) is left out. */
  dbs: Record<string, Db | undefined>,
  reason: string,
  onProgress?: (p: SnapshotProgress) => void,
): Promise<{ folder: string; files: string[] }> {
  const root = path.join(dataFiles(dataDir).backups, 'data');
  const folder = path.join(root, `${new Date().toISOString().replace(/[:.]/g, '-')}-${reason}`);
  fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR });
  const files: string[] = [];
  const present = Object.entries(dbs).filter((e): e is [string, Db] => e[1] !== undefined);
  // Progress over every file at once: each file's pages counted from the sizes before copying.
  const sizes = present.map(([, db]) => pageCount(db));
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  try {
    for (const [i, [name, db]] of present.entries()) {
      const file = path.join(folder, `${name}.db`);
      touchPrivate(file);
      const at = before;
      await snapshotDatabase(db, file, {
        what: WHAT[name] ?? name,
        onProgress: (p) => onProgress?.({ done: Math.min(at + p.done, total), total }),
      });
      files.push(file);
      before += sizes[i]!;
    }
  } catch (err) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw err;
  }
  onProgress?.({ done: total, total });
  keepNewest(root, KEEP);
  return { folder, files };
}

const pageCount = (db: Db) => Number(db.pragma('page_count', { simple: true }));
