import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { Backup, ClientId, ClientStatus, ConnectResult, ServerName } from '../contract.js';
import { SERVER_NAMES } from '../../../servers/registry.js';
import { CLIENT_IDS } from '../api/common.js';
import type { Runtime } from '../runtime.js';
import type { SettingsStore } from '../settings.js';
import {
  ConfigParseError,
  inspectConfig,
  listBackups,
  makeBackup,
  parseConfigBytes,
  restoreBackup,
  updateConfig,
  writeAtomic,
  type ConfigView,
} from './config-file.js';
import type { BackupKind } from './config-backups.js';
import { fixedText, problemOf, type ConfigProblem } from './config-fix.js';
import { HostError } from '../errors.js';
import { dataFiles } from '../../../servers/shared/datadir.js';
import { clientDef, configFormat, entryName, type ClientDef, type Launch, type PlatformInfo } from './registry.js';

type Entry = Record<string, unknown>;

interface Events {
  clients: [ClientStatus[]];
  notice: [{ level: 'info' | 'warning' | 'error'; message: string }];
  /** Entries a client dropped were put back: the client must be restarted to see them. */
  repaired: [{ client: ClientId; name: string; at: string; message: string }];
}

/** Automatic repairs: at most MAX_REPAIRS within REPAIR_WINDOW_MS, each after a wait that doubles from REPAIR_BACKOFF_MS. */
const MAX_REPAIRS = 3;
const REPAIR_WINDOW_MS = 10 * 60_000;
const REPAIR_BACKOFF_MS = 5_000;

const BACKUP_LABELS: Record<BackupKind | 'change', string> = {
  connect: 'Before Connect',
  disconnect: 'Before Disconnect',
  repair: 'Before an automatic repair',
  restore: 'Before restoring a backup',
  fix: 'Before Fix it',
  change: 'Before a change',
};

/** What putting a backup back would change in the file as it is now, in words: entries put back, removed or changed. */
function whatRestoreDoes(now: ConfigView | null, nowBytes: Buffer | null, then: ConfigView, thenBytes: Buffer): string {
  if (nowBytes && nowBytes.equals(thenBytes)) return 'changes nothing (the same as the file now)';
  if (!now) return 'makes the file read again';
  const parts: string[] = [];
  const back = then.names.filter((n) => !now.names.includes(n));
  const gone = now.names.filter((n) => !then.names.includes(n));
  const changed = Object.keys(then.ours).filter((n) => n in now.ours && canonical(then.ours[n]) !== canonical(now.ours[n]));
  if (back.length) parts.push(`puts back ${back.join(', ')}`);
  if (gone.length) parts.push(`removes ${gone.join(', ')}`);
  if (changed.length) parts.push(`changes ${changed.join(', ')}`);
  return parts.length ? parts.join('; ') : 'puts other settings back as they were (the same servers)';
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );

/**
 * The one click: writes MCP Tray's entries into each client's config and tells the state of each.
 * Only entries named mcp-tray-* are ever touched; everything else in the file is kept as it is.
 */
export class Connectors extends EventEmitter<Events> {
  private watched = new Map<string, () => void>();
  private repairing = false;
  /** Automatic repairs per client: when they happened (the last few), and whether they are paused. */
  private readonly repairs = new Map<ClientId, { at: number[]; paused: boolean; retry?: NodeJS.Timeout }>();
  private readonly written = new Map<ClientId, string>();

  constructor(
    private readonly opts: {
      runtime: Runtime;
      dataDir: string;
      settings: SettingsStore;
      platform: PlatformInfo;
      /** Watch interval for connected configs (ms); 0 turns watching off. */
      watchMs?: number;
      /** The wait before a second automatic repair (doubling after); REPAIR_BACKOFF_MS unless told. */
      repairBackoffMs?: number;
      /** Servers a client runs through an installed extension instead (Claude Desktop's .mcpb): no config entries for those. */
      extensionRoute?: (id: ClientId) => ServerName[];
    },
  ) {
    super();
  }

  private backupDir(id: ClientId) {
    return path.join(dataFiles(this.opts.dataDir).backups, id);
  }

