/**
 * The host core: everything the tray and the window do, in plain Node. One instance owns a data
 * folder's parts (parts.ts) and exposes the API's areas (api/*.ts) as the typed HostApi, every call
 * validated at one boundary (dispatch), plus a stream of HostEvents.
 */
import { EventEmitter } from 'node:events';
import type * as z from 'zod';
import { ensureDataDir } from '../../servers/shared/datadir.js';
import { StoreError, busyError } from '../../servers/shared/errors.js';
import { formatZodError } from '../../servers/shared/settings.js';
import { SERVER_NAMES } from '../../servers/registry.js';
import * as app from './handlers/app.js';
import * as catalog from './handlers/catalog.js';
import * as claude from './handlers/claude.js';
import * as clients from './handlers/clients.js';
import * as servers from './handlers/servers.js';
import * as weather from './handlers/weather.js';
import {
  METHOD_NAMES,
  methodSchemas,
  type HostApi,
  type HostEvent,
  type HostResults,
  type HostState,
  type MethodName,
  type ParsedArgs,
} from './contract.js';
import { HostError } from './errors.js';
import { HostParts, type HostOptions } from './parts.js';
import { SettingsStore } from './settings.js';

export type { HostOptions };

type Handlers = { [K in MethodName]: (args: ParsedArgs<K>) => Promise<HostResults[K]> };

export class Host extends EventEmitter<{ event: [HostEvent] }> {
  readonly api: HostApi;
  private readonly handlers: Handlers;
  private closed = false;

  private readonly parts: HostParts;

  private constructor(opts: HostOptions, dataDir: string, settings: SettingsStore) {
    super();
    const parts = new HostParts(opts, dataDir, settings, (e) => this.emit('event', e));
    this.parts = parts;
    this.handlers = {
      ...app.handlers(parts),
      ...servers.handlers(parts),
      ...catalog.handlers(parts),
      ...weather.handlers(parts),
      ...clients.handlers(parts),
      ...claude.handlers(parts),
    };
    // Every caller (IPC, HTTP, the tray, the CLI, tests) goes through dispatch: validated once, same errors.
    this.api = Object.fromEntries(METHOD_NAMES.map((name) => [name, (args?: unknown) => this.dispatch(name, args)])) as unknown as HostApi;
  }

  /**
   * The host for a data folder. The window's opens every part at once and starts the enabled
   * servers; with `onDemand` (the CLI) each part opens when a method first needs it.
   */
  static async create(opts: HostOptions): Promise<Host> {
    const dataDir = ensureDataDir(opts.dataDir, { fixModes: true });
    const settings = new SettingsStore(dataDir, { watchMs: opts.settingsWatchMs ?? 1000 });
    const host = new Host(opts, dataDir, settings);
    const parts = host.parts;
    settings.on('change', (s) => parts.emit({ type: 'settings', settings: s }));
    // Another process (the CLI, a second window on this data folder) changed settings.json: follow it.
    settings.on('external', (before, after) => {
      void parts
        .followSettings(before, after)
        .catch((err: Error) => parts.emit({ type: 'notice', level: 'error', message: `Could not apply changed settings: ${err.message}` }));
    });
    if (settings.problem) host.startupNotice({ level: 'warning', message: settings.problem });
    if (opts.onDemand) return host;
    try {
      await parts.catalog();
    } catch (err) {
      await parts.close();
      settings.close();
      throw err;
    }
    parts.weather();
    parts.activity();
    parts.connectors().refreshWatches();
    parts.claude();
    parts.servers();
    if (opts.autostart !== false) {
      const all = parts.servers();
      await Promise.all(SERVER_NAMES.filter((n) => settings.get().servers[n].enabled).map((n) => all[n].start()));
    }
    if (settings.get().http.enabled)
      await parts
        .mcpHttp()
        .start()
        .catch((err: Error) => parts.emit({ type: 'notice', level: 'error', message: `MCP HTTP endpoint: ${err.message}` }));
    return host;
  }

  get dataDir(): string {
    return this.parts.dataDir;
  }

  /** A problem found while starting: kept in the state (a window may open later) and announced. */
  startupNotice(notice: HostState['notices'][number]): void {
    this.parts.notices.push(notice);
    this.emit('event', { type: 'notice', ...notice });
  }

  state(): HostState {
    return this.parts.state();
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
    await this.parts.close();
    this.parts.settings.close();
  }
}
