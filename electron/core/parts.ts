/**
 * The host's parts, composed once per data folder and opened when first asked for: the window
 * opens them all at start (Host.create), a CLI command only what its methods touch (`connect`
 * writes a client's config without opening the catalog, the cities or the activity log). Each part
 * forwards its events as HostEvents when it opens. The API's areas (api/*.ts) work through these.
 */
import os from 'node:os';
import { ActivityReader, openActivityDb } from '../../servers/shared/activity.js';
import { dataFiles, type DataFiles } from '../../servers/shared/datadir.js';
import { watchDataVersion, type Db } from '../../servers/shared/db.js';
import { toolSwitchInfo } from '../../servers/shared/definition.js';
import { toolIsOn, writeGate } from '../../servers/shared/settings-schema.js';
import type { Settings } from '../../servers/shared/settings.js';
import { SERVERS, SERVER_NAMES, SERVER_TITLES, type ServerName } from '../../servers/registry.js';
import { ClaudeDesktop } from './claude-desktop.js';
import { Connectors } from './clients/connectors.js';
import { extensionRoute } from './extensions/installed.js';
import { hostPlatform, type PlatformInfo } from './clients/registry.js';
import type { HostEvent, HostState, ServerStatus, ToolSwitch } from './contract.js';
import { McpHttpEndpoint } from './loopback/mcp-endpoint.js';
import type { Runtime } from './runtime.js';
import { CatalogService } from './services/catalog.js';
import { WeatherDataService } from './services/weather.js';
import type { SettingsStore } from './settings.js';
import { DEFAULT_POLICY, ManagedServer, type RestartPolicy } from './supervisor.js';
import { VERSION } from '../../servers/shared/version.js';

export interface HostOptions {
  dataDir: string;
  runtime: Runtime;
  platform?: PlatformInfo;
  policy?: RestartPolicy;
  /** How often connected client configs are checked (ms); 0 turns it off. */
  clientWatchMs?: number;
  /** Start the enabled servers right away (default true). */
  autostart?: boolean;
  /** How often settings.json is checked for changes made by other processes (ms); 0 turns it off. */
  settingsWatchMs?: number;
  /** How often Claude Desktop's logs are looked at (ms); 0 turns it off. */
  claudeLogWatchMs?: number;
  /** Open each part when a method first needs it (the CLI), instead of all at start (the window). */
  onDemand?: boolean;
}

type Emit = (e: HostEvent) => void;

export class HostParts {
  readonly files: DataFiles;
  readonly platform: PlatformInfo;
  /** Problems found while starting (a damaged settings file, …): shown whenever a window opens. */
  readonly notices: HostState['notices'] = [];
  private opened: {
    catalog?: Promise<CatalogService>;
    weather?: WeatherDataService;
    activity?: { db: Db; reader: ActivityReader; stopWatch: () => void };
    connectors?: Connectors;
    claude?: ClaudeDesktop;
    servers?: Record<ServerName, ManagedServer>;
    mcpHttp?: McpHttpEndpoint;
  } = {};

  constructor(
    readonly opts: HostOptions,
    readonly dataDir: string,
    readonly settings: SettingsStore,
    readonly emit: Emit,
  ) {
    this.files = dataFiles(dataDir);
    this.platform = opts.platform ?? hostPlatform(os.homedir());
  }

  get runtime(): Runtime {
    return this.opts.runtime;
  }

  /** The catalog (the SQLite file, or the team's shared database the settings name). */
  catalog(): Promise<CatalogService> {
    this.opened.catalog ??= CatalogService.open(this.files, this.settings.get()).then((catalog) => {
      catalog.on('changed', () => this.emit({ type: 'data-changed', what: 'products' }));
      catalog.on('progress', (p) => this.emit({ type: 'import-progress', ...p }));
      return catalog;
    });
    return this.opened.catalog;
  }

  weather(): WeatherDataService {
    if (!this.opened.weather) {
      this.opened.weather = new WeatherDataService(this.files.weather);
      this.opened.weather.on('changed', () => this.emit({ type: 'data-changed', what: 'weather' }));
    }
    return this.opened.weather;
  }

  /** What AI apps did through our servers (recorded by the servers themselves). */
  activity(): { db: Db; reader: ActivityReader } {
    if (!this.opened.activity) {
      const db = openActivityDb(this.files.activity);
      const stopWatch = watchDataVersion(db, 1000, () => this.emit({ type: 'activity' }));
      this.opened.activity = { db, reader: new ActivityReader(db), stopWatch };
    }
    return this.opened.activity;
  }

  connectors(): Connectors {
    if (!this.opened.connectors) {
      const connectors = new Connectors({
        runtime: this.runtime,
        dataDir: this.dataDir,
        settings: this.settings,
        platform: this.platform,
        watchMs: this.opts.clientWatchMs,
        extensionRoute: (id) => (id === 'claude-desktop' ? extensionRoute(this.platform) : []),
      });
      connectors.on('clients', (clients) => this.emit({ type: 'clients', clients }));
      connectors.on('notice', (n) => this.emit({ type: 'notice', ...n }));
      connectors.on('repaired', (r) => {
        if (r.client === 'claude-desktop') this.opened.claude?.noteRepair(r.name, r.at);
        this.emit({ type: 'repaired', client: r.client, message: r.message });
      });
      this.opened.connectors = connectors;
    }
    return this.opened.connectors;
  }

