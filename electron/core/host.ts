import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type * as z from 'zod';
import { ActivityReader, openActivityDb } from '../../servers/shared/activity.js';
import { friendlyClientName } from '../../servers/shared/clients.js';
import { dataFiles, ensureDataDir } from '../../servers/shared/datadir.js';
import { watchDataVersion, type Db } from '../../servers/shared/db.js';
import { formatZodError, type Settings } from '../../servers/shared/settings.js';
import { VERSION } from '../../servers/shared/version.js';
import { Connectors } from './clients/connectors.js';
import { clientDef, hostPlatform, type PlatformInfo } from './clients/registry.js';
import {
  METHOD_NAMES,
  SERVER_NAMES,
  SERVER_TITLES,
  methodSchemas,
  type HostApi,
  type HostEvent,
  type HostResults,
  type HostState,
  type MethodName,
  type ParsedArgs,
  type ServerName,
} from './contract.js';

type Handlers = { [K in MethodName]: (args: ParsedArgs<K>) => Promise<HostResults[K]> };
import { HostError } from './errors.js';
import { StoreError, busyError } from '../../servers/shared/errors.js';
import type { Runtime } from './runtime.js';
import { CatalogService } from './services/catalog.js';
import { WeatherDataService } from './services/weather.js';
import { backupDatabases } from './services/data-backup.js';
import { catalogLocation, testDatabase, useDatabase, useLocalCatalog, type LocationDeps } from './services/catalog-location.js';
import { SettingsStore } from './settings.js';
import { DEFAULT_POLICY, ManagedServer, type RestartPolicy } from './supervisor.js';
import { McpHttpEndpoint } from './loopback/mcp-endpoint.js';
import { ClaudeDesktop } from './claude-desktop.js';
import { runChecks } from './doctor.js';
import { setupStatus } from './setup.js';
import { extensionRoute } from './extensions/installed.js';
import { SERVERS } from '../../servers/registry.js';
import { toolSwitchInfo } from '../../servers/shared/definition.js';
import { toolIsOn, writeGate } from '../../servers/shared/settings-schema.js';
import type { SetupStatus, ToolSwitch } from './contract.js';

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
}

/**
 * The host core: everything the tray and the window do, in plain Node. One instance owns the data
 * directory's services, the server supervisor and the client connectors, and exposes them as the
 * typed HostApi plus a stream of HostEvents.
 */
export class Host extends EventEmitter<{ event: [HostEvent] }> {
  readonly dataDir: string;
  // The parts behind the API: every caller (IPC, HTTP, tray, CLI, tests) goes through `api`/`dispatch`.
  private readonly settings: SettingsStore;
  private readonly catalog: CatalogService;
  private readonly weather: WeatherDataService;
  private readonly connectors: Connectors;
  private readonly servers: Record<ServerName, ManagedServer>;
  readonly api: HostApi;
  private readonly handlers: Handlers;
  private readonly activityDb: Db;
  private readonly activity: ActivityReader;
  private readonly stopActivityWatch: () => void;
  private readonly mcpHttp: McpHttpEndpoint;
  private closed = false;
  private readonly notices: HostState['notices'] = [];
  private readonly platform: PlatformInfo;
  private readonly claude: ClaudeDesktop;

