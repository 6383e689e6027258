import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import Conf from 'conf';
import { SettingsSchema, formatZodError, type Settings } from '../../servers/shared/settings.js';
import { HostError } from './errors.js';

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

/**
 * settings.json in the data directory, written with conf (atomic writes). The server processes read
 * the same file (servers/shared/settings.ts), so a change here reaches them within a second.
 */
export class SettingsStore extends EventEmitter<{ change: [Settings] }> {
  private readonly conf: Conf<Plain>;
  private current: Settings;
  /** Set when the file on disk could not be used and was set aside. */
  readonly problem: string | undefined;

  constructor(dataDir: string) {
    super();
    const file = path.join(dataDir, 'settings.json');
    let problem: string | undefined;
    let conf: Conf<Plain>;
    try {
      conf = new Conf<Plain>({ cwd: dataDir, configName: 'settings', clearInvalidConfig: false });
    } catch (err) {
      // Never throw a person's settings away: keep the damaged file beside the new one.
      const aside = `${file}.damaged-${Date.now()}`;
      fs.renameSync(file, aside);
      problem = `settings.json could not be read (${(err as Error).message}); it was kept as ${path.basename(aside)} and defaults are used`;
      conf = new Conf<Plain>({ cwd: dataDir, configName: 'settings', clearInvalidConfig: false });
    }
    this.conf = conf;
    const parsed = SettingsSchema.safeParse(conf.store);
    if (parsed.success) {
      this.current = parsed.data;
    } else {
      problem = `settings.json has values this version cannot use (${formatZodError(parsed.error)}); defaults are used for them`;
      this.current = SettingsSchema.parse({});
    }
    this.problem = problem;
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsUpdate): Settings {
    const merged = deepMerge(this.current as unknown as Plain, patch as Plain);
    const parsed = SettingsSchema.safeParse(merged);
    if (!parsed.success) throw new HostError(`Invalid settings: ${formatZodError(parsed.error)}`, 'invalid');
    this.current = parsed.data;
    this.conf.store = parsed.data as unknown as Plain;
    this.emit('change', this.current);
    return this.current;
  }
}
