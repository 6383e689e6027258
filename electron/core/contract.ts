/**
 * The one contract between the UI and the host core. The renderer imports types from here only;
 * the host validates every call's arguments with these schemas at its boundary (IPC and HTTP alike).
 */
import * as z from 'zod';
import { SERVER_NAMES } from '../../servers/names.js';
import { METHOD_NAMES, type MethodName } from './methods.js';
import type { ChangeRecord, Product } from '../../servers/products/schema.js';
import { NewProduct, ProductPatch, Price, Stock, SORT_FIELDS, LIMITS } from '../../servers/products/schema.js';
import { CityInput, CityPatch, ForecastDayInput, CityId } from '../../servers/weather/schema.js';
import type { City, ForecastDay } from '../../servers/weather/schema.js';
import type { Settings } from '../../servers/shared/settings-schema.js';

export type { Product, ChangeRecord, City, ForecastDay, Settings };
export type { SortField } from '../../servers/products/schema.js';

export { SERVER_NAMES, SERVER_TITLES } from '../../servers/names.js';
export const ServerName = z.enum(SERVER_NAMES);
export type ServerName = z.infer<typeof ServerName>;

export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'] as const;
export const ClientId = z.enum(CLIENT_IDS);
export type ClientId = z.infer<typeof ClientId>;

const none = z.strictObject({});
const configPath = z.string().min(1).max(4096).optional();