  private constructor(
    private readonly opts: HostOptions,
    dataDir: string,
    settings: SettingsStore,
    catalog: CatalogService,
  ) {
    super();
    this.dataDir = dataDir;
    const files = dataFiles(this.dataDir);
    this.settings = settings;
    this.catalog = catalog;
    this.weather = new WeatherDataService(files.weather);
    this.activityDb = openActivityDb(files.activity);
    this.activity = new ActivityReader(this.activityDb);
    const policy = opts.policy ?? DEFAULT_POLICY;
    this.servers = Object.fromEntries(
      SERVER_NAMES.map((name) => [
        name,
        new ManagedServer(name, opts.runtime, this.dataDir, files.logs, policy, () => this.settings.get().servers[name].enabled),
      ]),
    ) as Record<ServerName, ManagedServer>;
    this.platform = opts.platform ?? hostPlatform(os.homedir());
    this.connectors = new Connectors({
      runtime: opts.runtime,
      dataDir: this.dataDir,
      settings: this.settings,
      platform: this.platform,
      watchMs: opts.clientWatchMs,
      extensionRoute: (id) => (id === 'claude-desktop' ? extensionRoute(this.platform) : []),
    });
    this.claude = new ClaudeDesktop({
      dataDir: this.dataDir,
      runtime: opts.runtime,
      platform: this.platform,
      connectors: this.connectors,
    });
    this.mcpHttp = new McpHttpEndpoint({ dataDir: this.dataDir, settings: this.settings });

    const emit = (e: HostEvent) => this.emit('event', e);
    for (const s of Object.values(this.servers)) {
      s.on('status', (status) => emit({ type: 'server-status', status }));
      s.on('log', (line) => emit({ type: 'server-log', line }));
    }
    this.catalog.on('changed', () => emit({ type: 'data-changed', what: 'products' }));
    this.catalog.on('progress', (p) => emit({ type: 'import-progress', ...p }));
    this.weather.on('changed', () => emit({ type: 'data-changed', what: 'weather' }));
    this.settings.on('change', (settings) => emit({ type: 'settings', settings }));
    // Another process (the CLI, a second window on this data folder) changed settings.json: follow it.
    this.settings.on('external', (before, after) => {
      void this.followSettings(before, after).catch((err: Error) =>
        emit({ type: 'notice', level: 'error', message: `Could not apply changed settings: ${err.message}` }),
      );
    });
    this.connectors.on('clients', (clients) => emit({ type: 'clients', clients }));
    this.connectors.on('notice', (n) => emit({ type: 'notice', ...n }));
    this.connectors.on('repaired', (r) => {
      if (r.client === 'claude-desktop') this.claude.noteRepair(r.name, r.at);
      emit({ type: 'repaired', client: r.client, message: r.message });
    });
    this.claude.watchLogs(opts.claudeLogWatchMs ?? 2000, (report) => emit({ type: 'claude-logs', report }));
    this.stopActivityWatch = watchDataVersion(this.activityDb, 1000, () => emit({ type: 'activity' }));
    if (this.settings.problem) this.startupNotice({ level: 'warning', message: this.settings.problem });

    this.handlers = this.buildHandlers();
    // Every caller (IPC, HTTP, the tray, the CLI, tests) goes through dispatch: validated once, same errors.
    this.api = Object.fromEntries(METHOD_NAMES.map((name) => [name, (args?: unknown) => this.dispatch(name, args)])) as unknown as HostApi;
  }

  static async create(opts: HostOptions): Promise<Host> {
    const dataDir = ensureDataDir(opts.dataDir, { fixModes: true });
    const settings = new SettingsStore(dataDir, { watchMs: opts.settingsWatchMs ?? 1000 });
    let catalog: CatalogService;
    try {
      catalog = await CatalogService.open(dataFiles(dataDir), settings.get());
    } catch (err) {
      settings.close();
      throw err;
    }
    const host = new Host(opts, dataDir, settings, catalog);
    host.connectors.refreshWatches();
    if (opts.autostart !== false) {
      await Promise.all(SERVER_NAMES.filter((n) => host.settings.get().servers[n].enabled).map((n) => host.servers[n].start()));
    }
    if (host.settings.get().http.enabled)
      await host.mcpHttp
        .start()
        .catch((err: Error) => host.emit('event', { type: 'notice', level: 'error', message: `MCP HTTP endpoint: ${err.message}` }));
    return host;
  }

  /** A problem found while starting: kept in the state (a window may open later) and announced. */
  startupNotice(notice: HostState['notices'][number]): void {
    this.notices.push(notice);
    this.emit('event', { type: 'notice', ...notice });
  }

  state(): HostState {
    return {
      version: VERSION,
      dataDir: this.dataDir,
      shell: this.opts.runtime.shell,
      servers: SERVER_NAMES.map((n) => this.servers[n].status()),
      settings: this.settings.get(),
      http: this.mcpHttp.info(),
      notices: [...this.notices],
      tools: this.toolSwitches(),
      install: this.claude.install(),
    };
  }

