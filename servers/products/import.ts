// Driving a file import: chunks written in short transactions with a pause between them (so an AI
// write waiting for the lock gets in within a chunk's time), progress after each, cancel between
// chunks (everything already written is rolled back), and undo of a finished import as one unit.
import { processTag, taggedProcess } from '../shared/process.js';
import type { Actor, ImportProgress, ImportRecord, NewProduct } from './schema.js';
import type { ImportJournal, TableCopy, Upkeep } from './domain/roles.js';
import { StoreError } from '../shared/errors.js';

type Store = ImportJournal & Upkeep & Pick<TableCopy, 'indexFields'>;

export interface ImportOptions {
  file: string;
  actor: Actor;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Starting chunk size; it adapts so each transaction holds the lock for about TARGET_MS. */
  chunk?: number;
}

export interface ImportOutcome {
  importId: number;
  added: number;
  updated: number;
  unchanged: number;
  cancelled: boolean;
}

/** How long one transaction may hold the write lock, and the pause left after it. */
const TARGET_MS = 150;
const PAUSE_MS = 4;
const MIN_CHUNK = 200;
const MAX_CHUNK = 10_000;

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, PAUSE_MS));

function nextChunk(size: number, tookMs: number): number {
  const scaled = tookMs > 0 ? Math.round(size * Math.min(2, Math.max(0.5, TARGET_MS / tookMs))) : size * 2;
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, scaled));
}

/** Imports this process is writing right now, as "location#id". */
const writing = new Set<string>();

/**
 * Whether an unfinished import is abandoned: its writer (recorded as "host:pid") is not running any
 * more. An import this process is writing, or one another live process on this computer is, is not.
 */
export function abandoned(store: Store, u: { id: number; owner: string; lastActive?: string }, now = Date.now()): boolean {
  if (u.owner === processTag()) return !writing.has(`${store.location}#${u.id}`);
  const where = taggedProcess(u.owner);
  // Another computer's (a shared database), whose writer cannot be seen from here: a writer writes a
  // chunk every moment, so one that has written nothing for STALE_IMPORT_MS is gone (its computer
  // lost the database mid-import, or stopped), and any install may take the import back.
  if (where === 'elsewhere') return u.lastActive !== undefined && now - Date.parse(u.lastActive) > STALE_IMPORT_MS;
  return where === 'gone';
}

/** How long another computer's import may go without writing before it is taken as abandoned. */
export const STALE_IMPORT_MS = 10 * 60_000;

export async function runImport(store: Store, rows: readonly NewProduct[], opts: ImportOptions): Promise<ImportOutcome> {
  const importId = await store.beginImport(opts.file, rows.length, opts.actor);
  const key = `${store.location}#${importId}`;
  writing.add(key);
  try {
    return await writeImport(store, importId, rows, opts);
  } finally {
    writing.delete(key);
  }
}

async function writeImport(store: Store, importId: number, rows: readonly NewProduct[], opts: ImportOptions): Promise<ImportOutcome> {
  const totals = { added: 0, updated: 0, unchanged: 0 };
  let size = opts.chunk ?? 2000;
  let done = 0;
  try {
    opts.onProgress?.({ phase: 'writing', done: 0, total: rows.length });
    while (done < rows.length) {
      if (opts.signal?.aborted) break;
      const slice = rows.slice(done, done + size);
      const t0 = performance.now();
      const r = await store.importChunk(importId, slice, opts.actor);
      size = nextChunk(slice.length, performance.now() - t0);
      totals.added += r.added;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      done += slice.length;
      opts.onProgress?.({ phase: 'writing', done, total: rows.length });
      await pause();
    }
  } catch (err) {
    // A chunk failed (its own transaction rolled back): take back the chunks before it too.
    try {
      await revertImport(store, importId, 'cancel', opts.actor, opts.onProgress);
    } catch {
      // The database went away (it is what failed the chunk, often): say what stayed, never "nothing was changed".
      const cause = (err as Error).message.replace(/;? ?nothing was changed\.?/i, '').replace(/[\s.]+$/, '');
      throw new StoreError(
        `The import stopped after ${done.toLocaleString('en')} of ${rows.length.toLocaleString('en')} rows: ${cause}. ` +
          `The rows written so far are still in the catalog, marked as an unfinished import, and could not be taken back yet: ` +
          `MCP Tray takes them back when the catalog can be reached again (the next start of MCP Tray here, or on any computer sharing the catalog after ${STALE_IMPORT_MS / 60_000} minutes).`,
        'unavailable',
      );
    }
    throw err;
  }
  if (opts.signal?.aborted) {
    await revertImport(store, importId, 'cancel', opts.actor, opts.onProgress);
    return { importId, ...totals, cancelled: true };
  }
  await store.finishImport(importId);
  return { importId, ...totals, cancelled: false };
}

/**
 * After an import (or its undo, or a copy): the engine's bounded tidy-up steps, a short pause between
 * them so Claude's writes get in. Run it after telling the person the import is done: it changes no
 * data, only how fast searches are. First the products the import added go into the search index
 * (on SQLite; searches read every product's text until then): that is finished even when `signal`
 * says the app is closing, so the servers Claude uses are never left slow. Then the index's segments
 * are merged, which a close may cut short (the next start finishes it).
 */
export async function tidyAfterBulk(store: Store, signal?: AbortSignal): Promise<void> {
  // Whoever is told the import is done hears it first (the first step would otherwise run before).
  await pause();
  // Fields an import added, indexed now their values are in (one field per short transaction).
  await store.indexFields();
  while (await store.indexStep()) await pause();
  while (!signal?.aborted && (await store.tidyStep())) await pause();
}

/**
 * Rolls an import back, newest change first, in short transactions. 'cancel' (an import stopped
 * before it finished, or found unfinished at start) leaves no trace in the history; 'undo' (of a
 * finished import; check it first with checkImportUndo) records each revert.
 */
export async function revertImport(
  store: Store,
  importId: number,
  mode: 'cancel' | 'undo',
  actor: Actor,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportRecord> {
  const record = await store.importRecord(importId);
  const total = record ? record.added + record.updated : 0;
  let below = Number.MAX_SAFE_INTEGER;
  let done = 0;
  let size = 2000;
  onProgress?.({ phase: 'reverting', done, total });
  for (;;) {
    const t0 = performance.now();
    const { next, reverted } = await store.revertImportChunk(importId, mode, actor, below, size);
    if (next === null) break;
    size = nextChunk(size, performance.now() - t0);
    below = next;
    done += reverted;
    onProgress?.({ phase: 'reverting', done: Math.min(done, total), total });
    await pause();
  }
  return await store.closeImport(importId, mode === 'cancel' ? 'cancelled' : 'undone');
}
