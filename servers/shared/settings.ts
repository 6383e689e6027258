import fs from 'node:fs';
import { fileStamp } from './file-stamp.js';
import { SettingsSchema, defaultSettings, formatZodError, type Settings } from './settings-schema.js';

export * from './settings-schema.js';

export interface SettingsRead {
  settings: Settings;
  /** Set when the file exists but could not be used; the defaults are returned instead. */
  problem?: string;
}

/** Reads settings.json leniently: a server must keep working when the file is missing or damaged. */
export function readSettingsFile(file: string): SettingsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings() };
    return { settings: defaultSettings(), problem: `cannot read ${file}: ${(err as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { settings: defaultSettings(), problem: `${file} is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    return { settings: defaultSettings(), problem: `${file} has invalid values: ${formatZodError(parsed.error)}` };
  }
  return { settings: parsed.data };
}

/**
 * Polls the settings file's mtime (a stat call) and calls onChange with freshly read settings.
 * fs.watch is unreliable for files replaced by rename (which is how conf writes), so we poll.
 */
export function watchSettingsFile(file: string, intervalMs: number, onChange: (s: SettingsRead) => void): () => void {
  const stamp = () => fileStamp(file);
  let last = stamp();
  const timer = setInterval(() => {
    const now = stamp();
    if (now !== last) {
      last = now;
      onChange(readSettingsFile(file));
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