  configPath(id: ClientId, override?: string): string {
    return override ? path.resolve(override) : clientDef(id).configPath(this.opts.platform);
  }

  private enabledServers(): ServerName[] {
    const s = this.opts.settings.get().servers;
    return SERVER_NAMES.filter((n) => s[n].enabled);
  }

  /** What runs a server with the app's own runtime: absolute paths, nothing from PATH. */
  launchFor(server: ServerName): Launch {
    const { runtime, dataDir } = this.opts;
    return {
      command: runtime.command,
      args: [runtime.serverScript(server), '--data-dir', dataDir],
      ...(Object.keys(runtime.env).length ? { env: { ...runtime.env } } : {}),
    };
  }

  /** The entry that runs a server, in the app's own shape. */
  entryFor(def: ClientDef, server: ServerName): Entry {
    return def.entry(this.launchFor(server), entryName(server));
  }

  private viaExtension(id: ClientId): ServerName[] {
    return this.opts.extensionRoute?.(id) ?? [];
  }

  expected(def: ClientDef): Record<string, Entry> {
    const ext = this.viaExtension(def.id);
    return Object.fromEntries(
      this.enabledServers()
        .filter((s) => !ext.includes(s))
        .map((s) => [entryName(s), this.entryFor(def, s)]),
    );
  }

  private isConnected(id: ClientId) {
    return this.opts.settings.get().clients.connected.includes(id);
  }

