import fs from 'node:fs';
import * as z from 'zod';

/**
 * The settings file (settings.json in the data directory). The host core writes it with `conf`;
 * server processes only read it, so this schema is the contract between them. Every field has a
 * default, so a missing or partial file is valid.
 */
export const WeatherProviderSchema = z.enum(['local', 'open-meteo']);
export type WeatherProvider = z.infer<typeof WeatherProviderSchema>;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const SettingsSchema = z.object({
  servers: z
    .object({
      weather: z.object({ enabled: z.boolean().default(true) }).prefault({}),
      products: z
        .object({
          enabled: z.boolean().default(true),
          /** "Allow AI to change the catalog": when false, write tools are not listed at all. */
          allowWrites: z.boolean().default(true),
        })
        .prefault({}),
    })
    .prefault({}),
  weather: z
    .object({
      provider: WeatherProviderSchema.default('local'),
      geocodingBaseUrl: httpUrl.default('https://geocoding-api.open-meteo.com'),
      forecastBaseUrl: httpUrl.default('https://api.open-meteo.com'),
      timeoutMs: z.number().int().min(500).max(30_000).default(4000),
    })
    .prefault({}),
  clients: z
    .object({
      /** Put our entries back when a client rewrites its config and drops them. */
      autoRepair: z.boolean().default(false),
      /** Clients the user connected (so a dropped entry can be told apart from never connected). */
      connected: z.array(z.string().max(64)).max(32).default([]),
    })
    .prefault({}),
  http: z
    .object({
      enabled: z.boolean().default(false),
      port: z.number().int().min(0).max(65535).default(0),
    })
    .prefault({}),
  startAtLogin: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings = (): Settings => SettingsSchema.parse({});

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

/** "price: Too small: expected number to be >=0; name: Invalid input: expected string, received number" */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : '';
      // Our own messages already name the field ("price must not be negative"): no need to say it twice.
      const last = String(issue.path.at(-1) ?? '');
      if (!where || (last && issue.message.startsWith(`${last} `))) return issue.message;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Polls the settings file's mtime (a stat call) and calls onChange with freshly read settings.
 * fs.watch is unreliable for files replaced by rename (which is how conf writes), so we poll.
 */
export function watchSettingsFile(file: string, intervalMs: number, onChange: (s: SettingsRead) => void): () => void {
  const stamp = () => {
    try {
      const s = fs.statSync(file);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      return 'missing';
    }
  };
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
