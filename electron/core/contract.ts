/**
 * The one contract between the UI and the host core. The renderer imports types from here only;
 * the host validates every call's arguments with these schemas at its boundary (IPC and HTTP alike).
 */
import * as z from 'zod';
import { SERVER_NAMES } from '../../servers/registry.js';
import { METHOD_NAMES, type MethodName } from './methods.js';
import type { ChangeRecord, ImportRecord, Product, ImportProgress as StoreImportProgress } from '../../servers/products/schema.js';
import { NewProduct, ProductPatch, Price, Stock, SORT_FIELDS, LIMITS } from '../../servers/products/schema.js';
import { CityInput, CityPatch, ForecastDayInput, CityId } from '../../servers/weather/schema.js';
import type { City, ForecastDay } from '../../servers/weather/schema.js';
import type { Settings } from '../../servers/shared/settings-schema.js';

export type { Product, ChangeRecord, ImportRecord, City, ForecastDay, Settings };
export type { SortField } from '../../servers/products/schema.js';

export { SERVER_NAMES, SERVER_TITLES } from '../../servers/registry.js';
export const ServerName = z.enum(SERVER_NAMES);
export type ServerName = z.infer<typeof ServerName>;

export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'] as const;
export const ClientId = z.enum(CLIENT_IDS);
export type ClientId = z.infer<typeof ClientId>;

const none = z.strictObject({});
const ToolName = z.string().min(1).max(128);
const ToolList = z.array(ToolName).max(64);
const configPath = z.string().min(1).max(4096).optional();