  /** The state of one client, from the file as it is now (or from the view an update just produced). */
  status(id: ClientId, override?: string, known?: ConfigView): ClientStatus {
    const def = clientDef(id);
    const configPath = this.configPath(id, override);
    const expected = this.expected(def);
    const extensions = this.viaExtension(id);
    const links = def.installLink
      ? Object.entries(expected).map(([name, entry]) => ({ server: name, url: def.installLink!(name, entry) }))
      : [];
    const base = {
      id,
      name: def.name,
      configPath,
      expected,
      entries: {} as Record<string, unknown>,
      extensions,
      installLinks: links,
      problem: null as ConfigProblem | null,
    };
    let snap: ConfigView;
    try {
      snap = known ?? inspectConfig(configPath, configFormat(def));
    } catch (err) {
      return {
        ...base,
        state: 'error',
        problem: err instanceof ConfigParseError ? this.problemIn(configPath, err, def) : null,
        detail: (err as Error).message,
        nextStep: `Fix ${path.basename(configPath)} at the place shown (or restore a backup), then try again.`,
      };
    }
    const entries = snap.ours;
    // Never both ways at once: with our entries in the file, an install link would add every tool again.
    if (Object.keys(entries).length > 0) base.installLinks = [];
    const installed = override !== undefined || snap.exists || def.installed(this.opts.platform);
    const connectedFlag = override === undefined && this.isConnected(id);
    if (Object.keys(entries).length === 0) {
      if (extensions.length > 0 && Object.keys(expected).length === 0) {
        // Every server that is on runs as an installed extension: connected, through the other route.
        return { ...base, state: 'connected', detail: null, nextStep: def.restartHint };
      }
      if (connectedFlag) {
        return {
          ...base,
          state: 'entry-missing',
          detail: `${def.name} rewrote its settings and MCP Tray's entries are gone.`,
          nextStep: `Click Repair to put them back${id === 'claude-desktop' ? ' (quit Claude Desktop first, or it may drop them again)' : ''}. ${def.restartHint}`,
        };
      }
      if (!installed) {
        return {
          ...base,
          state: 'not-installed',
          detail: null,
          nextStep: `${def.name} does not seem to be installed. Install it, or click Connect to prepare its settings anyway.`,
        };
      }
      return {
        ...base,
        state: 'not-connected',
        detail: null,
        nextStep:
          id === 'claude-desktop'
            ? 'Quit Claude Desktop first (it can overwrite changes made while it runs), then click Connect.'
            : 'Click Connect.',
      };
    }
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(entries)) {
      if (!(name in expected) && extensions.some((s) => entryName(s) === name))
        problems.push(
          `${name} is also installed as a Claude extension, so Claude would show its tools twice — Repair removes the config entry`,
        );
      else if (!(name in expected)) problems.push(`${name} is there but its server is switched off`);
      else if (canonical(entry) !== canonical(expected[name])) {
        // The program and the script an entry runs, whatever the app's shape ("command" may be a list: OpenCode).
        const e = entry as { command?: unknown; cmd?: unknown; args?: unknown };
        const run = [
          ...(Array.isArray(e.command) ? e.command.slice(0, 2) : [e.command]),
          e.cmd,
          ...(Array.isArray(e.args) ? e.args.slice(0, 1) : []),
        ];
        const missing = run.find((p): p is string => typeof p === 'string' && path.isAbsolute(p) && !fs.existsSync(p));
        problems.push(
          missing ? `${name} points at ${missing}, which no longer exists` : `${name} was written by another copy or version of MCP Tray`,
        );
      }
    }
    for (const name of Object.keys(expected)) if (!(name in entries)) problems.push(`${name} is missing`);
    if (problems.length) {
      return {
        ...base,
        entries,
        state: 'outdated',
        detail: `${problems.join('; ')}.`,
        nextStep: `Click Repair to update the entries. ${def.restartHint}`,
      };
    }
    return { ...base, entries, state: 'connected', detail: null, nextStep: def.restartHint };
  }

  list(): ClientStatus[] {
    return CLIENT_IDS.map((id) => this.status(id));
  }

  private async remember(id: ClientId, connected: boolean) {
    // Computed from the file as it is now: the CLI or another window may have connected a client meanwhile.
    await this.opts.settings.mutate((s) => {
      const list = s.clients.connected.filter((c) => c !== id);
      return { clients: { connected: connected ? [...list, id] : list } };
    });
  }

  /** Writes the entries for the enabled servers and removes ours for servers that are off. */
  async connect(id: ClientId, override?: string, hooks?: Parameters<typeof updateConfig>[3]['beforeWrite']): Promise<ConnectResult> {
    // The person's own Connect or Repair starts automatic repair afresh.
    if (override === undefined) this.resetRepairs(id);
    return this.write(id, override, hooks);
  }

  private async write(
    id: ClientId,
    override?: string,
    hooks?: Parameters<typeof updateConfig>[3]['beforeWrite'],
    backupKind: BackupKind = 'connect',
  ): Promise<ConnectResult> {
    const def = clientDef(id);
    const file = this.configPath(id, override);
    const expected = this.expected(def);
    const changes: Record<string, unknown> = { ...expected };
    for (const s of SERVER_NAMES) if (!(entryName(s) in expected)) changes[entryName(s)] = undefined;
    const { changed, backup, view } = await updateConfig(file, configFormat(def), changes, {
      backupDir: this.backupDir(id),
      beforeWrite: hooks,
      backupKind,
    });
    if (override === undefined) {
      await this.remember(id, true);
      if (changed) this.written.set(id, new Date().toISOString());
    }
    this.refreshWatches();
    const status = this.status(id, override, view);
    this.emitClients();
    const servers = Object.keys(expected).length;
    return {
      status,
      changed,
      backup,
      message: changed
        ? `${def.name} is set up with ${servers} MCP Tray server${servers === 1 ? '' : 's'} in ${file}. Next: ${def.restartHint}`
        : `${def.name} was already set up; nothing changed.`,
    };
  }

  async disconnect(id: ClientId, override?: string): Promise<ConnectResult> {
    const def = clientDef(id);
    const file = this.configPath(id, override);
    // Which entries are ours is decided on the very bytes being edited (the file may change meanwhile).
    const result = await updateConfig(
      file,
      configFormat(def),
      (snap) => Object.fromEntries(Object.keys(snap.ours).map((k) => [k, undefined])),
      { backupDir: this.backupDir(id), backupKind: 'disconnect' },
    );
    if (override === undefined) {
      await this.remember(id, false);
      this.resetRepairs(id);
    }
    this.refreshWatches();
    const status = this.status(id, override, result.view);
    this.emitClients();
    return {
      status,
      changed: result.changed,
      backup: result.backup,
      message: result.changed
        ? `MCP Tray's servers were removed from ${def.name}. ${def.restartHint}`
        : `${def.name} had no MCP Tray servers; nothing changed.`,
    };
  }

  /** When MCP Tray last changed this client's config in this session (null when it has not). */
  writtenAt(id: ClientId): string | null {
    return this.written.get(id) ?? null;
  }

  /** The backups of a client's config, newest first, each said by what made it and what restoring it would change now. */
  backups(id: ClientId, override?: string): Backup[] {
    const def = clientDef(id);
    const file = this.configPath(id, override);
    const format = configFormat(def);
    let now: ConfigView | null;
    try {
      now = inspectConfig(file, format);
    } catch {
      now = null; // the file does not read now: any backup that does would make it read again
    }
    const nowBytes = (() => {
      try {
        return fs.readFileSync(file);
      } catch {
        return null;
      }
    })();
    return listBackups(this.backupDir(id)).map((b) => {
      let restoring: string;
      try {
        const bytes = fs.readFileSync(path.join(this.backupDir(id), b.file));
        restoring = whatRestoreDoes(now, nowBytes, parseConfigBytes(file, bytes, format), bytes);
      } catch {
        restoring = 'puts back a file that did not read as settings';
      }
      return { ...b, label: BACKUP_LABELS[b.kind ?? 'change'], restoring };
    });
  }

  async restore(id: ClientId, backup: string, override?: string): Promise<ConnectResult> {
    const def = clientDef(id);
    const file = this.configPath(id, override);
    const safety = await restoreBackup(file, this.backupDir(id), backup);
    const status = this.status(id, override);
    this.emitClients();
    return { status, changed: true, backup: safety, message: `${path.basename(file)} was restored from ${backup}. ${def.restartHint}` };
  }

  /** A broken file's lines around the place it breaks, and its sure fix (none when the file cannot be read again). */
  private problemIn(file: string, err: ConfigParseError, def: ClientDef): ConfigProblem | null {
    try {
      return problemOf(fs.readFileSync(file, 'utf8'), err, configFormat(def));
    } catch {
      return null;
    }
  }

  /**
   * Applies the one sure fix of a broken config (a trailing comma, the closing brackets a cut-short
   * file lacks), after a backup of the file as it is; refused when there is none.
   */
  async fixConfig(id: ClientId, override?: string): Promise<ConnectResult> {
    const def = clientDef(id);
    const file = this.configPath(id, override);
    const format = configFormat(def);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      throw new HostError(`Cannot read ${file}: ${(err as Error).message}`, 'not_found');
    }
    const text = bytes.toString('utf8');
    let problem: ConfigParseError | null = null;
    try {
      parseConfigBytes(file, bytes, format);
    } catch (err) {
      if (!(err instanceof ConfigParseError)) throw err;
      problem = err;
    }
    if (!problem)
      return {
        status: this.status(id, override),
        changed: false,
        backup: null,
        message: `${path.basename(file)} reads fine; nothing to fix.`,
      };
    const fix = fixedText(text, problem, format);
    if (!fix)
      throw new HostError(
        `There is no sure fix for ${path.basename(file)} (${problem.reason}, line ${problem.line}): fix it by hand at that place, or restore a backup.`,
        'invalid',
      );
    const backup = makeBackup(file, bytes, this.backupDir(id), 'fix');
    await writeAtomic(fs.realpathSync(file), fix.text);
    const status = this.status(id, override);
    this.emitClients();
    return {
      status,
      changed: true,
      backup,
      message: `${fix.description}: ${path.basename(file)} reads again (a copy of it as it was is in the backups).`,
    };
  }

  /** After servers are switched on or off: bring every connected client in line. */
  async sync(): Promise<void> {
    for (const id of this.opts.settings.get().clients.connected as ClientId[]) {
      if (!CLIENT_IDS.includes(id)) continue;
      try {
        await this.connect(id);
      } catch (err) {
        this.emit('notice', { level: 'error', message: `Could not update ${clientDef(id).name}: ${(err as Error).message}` });
      }
    }
  }

  private emitClients() {
    this.emit('clients', this.list());
  }

  /** Watches the configs of connected clients: a client that drops our entries is noticed (and repaired, if allowed). */
  refreshWatches(): void {
    const ms = this.opts.watchMs ?? 2000;
    if (ms <= 0) return;
    const want = new Set(
      (this.opts.settings.get().clients.connected as ClientId[]).filter((id) => CLIENT_IDS.includes(id)).map((id) => this.configPath(id)),
    );
    for (const [file, stop] of this.watched) {
      if (!want.has(file)) {
        stop();
        this.watched.delete(file);
      }
    }
    for (const file of want) {
      if (this.watched.has(file)) continue;
      const listener = () => void this.onConfigChanged();
      fs.watchFile(file, { interval: ms, persistent: false }, listener);
      // fs.watchFile takes its first look asynchronously: a change made just before it (an app
      // rewriting its config right after our connect) would be its baseline. Look once ourselves.
      const first = setTimeout(listener, ms);
      first.unref();
      this.watched.set(file, () => {
        clearTimeout(first);
        fs.unwatchFile(file, listener);
      });
    }
  }

  private resetRepairs(id: ClientId) {
    const r = this.repairs.get(id);
    if (r?.retry) clearTimeout(r.retry);
    this.repairs.delete(id);
  }

  /**
   * Puts dropped entries back, backing off when it happens again: the second repair waits
   * REPAIR_BACKOFF_MS, the third twice that, and a fourth within REPAIR_WINDOW_MS pauses automatic
   * repair for that client with one plain notice (another program is removing the entries on purpose,
   * and fighting it rewrites the file for ever). The person's Connect or Repair starts it afresh.
   */
  private async onConfigChanged(): Promise<void> {
    const statuses = this.list();
    this.emit('clients', statuses);
    if (this.repairing || !this.opts.settings.get().clients.autoRepair) return;
    this.repairing = true;
    try {
      for (const s of statuses.filter((c) => c.state === 'entry-missing')) {
        const r = this.repairs.get(s.id) ?? { at: [], paused: false };
        this.repairs.set(s.id, r);
        if (r.paused || r.retry) continue;
        const now = Date.now();
        r.at = r.at.filter((t) => now - t < REPAIR_WINDOW_MS);
        if (r.at.length >= MAX_REPAIRS) {
          r.paused = true;
          this.emit('notice', {
            level: 'error',
            message: `Something keeps removing MCP Tray from ${s.name}'s settings (${MAX_REPAIRS + 1} times in a few minutes), so MCP Tray stopped putting it back. Quit the program that changes ${path.basename(s.configPath)}${s.id === 'claude-desktop' ? ' (often Claude Desktop itself, while it runs)' : ''}, then click Repair.`,
          });
          continue;
        }
        const wait =
          r.at.length === 0 ? 0 : (this.opts.repairBackoffMs ?? REPAIR_BACKOFF_MS) * 2 ** (r.at.length - 1) - (now - r.at.at(-1)!);
        if (wait > 0) {
          r.retry = setTimeout(() => {
            r.retry = undefined;
            void this.onConfigChanged();
          }, wait);
          r.retry.unref();
          continue;
        }
        r.at.push(now);
        await this.write(s.id, undefined, undefined, 'repair');
        const message = `${s.name} dropped MCP Tray's servers from its settings; they were put back. ${clientDef(s.id).restartHint}`;
        this.emit('repaired', { client: s.id, name: s.name, at: this.writtenAt(s.id) ?? new Date().toISOString(), message });
        this.emit('notice', { level: 'warning', message });
      }
    } catch (err) {
      this.emit('notice', { level: 'error', message: `Could not repair a client: ${(err as Error).message}` });
    } finally {
      this.repairing = false;
    }
  }

  close(): void {
    for (const r of this.repairs.values()) if (r.retry) clearTimeout(r.retry);
    for (const stop of this.watched.values()) stop();
    this.watched.clear();
  }
}
