/**
 * The one contract between the UI and the host core, assembled from the API's areas (api/*.ts:
 * app, servers, catalog, weather, clients, Claude), each of which owns its methods' schemas and
 * result types. The renderer imports types from here only; the host validates every call's
 * arguments with these schemas at its boundary (IPC and HTTP alike).
 */
import type * as z from 'zod';
import * as app from './api/app.js';
import * as catalog from './api/catalog.js';
import * as claude from './api/claude.js';
import * as clients from './api/clients.js';
import * as servers from './api/servers.js';
import * as weather from './api/weather.js';
import { METHOD_NAMES, type MethodName } from './methods.js';
import type { ClientId } from './api/common.js';
import type { Settings } from './api/app.js';
import type { ImportProgress } from './api/catalog.js';
import type { ClaudeLogReport } from './api/claude.js';
import type { ClientStatus } from './api/clients.js';
import type { ServerStatus, LogLine } from './api/servers.js';

export { CLIENT_IDS, ClientId, SERVER_NAMES, SERVER_TITLES, ServerName } from './api/common.js';
export type { HostState, Settings, SettingsPatch } from './api/app.js';
export type {
  CatalogLocation,
  ChangeRecord,
  DatabaseCheck,
  FieldDef,
  RemovedField,
  ImportPreview,
  ImportProgress,
  ImportRecord,
  ImportRowError,
  Product,
  SortField,
} from './api/catalog.js';
export type {
  Check,
  CheckReport,
  ClaudeLogEntry,
  ClaudeLogReport,
  ClaudeServerState,
  ExtensionsState,
  InstallLocation,
  SetupStatus,
  SetupStep,
  StepState,
} from './api/claude.js';
export type { Backup, ClientState, ClientStatus, ConnectResult } from './api/clients.js';
export type { Connection, LogLine, ServerState, ServerStatus, ToolCallInfo, ToolInfo, ToolSwitch } from './api/servers.js';
export type { City, CityWithForecast, ForecastDay, LiveStatus, LiveWeather } from './api/weather.js';
export { ProductListQuery } from './api/catalog.js';

/** Every host method: its argument schema. */
export const methodSchemas = {
  ...app.schemas,
  ...servers.schemas,
  ...catalog.schemas,
  ...weather.schemas,
  ...clients.schemas,
  ...claude.schemas,
} as const satisfies Record<MethodName, z.ZodType>;

// Both ways: every listed name has a schema (satisfies), and no schema is left unlisted.
type Unlisted = Exclude<keyof typeof methodSchemas, MethodName>;
const everySchemaListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everySchemaListed;

export { METHOD_NAMES, type MethodName };
export type MethodArgs<K extends MethodName> = z.input<(typeof methodSchemas)[K]>;
export type ParsedArgs<K extends MethodName> = z.output<(typeof methodSchemas)[K]>;

export type HostResults = app.Results & servers.Results & catalog.Results & weather.Results & clients.Results & claude.Results;

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
