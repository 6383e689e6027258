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

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

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

  update(patch: SettingsUpdate): Settings {
    return this.mutate(() => patch);
  }

  /**
   * Read-merge-write under the file's lock: `fn` sees the settings as they are on disk now (another
   * process may have changed them a moment ago) and returns only the keys to change.
   */
  mutate(fn: (current: Settings) => SettingsUpdate): Settings {
    this.refresh();
    const release = this.lock();
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
   * Waits (briefly) for another process's write to finish; settings writes take milliseconds. The lock
   * is a folder beside the file (mkdir is atomic everywhere); one left by a crashed writer is taken
   * over once it is 10 s old. (proper-lockfile does the same, but loading it installs signal-exit's
   * handlers, which re-raise SIGTERM and cut short our own orderly shutdown.)
   */
  private lock(): () => void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const dir = `${this.file}.lock`;
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        fs.mkdirSync(dir);
        return () => fs.rmSync(dir, { recursive: true, force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new HostError(`Settings could not be saved: ${(err as Error).message}`, 'invalid');
        try {
          if (Date.now() - fs.statSync(dir).mtimeMs > 10_000) fs.rmSync(dir, { recursive: true, force: true });
        } catch {
          /* released meanwhile */
        }
        if (Date.now() > deadline) {
          throw new HostError('Settings could not be saved: another MCP Tray process is holding settings.json; try again', 'conflict');
        }
        sleepSync(5 + Math.random() * 10);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
