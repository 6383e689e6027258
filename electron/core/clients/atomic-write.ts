// Atomic replacement of a config file with our own, unmistakably named temp files.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HostError } from '../errors.js';
import { pidAlive } from '../../../servers/shared/process.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Our temp and keep files: `.<name>.mcp-tray-<pid>-<8 hex>.tmp|.prev` beside the file. Nobody names a
 * file like this by hand, so a leftover can be told apart from a person's own backup with certainty.
 */
const OURS = /^\.(.+)\.mcp-tray-(\d+)-[0-9a-f]{8}\.(tmp|prev)$/;
export const ourSideFile = (target: string, kind: 'tmp' | 'prev') =>
  path.join(path.dirname(target), `.${path.basename(target)}.mcp-tray-${process.pid}-${crypto.randomBytes(4).toString('hex')}.${kind}`);

/**
 * A writer killed between writing its temp file and renaming it (power cut, SIGKILL) leaves a temp
 * file beside the config; the config itself is whole. The next write clears such leftovers, and only
 * ours: files named by this program whose writer is gone (or that are older than any write takes,
 * in case the pid was reused).
 */
export function removeStaleTempFiles(target: string, olderThanMs = 10 * 60_000): void {
  const dir = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = OURS.exec(name);
    if (!m || m[1] !== path.basename(target)) continue;
    const pid = Number(m[2]);
    const file = path.join(dir, name);
    try {
      const old = Date.now() - fs.statSync(file).mtimeMs > olderThanMs;
      if (old || (pid !== process.pid && !pidAlive(pid))) fs.rmSync(file, { force: true });
    } catch {
      /* gone already */
    }
  }
}

/** Writes and fsyncs a temp file beside target with the given mode; returns its path. */
export function writeTemp(target: string, data: string | Buffer, mode: number | null, sync = true): string {
  const tmp = ourSideFile(target, 'tmp');
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
  try {
    if (mode !== null) fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    if (sync) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return tmp;
}

/** rename(2), with a few bounded retries where Windows refuses while another program has the file open. */
export async function renameInto(tmp: string, target: string, syncAfter = false): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(tmp, target);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt < 5 && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') && process.platform === 'win32') {
        await sleep(50 * attempt);
        continue;
      }
      throw err;
    }
  }
  if (syncAfter) {
    // The data was not synced before the rename (see writeTemp's caller): sync it now.
    try {
      const fd = fs.openSync(target, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      /* replaced again meanwhile: whoever wrote it owns its durability */
    }
  }
  try {
    // The rename itself is durable once the folder is synced (not possible, nor needed, on Windows).
    const dirFd = fs.openSync(path.dirname(target), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    /* best effort */
  }
}

export const cannotWrite = (target: string, err: unknown) => new HostError(`Cannot write ${target}: ${(err as Error).message}`, 'invalid');

/** Atomic replace, no questions asked (restoring a backup): temp file, fsync, rename. */
export async function writeAtomic(target: string, data: string | Buffer): Promise<void> {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    removeStaleTempFiles(target);
    let mode: number | null = null;
    try {
      mode = fs.statSync(target).mode & 0o7777;
    } catch {
      /* new file */
    }
    const tmp = writeTemp(target, data, mode);
    try {
      await renameInto(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  } catch (err) {
    throw err instanceof HostError ? err : cannotWrite(target, err);
  }
}

/**
 * rename(2) of `source` over `target`, keeping the file it replaces by a hard link taken just before:
 * returns what that file held right after it was replaced, with the link (the caller removes it),
 * or null where there was no file (or no hard links on this file system).
 */
export async function swapIn(
  source: string,
  target: string,
  expected: Buffer | null,
  syncAfter = false,
): Promise<{ replaced: Buffer; keep: string } | null> {
  let keep: string | null = null;
  if (expected !== null) {
    keep = ourSideFile(target, 'prev');
    try {
      fs.linkSync(target, keep);
    } catch {
      keep = null;
    }
  }
  await renameInto(source, target, syncAfter);
  return keep ? { replaced: fs.readFileSync(keep), keep } : null;
}