/** Deep-partial settings patch, checked again against the full schema after merging. */
const SettingsPatch = z.strictObject({
  servers: z
    .strictObject({
      weather: z.strictObject({ enabled: z.boolean().optional(), disabledTools: ToolList.optional() }).optional(),
      products: z
        .strictObject({ enabled: z.boolean().optional(), allowWrites: z.boolean().optional(), disabledTools: ToolList.optional() })
        .optional(),
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

const DatabaseUrl = z.string().trim().min(1, 'give the database address (postgres://user@host:5432/database)').max(2048);
/** Given separately from the address, or in it; kept only in the secret file. */
const DatabasePassword = z.string().max(1024).optional();

/** Where the catalog lives now. */
export interface CatalogLocation {
  engine: 'sqlite' | 'postgres';
  /** The file on this computer, or the database as host:port/database. */
  where: string;
  /** The shared database's address (never with the password); the last one used while on this computer. */
  url: string | null;
  /** Shared database: whether substring search has its trigram index (pg_trgm); null on this computer. */
  searchIndexed: boolean | null;
  /** A password for the address is kept in the secret file. */
  passwordSaved: boolean;
}

/** What a test connection found. */
export interface DatabaseCheck {
  where: string;
  products: number;
  /** Nothing in it yet (no products, no history): this computer's catalog can be copied into it. */
  empty: boolean;
  searchIndexed: boolean;
  /** Whether the connection is encrypted (TLS); sslmode=prefer or allow (and none) mean it is not. */
  encrypted: boolean;
}

/** Every host method: its argument schema. The result types are in HostResults below. */
export const methodSchemas = {
  getState: none,
  setServerEnabled: z.strictObject({ server: ServerName, enabled: z.boolean() }),
  restartServer: z.strictObject({ server: ServerName }),
  getLogs: z.strictObject({ server: ServerName, limit: z.number().int().min(1).max(5000).optional() }),
  callTool: z.strictObject({ server: ServerName, tool: z.string().min(1).max(128), args: z.record(z.string(), z.unknown()) }),

  listProducts: ProductListQuery,
  createProduct: NewProduct,
  updateProduct: z.strictObject({
    id: z.number().int().positive(),
    patch: ProductPatch,
    /** The product's updated_at as the window showed it: refused if someone changed it since. */
    expectedUpdatedAt: z.string().max(40).optional(),
  }),
  deleteProduct: z.strictObject({ id: z.number().int().positive() }),
  listCategories: none,
  previewImport: z
    .strictObject({
      csv: z
        .string()
        .max(64 * 1024 * 1024, 'the CSV is larger than 64 MB')
        .optional(),
      /** An .xlsx file, base64. */
      xlsx: z
        .string()
        .max(Math.ceil((64 * 1024 * 1024 * 4) / 3) + 4, 'the spreadsheet is larger than 64 MB')
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'xlsx must be the file in base64')
        .optional(),
      /** The file's name, recorded with the import ("products.csv"). */
      file: z.string().max(260).optional(),
      /** Which sheet of a spreadsheet (its name); the first when left out. */
      sheet: z.string().max(100).optional(),
    })
    .refine((v) => (v.csv === undefined) !== (v.xlsx === undefined), 'give either csv or xlsx'),
  commitImport: z.strictObject({ token: z.string().max(100), skipInvalid: z.boolean().default(false) }),
  cancelImport: z.strictObject({ token: z.string().max(100) }),
  listImports: none,
  undoImport: z.strictObject({ id: z.number().int().positive() }),
  exportXlsx: z.strictObject({ search: z.string().max(LIMITS.search).optional(), category: z.string().max(LIMITS.category).optional() }),
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

  getCatalogLocation: none,
  testDatabase: z.strictObject({ url: DatabaseUrl, password: DatabasePassword }),
  useDatabase: z.strictObject({ url: DatabaseUrl, password: DatabasePassword, copy: z.boolean().default(false) }),
  useLocalCatalog: z.strictObject({ copy: z.boolean().default(false) }),

  listClients: none,
  connectClient: z.strictObject({ client: ClientId, configPath }),
  disconnectClient: z.strictObject({ client: ClientId, configPath }),
  listBackups: z.strictObject({ client: ClientId, configPath }),
  restoreBackup: z.strictObject({ client: ClientId, backup: z.string().min(1).max(255), configPath }),

  getActivity: z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
  backupData: none,

  getSetup: none,
  getClaudeLogs: none,
  runChecks: z.strictObject({ startServers: z.boolean().default(true) }),
  setToolEnabled: z.strictObject({ server: ServerName, tool: ToolName, enabled: z.boolean() }),
  moveApp: none,
  getExtensions: none,
  buildExtensions: z.strictObject({ outDir: z.string().min(1).max(4096).optional(), release: z.boolean().default(false) }),
  installExtension: z.strictObject({ server: ServerName }),
  getExtensionFile: z.strictObject({ server: ServerName }),
} as const satisfies Record<MethodName, z.ZodType>;

// `satisfies` checks both ways: every listed name has a schema, and no schema is left unlisted.
export { METHOD_NAMES, type MethodName };
export type MethodArgs<K extends MethodName> = z.input<(typeof methodSchemas)[K]>;
export type ParsedArgs<K extends MethodName> = z.output<(typeof methodSchemas)[K]>;

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed' | 'crash-loop';

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  annotations?: Record<string, unknown>;
  /** The MCP Apps view (ui:// resource) that shows this tool's result, when it has one. */
  ui?: string;
}

export interface ServerStatus {
  name: ServerName;
  title: string;
  enabled: boolean;
  state: ServerState;
  /**
   * Grows with every change of this status (and never goes back, not even across a host restart).
   * Snapshots and events travel by different channels; the one with the larger `seq` is the newer.
   */
  seq: number;
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
  /** Servers this client runs through an installed extension (Claude Desktop's .mcpb) rather than config entries. */
  extensions: ServerName[];
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
  /** A spreadsheet's sheets, and the one read. */
  sheets?: string[];
  sheet?: string;
}

/** Sent while an import is written (or rolled back): after each short transaction, for the preview's token. */
export type ImportProgress = { token: string } & StoreImportProgress;

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
  /** Every tool of every server, with the person's switch. */
  tools: Record<ServerName, ToolSwitch[]>;
  install: InstallLocation;
}

export interface ToolSwitch {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
  /** Listed to AI apps right now. */
  on: boolean;
  /** Off because the server's switch for changing data is off (products: "Allow AI to change the catalog", allowWrites). */
  blockedBy: string | null;
}

/** What Claude Desktop's own logs say about one of our servers (see electron/core/claude/). */
export type ClaudeServerState = 'never' | 'starting' | 'ok' | 'stopped' | 'failing';
export interface ClaudeLogEntry {
  server: ServerName;
  /** How people see the server ("Product catalog"). */
  title: string;
  /** The config entry's name (mcp-tray-products). */
  entry: string;
  state: ClaudeServerState;
  lastStartAt: string | null;
  lastOkAt: string | null;
  /** An earlier error that a later successful start put behind: history, not a problem. */
  resolvedErrorAt: string | null;
  /** The current failure: Claude's line quoted exactly, what it means, what to do. */
  problem: { at: string; quote: string; file: string; context: string[]; meaning: string; next: string } | null;
}
export interface ClaudeLogReport {
  dir: string;
  /** Whether Claude Desktop's logs folder exists at all. */
  found: boolean;
  servers: ClaudeLogEntry[];
}

/** Where the app runs from, and whether that place survives a restart. */
export interface InstallLocation {
  /** The program client entries run. */
  command: string;
  /** Set when it is a temporary place (a disk image, App Translocation, an AppImage mount, a temp folder): why, in plain words. */
  temporary: string | null;
  /** The desktop app can move itself to Applications (macOS). */
  canMove: boolean;
}

/** One check of `mcp-tray doctor` (and the Apps page). */
export interface Check {
  id: string;
  ok: boolean;
  title: string;
  detail: string;
  /** The next step when it is not ok. */
  next: string | null;
}
export interface CheckReport {
  ok: boolean;
  checks: Check[];
}

export type StepState = 'done' | 'todo' | 'waiting' | 'problem';
export interface SetupStep {
  id: 'data' | 'connect' | 'restart' | 'try' | 'using';
  state: StepState;
  title: string;
  detail: string;
}
/** The Home page's checklist, from real signals: configs, activity and Claude's own logs. */
export interface SetupStatus {
  /** Every step that matters is done: Claude is connected, started our servers and nothing is failing. */
  ok: boolean;
  /** One line for the tray menu and the top of the Home page. */
  summary: string;
  steps: SetupStep[];
  claude: ClientStatus;
  claudeLogs: ClaudeLogReport;
  /** Claude Desktop's latest tool call through our servers. */
  lastCall: { server: string; tool: string; at: string } | null;
  /** Servers Claude Desktop has open right now (from the activity the servers record). */
  liveServers: string[];
  data: { products: number; cities: number; running: number; enabled: number };
  install: InstallLocation;
  /** Requests to paste into Claude, for the servers that are on. */
  examples: string[];
  /** How to quit and reopen Claude Desktop on this computer's OS. */
  restartHow: string;
  /** Set after MCP Tray put back entries Claude dropped, until Claude starts our servers again. */
  repaired: { client: string; at: string } | null;
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
  commitImport: { added: number; updated: number; unchanged: number; skipped: number; cancelled: boolean; importId: number };
  cancelImport: { cancelled: boolean };
  listImports: ImportRecord[];
  undoImport: ImportRecord;
  exportXlsx: { xlsx: string; rows: number };
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
  getCatalogLocation: CatalogLocation;
  testDatabase: DatabaseCheck;
  useDatabase: CatalogLocation;
  useLocalCatalog: CatalogLocation;

  listClients: ClientStatus[];
  connectClient: ConnectResult;
  disconnectClient: ConnectResult;
  listBackups: Backup[];
  restoreBackup: ConnectResult;

  getActivity: { connections: Connection[]; calls: ToolCallInfo[] };
  backupData: { folder: string; files: string[] };

  getSetup: SetupStatus;
  getClaudeLogs: ClaudeLogReport;
  runChecks: CheckReport;
  setToolEnabled: Settings;
  moveApp: { moved: boolean; message: string };
  getExtensions: ExtensionsState;
  buildExtensions: { dir: string; files: Array<{ server: ServerName; file: string; bytes: number }> };
  installExtension: { opened: boolean; file: string; message: string };
  getExtensionFile: { name: string; base64: string };
}

/** MCP Tray's servers as Claude Desktop extensions (.mcpb): the second route into Claude. */
export interface ExtensionsState {
  /** Where the bundles are built (extensions/ in the data folder). */
  dir: string;
  built: Array<{ server: ServerName; file: string; at: string; bytes: number }>;
  /** What Claude Desktop has installed (found best effort in its "Claude Extensions" folder). */
  installed: Array<{ server: ServerName; dir: string; version: string | null; enabled: boolean | null }>;
  claudeExtensionsDir: string;
  /** Servers with both routes at once (config entry and extension): Claude would show their tools twice. */
  conflicts: ServerName[];
  /** The desktop app can hand a bundle to Claude's installer (opens it with the OS). */
  canOpen: boolean;
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
  | ({ type: 'import-progress' } & ImportProgress)
  /** Copying the catalog to or from a shared database. */
  | { type: 'catalog-progress'; phase: 'backup' | 'copying'; done: number; total: number }
  | { type: 'settings'; settings: Settings }
  | { type: 'clients'; clients: ClientStatus[] }
  | { type: 'activity' }
  | { type: 'claude-logs'; report: ClaudeLogReport }
  | { type: 'repaired'; client: ClientId; message: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string };

/** An error the UI can show as it is. `code` lets it react (e.g. conflict → offer a refresh). */
export interface HostErrorBody {
  error: string;
  code: 'invalid' | 'not_found' | 'conflict' | 'unavailable' | 'parse_error' | 'internal' | 'unknown_method';
}
