import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import Conf from 'conf';
import { SettingsSchema, formatZodError, type Settings } from '../../servers/shared/settings.js';
import { HostError } from './errors.js';
import { fileStamp } from '../../servers/shared/file-stamp.js';

type Plain = Record<string, unknown>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type SettingsUpdate = DeepPartial<Settings>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Plain, patch: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isPlain(v) && isPlain(base[k]) ? deepMerge(base[k] as Plain, v) : v;
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A lock older than this was left by a writer that died (a write takes milliseconds). */
const STALE_LOCK_MS = 10_000;

const readOwner = (dir: string): string | null => {
  try {
    return fs.readFileSync(path.join(dir, 'owner'), 'utf8');
  } catch {
    return null;
  }
};

/**
 * Removes a lock folder older than `staleMs`, so that of several waiters that all find it stale only
 * one takes it away: the folder is renamed to a name of the waiter's own (atomic; the others' renames
 * fail), and if what was renamed turns out to be a newer lock (its owner token differs from the stale
 * one's: another waiter took over in between), it is put back.
 */
export function takeStale(dir: string, staleMs: number): void {
  let stale: { owner: string | null; ino: number };
  try {
    const st = fs.statSync(dir);
    if (Date.now() - st.mtimeMs <= staleMs) return;
    stale = { owner: readOwner(dir), ino: st.ino };
  } catch {
    return; // released meanwhile
  }
  const aside = `${dir}.stale-${process.pid}-${crypto.randomUUID()}`;
  try {
    fs.renameSync(dir, aside);
  } catch {
    return; // another waiter took it away first
  }
  if (fs.statSync(aside).ino !== stale.ino || readOwner(aside) !== stale.owner) {
    // A fresh lock, not the stale one: give it back (if nobody holds the name by now).
    try {
      fs.renameSync(aside, dir);
      return;
    } catch {
      /* fall through: its owner's release finds it gone, which is harmless */
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

export interface SettingsOptions {
  /** How often to look for changes made by other processes (ms); 0 turns it off. */
  watchMs?: number;
}

interface Events {
  /** Settings changed, here or in another process. */
  change: [Settings];
  /** Another process (the CLI, another window on the same data folder) changed them. */
  external: [before: Settings, after: Settings];
}

/**
 * settings.json in the data directory. Several processes share it: the app or `serve`, the CLI, the
 * server processes (which only read it, servers/shared/settings.ts). So nothing here keeps a copy it
 * trusts: every write locks the file, reads what is on disk now, changes only the
 * keys it was given and writes atomically (conf); every read notices when the file changed under it.
 * Keys this version does not know (a newer version's) are kept as they are.
 */
export class SettingsStore extends EventEmitter<Events> {
  private readonly conf: Conf<Plain>;
  private readonly file: string;
  private current: Settings;
  private stamp = '';
  private timer: NodeJS.Timeout | undefined;
  /** Set when the file on disk could not be used and was set aside. */
  readonly problem: string | undefined;

  constructor(dataDir: string, opts: SettingsOptions = {}) {
    super();
    this.file = path.join(dataDir, 'settings.json');
    let problem: string | undefined;
    const open = () => new Conf<Plain>({ cwd: dataDir, configName: 'settings', clearInvalidConfig: false, configFileMode: 0o600 });
    let conf: Conf<Plain>;
    try {
      conf = open();
    } catch (err) {
      // Never throw a person's settings away: keep the damaged file beside the new one.
      const aside = `${this.file}.damaged-${Date.now()}`;
      fs.renameSync(this.file, aside);
      problem = `settings.json could not be read (${(err as Error).message}); it was kept as ${path.basename(aside)} and defaults are used`;
      conf = open();
    }
    this.conf = conf;
    this.stamp = fileStamp(this.file);
    const parsed = SettingsSchema.safeParse(conf.store);
    if (parsed.success) {
      this.current = parsed.data;
    } else {
      problem = `settings.json has values this version cannot use (${formatZodError(parsed.error)}); defaults are used for them`;
      this.current = SettingsSchema.parse({});
    }
    this.problem = problem;
    if (opts.watchMs) {
      this.timer = setInterval(() => this.refresh(), opts.watchMs);
      this.timer.unref();
    }
  }

  /** The file as it is on disk, or null when it cannot be read or used right now (then the last good settings stand). */
  private readDisk(): { raw: Plain; settings: Settings } | null {
    try {
      const raw = this.conf.store;
      const parsed = SettingsSchema.safeParse(raw);
      return parsed.success ? { raw, settings: parsed.data } : null;
    } catch {
      return null; // half-written by hand, or being replaced: the next look will see it whole
    }
  }

  /** Picks up a change another process made; tells listeners. Returns whether anything changed. */
  refresh(): boolean {
    const stamp = fileStamp(this.file);
    if (stamp === this.stamp) return false;
    this.stamp = stamp;
    const disk = this.readDisk();
    if (!disk || JSON.stringify(disk.settings) === JSON.stringify(this.current)) return false;
    const before = this.current;
    this.current = disk.settings;
    this.emit('external', before, this.current);
    this.emit('change', this.current);
    return true;
  }

  get(): Settings {
    this.refresh();
    return this.current;
  }

  update(patch: SettingsUpdate): Promise<Settings> {
    return this.mutate(() => patch);
  }

  /**
   * Read-merge-write under the file's lock: `fn` sees the settings as they are on disk now (another
   * process may have changed them a moment ago) and returns only the keys to change.
   */
  async mutate(fn: (current: Settings) => SettingsUpdate): Promise<Settings> {
    this.refresh();
    const release = await this.lock();
    let next: Settings;
    try {
      const disk = this.readDisk();
      const base = disk ?? { raw: this.current as unknown as Plain, settings: this.current };
      const merged = deepMerge(base.raw, fn(base.settings) as Plain);
      const parsed = SettingsSchema.safeParse(merged);
      if (!parsed.success) throw new HostError(`Invalid settings: ${formatZodError(parsed.error)}`, 'invalid');
      next = parsed.data;
      if (!disk || JSON.stringify(merged) !== JSON.stringify(disk.raw)) this.conf.store = merged;
    } finally {
      release();
    }
    this.stamp = fileStamp(this.file);
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (changed) this.emit('change', this.current);
    return this.current;
  }

  /**
   * Waits for another process's write to finish (settings writes take milliseconds), without blocking
   * this process meanwhile, for at most 5 s. The lock is a folder beside the file (mkdir is atomic
   * everywhere) holding its owner's token; one left by a crashed writer (10 s old) is taken over
   * atomically (takeStale). (proper-lockfile does much the same, but loading it installs
   * signal-exit's handlers, which re-raise SIGTERM and cut short our own orderly shutdown.)
   */
  private async lock(): Promise<() => void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const dir = `${this.file}.lock`;
    const token = `${process.pid}-${crypto.randomUUID()}`;
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'owner'), token);
        return () => {
          // Only our own lock is removed (were it ever taken over, the new owner's stays).
          if (readOwner(dir) === token) fs.rmSync(dir, { recursive: true, force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new HostError(`Settings could not be saved: ${(err as Error).message}`, 'invalid');
        takeStale(dir, STALE_LOCK_MS);
        if (Date.now() > deadline) {
          throw new HostError(
            'Settings could not be saved: another MCP Tray process has been writing settings.json for over 5 s; nothing was changed, try again',
            'conflict',
          );
        }
        await sleep(5 + Math.random() * 10);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
