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
