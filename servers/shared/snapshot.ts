import fs from 'node:fs';
import { connection, type Db } from './db.js';

export interface SnapshotProgress {
  /** Pages copied so far and in all (SQLite pages, 4 KiB each). */
  done: number;
  total: number;
}

export interface SnapshotOptions {
  onProgress?: (p: SnapshotProgress) => void;
  /** Gives up (and removes the partial copy) after this long; the error says what it was copying. */
  deadlineMs?: number;
  /** What is being copied, in words: "the catalog". */
  what?: string;
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** Pages per step: ~400 KiB, a millisecond or so, so the event loop stays responsive. */
const PAGES_PER_STEP = 100;

/**
 * Copies a live SQLite database to `dest` as one consistent snapshot, in bounded time whatever other
 * processes write meanwhile.
 *
 * SQLite's online backup restarts from the first page whenever another connection writes the source
 * between two of its steps, so a writer busier than the copy is long (an AI app's update every
 * 200 ms against a 100k-product catalog) starves it for ever. Here the copy reads from a connection of
 * its own that holds one read transaction from the first page to the last: in WAL mode that pins a
 * snapshot the backup never sees change (no restart), while writers carry on untouched — a WAL reader
 * never blocks a writer. The steps stay small so this process keeps answering meanwhile.
 */
export async function snapshotDatabase(source: Db, dest: string, opts: SnapshotOptions = {}): Promise<SnapshotProgress> {
  const file = source.name;
  const what = opts.what ?? 'the database';
  if (!file || file === ':memory:') throw new SnapshotError(`Cannot back up ${what}: it is not a file`);
  const allowedMs = opts.deadlineMs ?? 5 * 60_000;
  const deadline = Date.now() + allowedMs;
  let reader: Db;
  try {
    reader = connection(file, { fileMustExist: true });
  } catch (err) {
    throw new SnapshotError(`Cannot back up ${what}: cannot open ${file} (${(err as Error).message})`);
  }
  let last: SnapshotProgress = { done: 0, total: 0 };
  try {
    // Waits for another process's brief WAL recovery at most until the deadline.
    reader.pragma(`busy_timeout = ${Math.max(0, Math.min(deadline - Date.now(), 10_000))}`);
    reader.pragma('query_only = ON');
    reader.prepare('BEGIN').run();
    // The first read starts the read transaction: the snapshot every page below is copied from.
    reader.prepare('SELECT count(*) FROM sqlite_schema').get();
    last = await reader
      .backup(dest, {
        progress: (p) => {
          last = { done: p.totalPages - p.remainingPages, total: p.totalPages };
          opts.onProgress?.(last);
          if (Date.now() > deadline) {
            throw new SnapshotError(
              `Gave up backing up ${what} after ${Math.round(allowedMs / 1000)} s: ${last.done.toLocaleString('en')} of ${last.total.toLocaleString('en')} pages were copied (is the disk very slow or full?). Nothing was changed.`,
            );
          }
          return PAGES_PER_STEP;
        },
      })
      .then((p) => ({ done: p.totalPages, total: p.totalPages }));
    opts.onProgress?.(last);
    return last;
  } catch (err) {
    for (const f of [dest, `${dest}-journal`]) fs.rmSync(f, { force: true });
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError(`Cannot back up ${what} to ${dest}: ${(err as Error).message}. Nothing was changed.`);
  } finally {
    reader.close();
  }
}