/** Deep-partial settings patch, checked again against the full schema after merging. */
const SettingsPatch = z.strictObject({
  servers: z
    .strictObject({
      weather: z.strictObject({ enabled: z.boolean().optional() }).optional(),
      products: z.strictObject({ enabled: z.boolean().optional(), allowWrites: z.boolean().optional() }).optional(),
    })
    .optional(),
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
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const ProductListQuery = z.strictObject({
  search: z.string().max(LIMITS.search).optional(),
  category: z.string().max(LIMITS.category).optional(),
  min_price: Price.optional(),
  max_price: Price.optional(),
  in_stock: z.boolean().optional(),
  low_stock_below: Stock.optional(),
  sort: z.enum(SORT_FIELDS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type ProductListQuery = z.input<typeof ProductListQuery>;

/** Every host method: its argument schema. The result types are in HostResults below. */
export const methodSchemas = {
  getState: none,
  setServerEnabled: z.strictObject({ server: ServerName, enabled: z.boolean() }),
  restartServer: z.strictObject({ server: ServerName }),
  getLogs: z.strictObject({ server: ServerName, limit: z.number().int().min(1).max(5000).optional() }),
  callTool: z.strictObject({ server: ServerName, tool: z.string().min(1).max(128), args: z.record(z.string(), z.unknown()) }),

  listProducts: ProductListQuery,
  createProduct: NewProduct,
  updateProduct: z.strictObject({ id: z.number().int().positive(), patch: ProductPatch }),
  deleteProduct: z.strictObject({ id: z.number().int().positive() }),
  listCategories: none,
  previewImport: z.strictObject({ csv: z.string().max(64 * 1024 * 1024, 'the CSV is larger than 64 MB') }),
  commitImport: z.strictObject({ token: z.string().max(100), skipInvalid: z.boolean().default(false) }),
  cancelImport: z.strictObject({ token: z.string().max(100) }),
  exportCsv: z.strictObject({ search: z.string().max(LIMITS.search).optional(), category: z.string().max(LIMITS.category).optional() }),
  listChanges: z.strictObject({
    source: z.enum(['mcp', 'app', 'import']).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    beforeId: z.number().int().positive().optional(),
  }),
  undoChange: z.strictObject({ id: z.number().int().positive() }),

  listCities: none,
  addCity: CityInput,
  updateCity: z.strictObject({ id: CityId, patch: CityPatch }),
  deleteCity: z.strictObject({ id: CityId }),
  setForecast: z.strictObject({ id: CityId, days: z.array(ForecastDayInput).max(16) }),

  getSettings: none,
  updateSettings: SettingsPatch,

  listClients: none,
  connectClient: z.strictObject({ client: ClientId, configPath }),
  disconnectClient: z.strictObject({ client: ClientId, configPath }),
  listBackups: z.strictObject({ client: ClientId, configPath }),
  restoreBackup: z.strictObject({ client: ClientId, backup: z.string().min(1).max(255), configPath }),

  getActivity: z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
  backupData: none,
} as const satisfies Record<MethodName, z.ZodType>;

// `satisfies` checks both ways: every listed name has a schema, and no schema is left unlisted.
export { METHOD_NAMES, type MethodName };
export type MethodArgs<K extends MethodName> = z.input<(typeof methodSchemas)[K]>;
export type ParsedArgs<K extends MethodName> = z.output<(typeof methodSchemas)[K]>;

export type ServerState = 'stopped' | 'starting' | 'running' | 'crashed' | 'crash-loop';

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  annotations?: Record<string, unknown>;
}

export interface ServerStatus {
  name: ServerName;
  title: string;
  enabled: boolean;
  state: ServerState;
  pid: number | null;
  startedAt: string | null;
  restarts: number;
  crashesInWindow: number;
  lastError: string | null;
  nextRestartAt: string | null;
  tools: ToolInfo[];
  resources: Array<{ uri: string; name: string; title?: string }>;
  resourceTemplates: Array<{ uriTemplate: string; name: string; title?: string }>;
  prompts: Array<{ name: string; title?: string; description?: string }>;
}

export interface LogLine {
  seq: number;
  server: ServerName;
  at: string;
  stream: 'stderr' | 'host';
  text: string;
}

export type ClientState = 'not-installed' | 'not-connected' | 'connected' | 'outdated' | 'entry-missing' | 'error';

export interface ClientStatus {
  id: ClientId;
  name: string;
  state: ClientState;
  configPath: string;
  /** Our entries as they are in the file now (name → entry). */
  entries: Record<string, unknown>;
  /** What connecting would write. */
  expected: Record<string, unknown>;
  /** Why the state is what it is (parse error with line and column, what differs). */
  detail: string | null;
  /** What the person should do next, in plain words. */
  nextStep: string;
}

export interface ConnectResult {
  status: ClientStatus;
  changed: boolean;
  backup: string | null;
  message: string;
}

export interface Backup {
  file: string;
  at: string;
  size: number;
}

export interface ImportRowError {
  line: number;
  message: string;
}

export interface ImportPreview {
  token: string;
  rows: number;
  valid: number;
  toAdd: number;
  toUpdate: number;
  errors: ImportRowError[];
  sample: Array<Record<string, unknown>>;
  columns: string[];
}

export interface Connection {
  instanceId: string;
  server: string;
  client: string;
  clientVersion: string | null;
  pid: number;
  startedAt: string;
  lastActive: string;
  ownInstance: boolean;
}

export interface ToolCallInfo {
  id: number;
  server: string;
  client: string;
  tool: string;
  at: string;
  durationMs: number;
  ok: boolean;
  error: string | null;
}

export interface HostState {
  version: string;
  dataDir: string;
  shell: 'electron' | 'headless';
  servers: ServerStatus[];
  settings: Settings;
  http: { url: string; token: string } | null;
  /** Problems found at start-up (a damaged settings file, …): shown whenever a window opens. */
  notices: Array<{ level: 'info' | 'warning' | 'error'; message: string }>;
}

export interface CityWithForecast extends City {
  forecast: ForecastDay[];
}

export interface HostResults {
  getState: HostState;
  setServerEnabled: ServerStatus;
  restartServer: ServerStatus;
  getLogs: LogLine[];
  callTool: { isError: boolean; result: unknown };

  listProducts: { rows: Product[]; total: number };
  createProduct: Product;
  updateProduct: Product;
  deleteProduct: Product;
  listCategories: Array<{ name: string; count: number; inStock: number }>;
  previewImport: ImportPreview;
  commitImport: { added: number; updated: number; unchanged: number; skipped: number };
  cancelImport: { cancelled: boolean };
  exportCsv: { csv: string; rows: number };
  listChanges: ChangeRecord[];
  undoChange: { change: ChangeRecord; product: Product | null };

  listCities: CityWithForecast[];
  addCity: CityWithForecast;
  updateCity: CityWithForecast;
  deleteCity: City;
  setForecast: CityWithForecast;

  getSettings: Settings;
  updateSettings: Settings;

  listClients: ClientStatus[];
  connectClient: ConnectResult;
  disconnectClient: ConnectResult;
  listBackups: Backup[];
  restoreBackup: ConnectResult;

  getActivity: { connections: Connection[]; calls: ToolCallInfo[] };
  backupData: { folder: string; files: string[] };
}

/** The whole API as named async methods: what the preload exposes and the HTTP client implements. */
export type HostApi = {
  // Methods whose arguments are all optional can be called with none.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  [K in MethodName]: {} extends MethodArgs<K>
    ? (args?: MethodArgs<K>) => Promise<HostResults[K]>
    : (args: MethodArgs<K>) => Promise<HostResults[K]>;
};

export type HostEvent =
  | { type: 'server-status'; status: ServerStatus }
  | { type: 'server-log'; line: LogLine }
  | { type: 'data-changed'; what: 'products' | 'weather' }
  | { type: 'settings'; settings: Settings }
  | { type: 'clients'; clients: ClientStatus[] }
  | { type: 'activity' }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string };

/** An error the UI can show as it is. `code` lets it react (e.g. conflict → offer a refresh). */
export interface HostErrorBody {
  error: string;
  code: 'invalid' | 'not_found' | 'conflict' | 'parse_error' | 'internal' | 'unknown_method';
}
