import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { touchPrivate } from './datadir.js';
import { sqliteCode } from './errors.js';

export type Db = Database.Database;

/** One schema step. Migrations run in order, each inside its own IMMEDIATE transaction. */
export interface Migration {
  /** Human description, shown in errors. */
  name: string;
  up: (db: Db) => void;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

export interface OpenOptions {
  migrations: readonly Migration[];
  /** Runs once, in the same transaction as the first migration: first-run sample data. */
  seed?: (db: Db) => void;
  readonly?: boolean;
  /** Milliseconds a writer waits for another process's lock before giving up. */
  busyTimeoutMs?: number;
}

/**
 * A bare connection through the native module this process uses: inside Electron during development
 * the checkout's better-sqlite3 is built for Node, and the desktop shell points MCP_TRAY_SQLITE_BINDING
 * at a copy built for Electron's ABI (see README, "Native module").
 */
export function connection(file: string, options: Database.Options = {}): Db {
  const nativeBinding = process.env.MCP_TRAY_SQLITE_BINDING || undefined;
  return new Database(file, { ...options, ...(nativeBinding ? { nativeBinding } : {}) });
}

/**
 * Opens a SQLite file the way every MCP Tray process must: WAL (checked, not assumed), a busy
 * timeout so concurrent processes queue instead of failing, foreign keys on, and migrations keyed
 * by PRAGMA user_version so any process can be the first to open a new or older file.
 */
export function openDatabase(file: string, opts: OpenOptions): Db {
  let db: Db;
  try {
    // SQLite gives its -wal and -shm files the database file's own mode: start it owner-only.
    if (!opts.readonly && file !== ':memory:') touchPrivate(file);
    db = connection(file, { readonly: opts.readonly ?? false });
  } catch (err) {
    throw new DatabaseError(`Cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const busyTimeout = Math.max(0, Math.floor(opts.busyTimeoutMs ?? 10_000));
    db.pragma(`busy_timeout = ${busyTimeout}`);
    writeWait.set(db, busyTimeout);
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; every process holds one
    // or two connections for as long as it runs. 4 MB keeps the indexes hot; the OS caches the rest.
    db.pragma('cache_size = -4000');
    if (!opts.readonly) {
      const mode = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
      if (mode !== 'wal') {
        throw new DatabaseError(`Cannot use ${file}: SQLite refused WAL mode (journal_mode is ${mode})`);
      }
      // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commit.
      db.pragma('synchronous = NORMAL');
      // Keeps the -wal file from staying large after a burst of writes.
      db.pragma('journal_size_limit = 8388608');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, opts);
    // Keeps the query planner's statistics current (SQLite's advice for long-lived connections);
    // analysis_limit keeps that to a quick sample, so a large catalog does not slow start-up.
    if (!opts.readonly) {
      db.pragma('analysis_limit = 400');
      db.pragma('optimize = 0x10002');
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`Cannot prepare ${file}: ${(err as Error).message}`);
  }
}

function migrate(db: Db, opts: OpenOptions): void {
  const target = opts.migrations.length;
  const current = () => Number(db.pragma('user_version', { simple: true }));
  if (current() === target) return;
  if (current() > target) {
    throw new DatabaseError(
      `This database was written by a newer MCP Tray (schema ${current()}, this build knows ${target}). Update MCP Tray.`,
    );
  }
  if (opts.readonly) throw new DatabaseError('The database needs an upgrade but was opened read-only');
  // Two processes may start at once on a fresh file: the IMMEDIATE lock serialises them and the
  // version is re-read inside the lock, so each migration runs exactly once.
  immediate(db, () => {
    const from = current();
    for (let v = from; v < target; v++) {
      opts.migrations[v]!.up(db);
      db.pragma(`user_version = ${v + 1}`);
    }
    if (from === 0) opts.seed?.(db);
  });
}

/** How long each connection's writers wait for the write lock (openDatabase's busyTimeoutMs). */
const writeWait = new WeakMap<Db, number>();
const pause = new Int32Array(new SharedArrayBuffer(4));
const isBusy = (err: unknown) => sqliteCode(err).startsWith('SQLITE_BUSY');

/**
 * Runs fn in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so there is no upgrade
 * deadlock. While another connection holds the lock, the attempt is repeated every 2 ms until the
 * connection's busy timeout: SQLite's own busy handler backs off to 100 ms sleeps, which can miss the
 * short gaps a long job (a CSV import commits in chunks) leaves between its transactions, again and
 * again. The wait blocks this process's thread, as SQLite's own would.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  const tx = db.transaction(fn);
  const budget = writeWait.get(db);
  if (db.inTransaction || budget === undefined) return tx.immediate();
  const deadline = Date.now() + budget;
  db.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        return tx.immediate();
      } catch (err) {
        if (!isBusy(err) || db.inTransaction || Date.now() >= deadline) throw err;
        Atomics.wait(pause, 0, 0, 2);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${budget}`);
  }
}

export { nowIso } from './time.js';

/**
 * Calls onChange when another connection (any process) commits to the database. PRAGMA data_version
 * is a cheap in-memory read; it does not change for this connection's own commits.
 */
export function watchDataVersion(db: Db, intervalMs: number, onChange: () => void): () => void {
  const read = db.prepare('PRAGMA data_version').pluck();
  let last = read.get() as number;
  let queued = false;
  const check = () => {
    queued = false;
    if (!db.open) return;
    const v = read.get() as number;
    if (v !== last) {
      last = v;
      onChange();
    }
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  // Another process's commit writes the -wal file: look at once instead of at the next tick. The
  // folder is watched (the -wal file comes and goes with the connections); the poll stays as the
  // fallback where file events do not arrive (network drives).
  let watcher: fs.FSWatcher | undefined;
  // (MCP_TRAY_DB_WATCH=poll turns the file events off: the benchmark compares both.)
  if (db.name && db.name !== ':memory:' && path.isAbsolute(db.name) && process.env.MCP_TRAY_DB_WATCH !== 'poll') {
    const base = path.basename(db.name);
    try {
      watcher = fs.watch(path.dirname(db.name), { persistent: false }, (_event, name) => {
        if (queued || (name !== null && name !== `${base}-wal` && name !== base)) return;
        queued = true;
        // At once, and once more a moment later: the event may come from the first of the commit's
        // writes, before the commit itself is visible.
        setImmediate(check);
        setTimeout(check, 25).unref();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
  }
  return () => {
    clearInterval(timer);
    watcher?.close();
  };
}
