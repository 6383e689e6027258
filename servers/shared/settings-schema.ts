import * as z from 'zod';
import { SERVERS, SERVER_NAMES, type ServerName } from '../registry.js';
import type { ServerSwitch } from './definition.js';
import { LOW_STOCK_BELOW } from '../products/limits.js';

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

/** Tools the person switched off: not listed (tools/list_changed) in any running instance. */
const DisabledTools = z.array(z.string().min(1).max(128)).max(64).default([]);

/** A server's own settings: on or off, the tools the person switched off, and its switches (servers/<name>/definition.ts). */
function serverSettings<S extends Readonly<Record<string, ServerSwitch>>>(switches: S) {
  const own = Object.fromEntries(Object.entries(switches).map(([key, sw]) => [key, z.boolean().default(sw.default)])) as {
    [K in keyof S]: z.ZodDefault<z.ZodBoolean>;
  };
  return z.object({ enabled: z.boolean().default(true), ...own, disabledTools: DisabledTools }).prefault({} as never);
}
type ServerSettingsSchemas = { [K in ServerName]: ReturnType<typeof serverSettings<(typeof SERVERS)[K]['switches']>> };
const serversSchema = Object.fromEntries(SERVER_NAMES.map((n) => [n, serverSettings(SERVERS[n].switches)])) as ServerSettingsSchemas;

export const SettingsSchema = z.object({
  servers: z.object(serversSchema).prefault({}),
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
      /** Put our entries back when a connected client rewrites its config and drops them (Claude Desktop does, on start and update). */
      autoRepair: z.boolean().default(true),
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
  /** Where the catalog lives: this computer (SQLite in the data folder) or a team's shared PostgreSQL database. */
  catalog: z
    .object({
      engine: z.enum(['sqlite', 'postgres']).default('sqlite'),
      /** postgres://user@host:port/database[?sslmode=…], never with a password (that is in catalog-secret.json). */
      url: z
        .string()
        .max(2048)
        .refine((u) => !/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(u), 'the database address must not contain the password')
        .optional(),
    })
    .refine((c) => c.engine === 'sqlite' || c.url !== undefined, 'a shared catalog needs its database address (url)')
    .prefault({}),
  startAtLogin: z.boolean().default(false),
  /** Under how many in stock a product counts as low: the window's filter, the catalog view's badges, the restock report. */
  stock: z.object({ lowBelow: z.number().int().min(1).max(1_000_000).default(LOW_STOCK_BELOW) }).prefault({}),
  /** The Activity page: the newest AI change the person has seen there (the count beside it is of those after). */
  activity: z.object({ seenUpTo: z.number().int().min(0).default(0) }).prefault({}),
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

/**
 * Whether a tool is listed: the person's per-tool switch, and for the catalog "Allow AI to change
 * the catalog", a shortcut that switches every tool that changes data off at once.
 */
export function toolIsOn(settings: Settings, server: ServerName, tool: string, readOnly: boolean): boolean {
  return toolSwitch(settings, server, tool, readOnly) === true;
}

/** true, or why the tool is off (for the error a client gets when it calls it anyway). */
export function toolSwitch(settings: Settings, server: ServerName, tool: string, readOnly: boolean): true | string {
  const own = settings.servers[server] as { disabledTools: string[] } & Record<string, unknown>;
  if (own.disabledTools.includes(tool)) return `the person switched ${tool} off`;
  if (!readOnly) {
    const gate = writeGate(server);
    if (gate && own[gate] === false) return `${(SERVERS[server].switches as Record<string, ServerSwitch>)[gate]!.label} is off`;
  }
  return true;
}

/** The switch that, when off, turns every tool of the server that changes data off (products: allowWrites). */
export function writeGate(server: ServerName): string | undefined {
  return Object.entries(SERVERS[server].switches as Record<string, ServerSwitch>).find(([, sw]) => sw.gatesWrites)?.[0];
}
