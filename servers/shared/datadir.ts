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

/** Creates the directory if needed and proves it is writable, or throws a DataDirError that says why. */
export function ensureDataDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { recursive: true });
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
  logs: path.join(dir, 'logs'),
  backups: path.join(dir, 'backups'),
});
