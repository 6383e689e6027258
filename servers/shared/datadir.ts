import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'MCP Tray';

/** Thrown when the data directory cannot be used; the message is meant for a person. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

/**
 * The per-user data directory, computed the way Electron computes `app.getPath('userData')`
 * for our product name, so the tray, the headless shell, the CLI and the server processes that
 * Claude Desktop spawns all open the same files.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(xdg, APP_NAME);
}

/** `--data-dir` wins, then `MCP_TRAY_DATA_DIR`, then the per-user default. Always absolute. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env.MCP_TRAY_DATA_DIR || defaultDataDir(process.platform, env);
  return path.resolve(chosen);
}

/** Owner-only: the catalog, logs, activity and tokens are nobody else's business on a shared computer. */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/**
 * Makes the data folder and everything in it owner-only (folders 0700, files 0600): folders and
 * files made by an older version, or by a library that does not take a mode, are fixed at start.
 * Windows has no such bits (the folder is in the user's own profile there).
 */
export function makePrivate(dir: string): void {
  if (process.platform === 'win32') return;
  const walk = (d: string, depth: number) => {
    try {
      fs.chmodSync(d, PRIVATE_DIR);
    } catch {
      return; // not ours to change (another user's folder given as --data-dir): leave it
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (e.isFile()) {
        try {
          if ((fs.statSync(p).mode & 0o077) !== 0) fs.chmodSync(p, PRIVATE_FILE);
        } catch {
          /* gone meanwhile, or not ours */
        }
      }
    }
  };
  walk(dir, 0);
}

/** Creates a file owner-only if it does not exist yet, so a library that then opens it (SQLite) keeps that mode. */
export function touchPrivate(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE));
  } catch {
    /* exists already, or cannot be made here: the open that follows reports it */
  }
}

/**
 * Creates the directory if needed (owner-only) and proves it is writable, or throws a DataDirError
 * that says why. `fixModes`: also make an older install's folder and files owner-only (the host does
 * this once at start; server processes, spawned often by the apps, do not walk the folder).
 */
export function ensureDataDir(dir: string, opts: { fixModes?: boolean } = {}): string {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  } catch (err) {
    throw new DataDirError(`Cannot create data directory ${dir}: ${describeFsError(err)}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    throw new DataDirError(`Cannot read data directory ${dir}: ${describeFsError(err)}`);
  }
  if (!stat.isDirectory()) throw new DataDirError(`Data directory ${dir} is not a directory`);
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (err) {
    throw new DataDirError(`Data directory ${dir} is not writable: ${describeFsError(err)}`);
  }
  if (opts.fixModes) makePrivate(dir);
  return dir;
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a folder';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EEXIST':
      return 'a file with that name is in the way';
    default:
      return e?.message ?? String(err);
  }
}

export const dataFiles = (dir: string) => ({
  products: path.join(dir, 'products.db'),
  weather: path.join(dir, 'weather.db'),
  activity: path.join(dir, 'activity.db'),
  settings: path.join(dir, 'settings.json'),
  /** The shared catalog's password (secret.ts): owner-only, nowhere else. */
  catalogSecret: path.join(dir, 'catalog-secret.json'),
  /** The running headless shell's signed-in address (mcp-tray open reads it): owner-only, while it runs. */
  shell: path.join(dir, 'shell.json'),
  logs: path.join(dir, 'logs'),
  backups: path.join(dir, 'backups'),
});

/** The files of a data folder (dataFiles). */
export type DataFiles = ReturnType<typeof dataFiles>;
