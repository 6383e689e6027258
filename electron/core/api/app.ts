/** The app area of the host API: the whole state at once, settings, a backup of the data, moving the app into place. */
import * as z from 'zod';
import type { ServerSwitch } from '../../../servers/shared/definition.js';
import type { Settings } from '../../../servers/shared/settings-schema.js';
import { SERVERS } from '../../../servers/registry.js';
import { SERVER_NAMES, ToolList, none, type ServerName } from './common.js';
import type { InstallLocation } from './claude.js';
import type { ServerStatus, ToolSwitch } from './servers.js';

export type { Settings };

/** One server's settings patch: on or off, its tool switches, and its own switches (from its definition). */
function serverPatch<S extends Readonly<Record<string, ServerSwitch>>>(switches: S) {
  const own = Object.fromEntries(Object.keys(switches).map((key) => [key, z.boolean().optional()])) as {
    [K in keyof S]: z.ZodOptional<z.ZodBoolean>;
  };
  return z.strictObject({ enabled: z.boolean().optional(), ...own, disabledTools: ToolList.optional() }).optional();
}
type ServerPatches = { [K in ServerName]: ReturnType<typeof serverPatch<(typeof SERVERS)[K]['switches']>> };

/** Deep-partial settings patch, checked again against the full schema after merging. */
const SettingsPatch = z.strictObject({
  servers: z.strictObject(Object.fromEntries(SERVER_NAMES.map((n) => [n, serverPatch(SERVERS[n].switches)])) as ServerPatches).optional(),
  weather: z
    .strictObject({
      provider: z.enum(['local', 'open-meteo']).optional(),
      geocodingBaseUrl: z.string().url().max(2000).optional(),
      forecastBaseUrl: z.string().url().max(2000).optional(),
      timeoutMs: z.number().int().min(500).max(30_000).optional(),
    })
    .optional(),
  clients: z.strictObject({ autoRepair: z.boolean().optional() }).optional(),
  http: z.strictObject({ enabled: z.boolean().optional(), port: z.number().int().min(0).max(65535).optional() }).optional(),
  startAtLogin: z.boolean().optional(),
  activity: z.strictObject({ seenUpTo: z.number().int().min(0).optional() }).optional(),
  stock: z.strictObject({ lowBelow: z.number().int().min(1).max(1_000_000).optional() }).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const schemas = {
  getState: none,
  getSettings: none,
  updateSettings: SettingsPatch,
  backupData: none,
  moveApp: none,
};

export interface HostState {
  version: string;
  dataDir: string;
  shell: 'electron' | 'headless';
  servers: ServerStatus[];
  settings: Settings;
  http: { url: string; token: string } | null;
  /** Problems found at start-up (a damaged settings file, …): shown whenever a window opens. */
  notices: Array<{ level: 'info' | 'warning' | 'error'; message: string }>;
  /** Every tool of every server, with the person's switch. */
  tools: Record<ServerName, ToolSwitch[]>;
  install: InstallLocation;
}

export interface Results {
  getState: HostState;
  getSettings: Settings;
  updateSettings: Settings;
  backupData: { folder: string; files: string[] };
  moveApp: { moved: boolean; message: string };
}