  /** Every tool of every server with its switch, from the server definitions. */
  private toolSwitches(): Record<ServerName, ToolSwitch[]> {
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

  private async setup(): Promise<SetupStatus> {
    const claude = this.connectors.status('claude-desktop');
    const claudeLogs = this.claude.logReport();
    const isClaude = (name: string | null) => friendlyClientName(name ?? undefined) === 'Claude Desktop';
    const live = [
      ...new Set(
        this.activity
          .liveConnections()
          .filter((c) => isClaude(c.clientName))
          .map((c) => c.server),
      ),
    ];
    const call = this.activity.recentCalls(200).find((c) => isClaude(c.clientName));
    const cities = this.weather.list();
    const tools = this.toolSwitches();
    return setupStatus({
      servers: SERVER_NAMES.map((n) => this.servers[n].status()),
      claude,
      claudeLogs,
      writtenAt: this.connectors.writtenAt('claude-desktop'),
      liveServers: live,
      lastCall: call ? { server: call.server, tool: call.tool, at: call.at } : null,
      ...(await this.catalogSize()),
      cities: { count: cities.length, firstName: cities[0]?.name ?? null },
      install: this.claude.install(),
      toolOn: (server, tool) => tools[server].find((t) => t.name === tool)?.on ?? false,
      toolsOff: SERVER_NAMES.flatMap((n) => tools[n].filter((t) => !t.on).map((t) => `${n}.${t.name}`)),
      repaired: this.claude.repaired(claudeLogs),
      platform: this.platform.platform,
      now: Date.now(),
    });
  }

  /** How many products there are, or (a shared database that is away) why that cannot be said now. */
  private async catalogSize(): Promise<{ products: number; catalogProblem: string | null }> {
    try {
      return { products: (await this.catalog.list({ offset: 0, limit: 1 })).total, catalogProblem: null };
    } catch (err) {
      if (err instanceof StoreError && err.code === 'unavailable') return { products: 0, catalogProblem: err.message };
      throw err;
    }
  }

  private async setServerEnabled(name: ServerName, enabled: boolean) {
    await this.settings.update({ servers: { [name]: { enabled } } });
    if (enabled) await this.servers[name].start();
    else await this.servers[name].stop();
    // Connected clients follow: a server switched off leaves their configs too.
    await this.connectors.sync();
    await this.mcpHttp.refresh();
    return this.servers[name].status();
  }

  /** What the doctor looks at when the catalog is a shared database. */
  private sharedCatalogCheck() {
    if (this.catalog.store.engine !== 'postgres') return undefined;
    const { where, searchIndexed } = catalogLocation(this.locationDeps());
    return { where, searchIndexed: searchIndexed !== false, probe: () => this.catalog.store.count() };
  }

  private locationDeps(): LocationDeps {
    return {
      dataDir: this.dataDir,
      files: dataFiles(this.dataDir),
      settings: this.settings,
      catalog: this.catalog,
      onProgress: (p) => this.emit('event', { type: 'catalog-progress', ...p }),
    };
  }

  /** Brings the running parts in line with changed settings, whoever changed them. */
  private async followSettings(before: Settings, after: Settings): Promise<void> {
    // The CLI moved the catalog while the window is open: follow it (the servers follow on their own).
    await this.catalog.source.follow(after);
    for (const n of SERVER_NAMES) {
      if (before.servers[n].enabled !== after.servers[n].enabled) await this.setServerEnabled(n, after.servers[n].enabled);
    }
    if (before.http.enabled !== after.http.enabled || before.http.port !== after.http.port) await this.mcpHttp.applySettings();
    if (JSON.stringify(before.clients) !== JSON.stringify(after.clients)) {
      this.connectors.refreshWatches();
      this.emit('event', { type: 'clients', clients: this.connectors.list() });
    }
  }

  /** The methods themselves, given arguments dispatch has already validated. */
  private buildHandlers(): Handlers {
    const files = dataFiles(this.dataDir);
    const ownPids = () => new Set(SERVER_NAMES.map((n) => this.servers[n].status().pid).filter((p): p is number => p !== null));
    return {
      getState: async () => this.state(),
      setServerEnabled: async ({ server, enabled }) => this.setServerEnabled(server, enabled),
      restartServer: async ({ server }) => {
        await this.servers[server].restart();
        return this.servers[server].status();
      },
      getLogs: async ({ server, limit }) => this.servers[server].log.lines(limit),
      callTool: async ({ server, tool, args }) => this.servers[server].callTool(tool, args),

      listProducts: async (q) => this.catalog.list(q),
      createProduct: async (input) => this.catalog.create(input),
      updateProduct: async ({ id, patch, expectedUpdatedAt }) => this.catalog.update(id, patch, expectedUpdatedAt),
      deleteProduct: async ({ id }) => this.catalog.remove(id),
      listCategories: async () => this.catalog.categories(),
      previewImport: async (input) => this.catalog.previewImport(input),
      // A whole file of changes at once: a copy of the catalog as it was is kept first.
      commitImport: async ({ token, skipInvalid }) =>
        this.catalog.commitImport(token, skipInvalid, (onProgress) =>
          backupDatabases(this.dataDir, { products: this.catalog.db }, 'before-import', onProgress),
        ),
      cancelImport: async ({ token }) => this.catalog.cancelImport(token),
      listImports: async () => this.catalog.imports(),
      undoImport: async ({ id }) => this.catalog.undoImport(id),
      exportXlsx: async (filters) => this.catalog.exportXlsx(filters),
      exportCsv: async (filters) => this.catalog.exportCsv(filters),
      listChanges: async (opts) => this.catalog.changes(opts),
      undoChange: async ({ id }) => this.catalog.undo(id),

      listCities: async () => this.weather.list(),
      addCity: async (input) => this.weather.add(input),
      updateCity: async ({ id, patch }) => this.weather.update(id, patch),
      deleteCity: async ({ id }) => this.weather.remove(id),
      setForecast: async ({ id, days }) => this.weather.setForecast(id, days),

      getSettings: async () => this.settings.get(),
      updateSettings: async (patch) => {
        const before = this.settings.get();
        const after = await this.settings.update(patch);
        await this.followSettings(before, after);
        return this.settings.get();
      },

      getCatalogLocation: async () => catalogLocation(this.locationDeps()),
      testDatabase: async ({ url, password }) => testDatabase(url, password, files),
      useDatabase: async ({ url, password, copy }) => useDatabase(this.locationDeps(), url, password, copy),
      useLocalCatalog: async ({ copy }) => useLocalCatalog(this.locationDeps(), copy),

      listClients: async () => this.connectors.list(),
      connectClient: async ({ client, configPath }) => this.connectors.connect(client, configPath),
      disconnectClient: async ({ client, configPath }) => this.connectors.disconnect(client, configPath),
      listBackups: async ({ client }) => this.connectors.backups(client),
      restoreBackup: async ({ client, backup, configPath }) => this.connectors.restore(client, backup, configPath),

      backupData: async () => backupDatabases(this.dataDir, { products: this.catalog.db, weather: this.weather.db }, 'manual'),

      getSetup: async () => this.setup(),
      getClaudeLogs: async () => this.claude.logReport(),
      runChecks: async ({ startServers }) => {
        const tools = this.toolSwitches();
        const claudeDef = clientDef('claude-desktop');
        return runChecks({
          dataDir: this.dataDir,
          settings: this.settings.get(),
          databases: [
            ...(this.catalog.db ? [{ file: files.products, db: this.catalog.db }] : []),
            { file: files.weather, db: this.weather.db },
            { file: files.activity, db: this.activityDb },
          ],
          sharedCatalog: this.sharedCatalogCheck(),
          clients: this.connectors.list(),
          claudeLogs: this.claude.logReport(),
          install: this.claude.install(),
          entryFor: (server) => this.connectors.entryFor(claudeDef, server),
          startServers,
          tools,
          routes: this.claude.routes(),
        });
      },
      setToolEnabled: async ({ server, tool, enabled }) => {
        const known = this.toolSwitches()[server].find((t) => t.name === tool);
        if (!known) throw new HostError(`${SERVER_TITLES[server]} has no tool named ${tool}`, 'not_found');
        const before = this.settings.get();
        // Read-merge-write under the settings lock: a switch flipped in another window is kept.
        const after = await this.settings.mutate((s) => {
          const off = s.servers[server].disabledTools.filter((t) => t !== tool);
          return { servers: { [server]: { disabledTools: enabled ? off : [...off, tool] } } };
        });
        await this.followSettings(before, after);
        return after;
      },
      getExtensions: async () => this.claude.extensions(),
      buildExtensions: async ({ outDir, release }) => {
        const dir = outDir ? path.resolve(outDir) : this.claude.extensionsDir();
        const built = await this.claude.buildBundles(undefined, dir, release);
        return { dir, files: built.map((b) => ({ server: b.server, file: b.file, bytes: b.bytes })) };
      },
      installExtension: async ({ server }) => {
        // Built fresh each time: it carries this install's paths, which may have moved since.
        const [built] = await this.claude.buildBundles([server]);
        const file = built!.file;
        if (!this.opts.runtime.openPath)
          return { opened: false, file, message: `Built ${path.basename(file)}: open it to install it in Claude Desktop.` };
        const error = await this.opts.runtime.openPath(file);
        if (error)
          throw new HostError(
            `Could not open ${path.basename(file)} (${error}). Double-click it in ${path.dirname(file)} instead.`,
            'internal',
          );
        return {
          opened: true,
          file,
          message: `${path.basename(file)} went to Claude Desktop: click Install in the window Claude opens.`,
        };
      },
      getExtensionFile: async ({ server }) => {
        const [built] = await this.claude.buildBundles([server]);
        return { name: path.basename(built!.file), base64: fs.readFileSync(built!.file).toString('base64') };
      },
      moveApp: async () => {
        if (!this.opts.runtime.relocate) throw new HostError('Only the desktop app on macOS can move itself to Applications.', 'conflict');
        return this.opts.runtime.relocate();
      },
      getActivity: async ({ limit }) => {
        const own = ownPids();
        return {
          connections: this.activity.liveConnections().map((c) => ({
            instanceId: c.instanceId,
            server: c.server,
            client: friendlyClientName(c.clientName ?? undefined),
            clientVersion: c.clientVersion,
            pid: c.pid,
            startedAt: c.startedAt,
            lastActive: c.lastActive,
            ownInstance: own.has(c.pid),
          })),
          calls: this.activity.recentCalls(limit ?? 50).map((c) => ({
            id: c.id,
            server: c.server,
            client: friendlyClientName(c.clientName ?? undefined),
            tool: c.tool,
            at: c.at,
            durationMs: c.durationMs,
            ok: c.ok,
            error: c.error,
          })),
        };
      },
    };
  }

  /**
   * The boundary every shell calls through (IPC and HTTP): checks the method name and validates
   * the arguments before anything runs. Errors come back as HostError with a code.
   */
  async dispatch(method: string, rawArgs: unknown): Promise<unknown> {
    if (this.closed) throw new HostError('MCP Tray is shutting down', 'conflict');
    if (!(METHOD_NAMES as readonly string[]).includes(method)) throw new HostError(`Unknown method: ${method}`, 'unknown_method');
    const name = method as MethodName;
    const parsed = (methodSchemas[name] as z.ZodType).safeParse(rawArgs ?? {});
    if (!parsed.success) throw new HostError(formatZodError(parsed.error), 'invalid');
    const fn = this.handlers[name] as (args: unknown) => Promise<unknown>;
    try {
      return await fn(parsed.data);
    } catch (err) {
      if (err instanceof HostError) throw err;
      const store = err instanceof StoreError ? err : busyError(err); // "database is locked" in plain words
      if (store) throw new HostError(store.message, store.code); // the one mapping of store failures
      throw new HostError(`Something went wrong: ${(err as Error).message}`, 'internal');
    }
  }

  /** Stops every server (awaited) and closes every file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connectors.close();
    this.claude.close();
    this.settings.close();
    await Promise.all(Object.values(this.servers).map((s) => s.dispose()));
    await this.mcpHttp.stop();
    this.stopActivityWatch();
    await this.catalog.close();
    this.weather.close();
    this.activityDb.close();
  }
}