  claude(): ClaudeDesktop {
    if (!this.opened.claude) {
      this.opened.claude = new ClaudeDesktop({
        dataDir: this.dataDir,
        runtime: this.runtime,
        platform: this.platform,
        connectors: this.connectors(),
      });
      this.opened.claude.watchLogs(this.opts.claudeLogWatchMs ?? 2000, (report) => this.emit({ type: 'claude-logs', report }));
      this.opened.claude.watchRoutes(
        this.opts.clientWatchMs ?? 2000,
        (servers) => {
          const titles = servers.map((s) => SERVER_TITLES[s]).join(' and ');
          this.emit({
            type: 'notice',
            level: 'info',
            message: `${titles} now ${servers.length === 1 ? 'runs' : 'run'} as a Claude extension, so MCP Tray removed ${servers.length === 1 ? 'its entry' : 'their entries'} from Claude Desktop's settings file (a backup was kept).`,
          });
          this.emit({ type: 'clients', clients: this.connectors().list() });
        },
        (err) =>
          this.emit({
            type: 'notice',
            level: 'error',
            message: `Could not finish switching Claude Desktop to the extension: ${err.message}`,
          }),
      );
    }
    return this.opened.claude;
  }

  /** Each server's supervisor (its child process starts only when asked). */
  servers(): Record<ServerName, ManagedServer> {
    if (!this.opened.servers) {
      const policy = this.opts.policy ?? DEFAULT_POLICY;
      const servers = Object.fromEntries(
        SERVER_NAMES.map((name) => [
          name,
          new ManagedServer(name, this.runtime, this.dataDir, this.files.logs, policy, () => this.settings.get().servers[name].enabled),
        ]),
      ) as Record<ServerName, ManagedServer>;
      for (const s of Object.values(servers)) {
        s.on('status', (status) => this.emit({ type: 'server-status', status }));
        s.on('log', (line) => this.emit({ type: 'server-log', line }));
      }
      this.opened.servers = servers;
    }
    return this.opened.servers;
  }

  mcpHttp(): McpHttpEndpoint {
    this.opened.mcpHttp ??= new McpHttpEndpoint({ dataDir: this.dataDir, settings: this.settings });
    return this.opened.mcpHttp;
  }

  statuses(): ServerStatus[] {
    const servers = this.servers();
    return SERVER_NAMES.map((n) => servers[n].status());
  }

  state(): HostState {
    return {
      version: VERSION,
      dataDir: this.dataDir,
      shell: this.runtime.shell,
      servers: this.statuses(),
      settings: this.settings.get(),
      http: this.mcpHttp().info(),
      notices: [...this.notices],
      tools: this.toolSwitches(),
      install: this.claude().install(),
    };
  }

  /** Every tool of every server with its switch, from the server definitions. */
  toolSwitches(): Record<ServerName, ToolSwitch[]> {
    const s = this.settings.get();
    return Object.fromEntries(
      SERVER_NAMES.map((n) => {
        const gate = writeGate(n);
        const gateOff = gate !== undefined && (s.servers[n] as Record<string, unknown>)[gate] === false;
        return [
          n,
          toolSwitchInfo(SERVERS[n]).map((t) => ({
            ...t,
            on: toolIsOn(s, n, t.name, t.readOnly),
            blockedBy: !t.readOnly && gateOff ? gate : null,
          })),
        ];
      }),
    ) as Record<ServerName, ToolSwitch[]>;
  }

  async setServerEnabled(name: ServerName, enabled: boolean): Promise<ServerStatus> {
    await this.settings.update({ servers: { [name]: { enabled } } });
    const server = this.servers()[name];
    if (enabled) await server.start();
    else await server.stop();
    // Connected clients follow: a server switched off leaves their configs too.
    await this.connectors().sync();
    await this.mcpHttp().refresh();
    return server.status();
  }

  /** Brings the running parts in line with changed settings, whoever changed them. */
  async followSettings(before: Settings, after: Settings): Promise<void> {
    // The CLI moved the catalog while the window is open: follow it (the servers follow on their own).
    if (this.opened.catalog) await (await this.opened.catalog).source.follow(after);
    for (const n of SERVER_NAMES) {
      if (before.servers[n].enabled !== after.servers[n].enabled) await this.setServerEnabled(n, after.servers[n].enabled);
    }
    if (before.http.enabled !== after.http.enabled || before.http.port !== after.http.port) await this.mcpHttp().applySettings();
    if (JSON.stringify(before.clients) !== JSON.stringify(after.clients) && this.opened.connectors) {
      this.opened.connectors.refreshWatches();
      this.emit({ type: 'clients', clients: this.opened.connectors.list() });
    }
  }

  /** Stops every server (awaited) and closes whatever was opened. */
  async close(): Promise<void> {
    const o = this.opened;
    o.connectors?.close();
    o.claude?.close();
    if (o.servers) await Promise.all(Object.values(o.servers).map((s) => s.dispose()));
    await o.mcpHttp?.stop();
    if (o.activity) {
      o.activity.stopWatch();
      o.activity.db.close();
    }
    if (o.catalog) await (await o.catalog.catch(() => undefined))?.close();
    o.weather?.close();
  }
}
