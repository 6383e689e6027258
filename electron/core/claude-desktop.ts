import fs from 'node:fs';
import path from 'node:path';
import { ClaudeLogs } from './claude/logs.js';
import type { Connectors } from './clients/connectors.js';
import { entryName, type PlatformInfo } from './clients/registry.js';
import type { ClaudeLogReport, ExtensionsState, InstallLocation, ServerName, SetupStatus } from './contract.js';
import { SERVER_NAMES } from '../../servers/registry.js';
import { buildExtensions } from './extensions/build.js';
import { claudeExtensionsDir, installedExtensions } from './extensions/installed.js';
import { temporaryLocation } from './install-location.js';
import type { Runtime } from './runtime.js';

/**
 * Claude Desktop as the host sees it beyond its config file: what its own logs say, where this
 * install runs from, and the second route in (extensions). One place for what the Home page, the
 * Apps page, doctor and the tray read.
 */
export class ClaudeDesktop {
  private readonly logs: ClaudeLogs;
  private stopWatch: () => void = () => {};
  private stopRoutes: () => void = () => {};
  /** The conflicts last acted on (so a write that fails is not retried every tick). */
  private settled = '';
  /** Set when entries Claude dropped were put back, until Claude starts our servers again. */
  private repair: SetupStatus['repaired'] = null;

  noteRepair(client: string, at: string): void {
    this.repair = { client, at };
  }

  /** The repair still to mention, given what Claude's logs say now (it goes once Claude has started our servers since). */
  repaired(report: ClaudeLogReport): SetupStatus['repaired'] {
    if (this.repair && report.servers.some((s) => s.lastStartAt && s.lastStartAt > this.repair!.at)) this.repair = null;
    return this.repair;
  }

  constructor(
    private readonly d: {
      dataDir: string;
      runtime: Runtime;
      platform: PlatformInfo;
      connectors: Connectors;
    },
  ) {
    this.logs = new ClaudeLogs(d.platform);
  }

  /** The program Claude Desktop's entry runs for a server, as the file says now (for "can't find …"). */
  private readonly commandOf = (server: ServerName): string | null => {
    try {
      const entry = this.d.connectors.status('claude-desktop').entries[entryName(server)] as { command?: unknown } | undefined;
      return typeof entry?.command === 'string' ? entry.command : null;
    } catch {
      return null;
    }
  };

  logReport(): ClaudeLogReport {
    return this.logs.report(this.commandOf);
  }

  /** Looks at Claude's logs every `ms` and reports when what they say changed. */
  watchLogs(ms: number, onReport: (report: ClaudeLogReport) => void): void {
    if (ms > 0) this.stopWatch = this.logs.watch(ms, onReport, this.commandOf);
  }

  /**
   * One route per server: once Claude has installed a server as an extension, its config entry goes
   * (Claude would show every tool twice). Switching to the extension route is the person's choice
   * made in Claude's installer; MCP Tray finishes it. Returns the servers switched (none: nothing to do).
   */
  async settleRoutes(): Promise<ServerName[]> {
    const { conflicts } = this.extensions();
    const key = conflicts.join(',');
    if (key === this.settled) return [];
    this.settled = key;
    if (conflicts.length === 0) return [];
    await this.d.connectors.connect('claude-desktop');
    return conflicts;
  }

  /** Looks every `ms` for a server newly installed as an extension while its config entry is there (settleRoutes). */
  watchRoutes(ms: number, onSwitched: (servers: ServerName[]) => void, onError: (err: Error) => void): void {
    if (ms <= 0) return;
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      this.settleRoutes()
        .then((s) => s.length > 0 && onSwitched(s), onError)
        .finally(() => (busy = false));
    }, ms);
    t.unref();
    this.stopRoutes = () => clearInterval(t);
  }

  install(): InstallLocation {
    const command = this.d.runtime.command;
    const temporary = temporaryLocation(command, this.d.platform.platform, this.d.platform.env);
    return { command, temporary, canMove: temporary !== null && this.d.runtime.relocate !== undefined };
  }

  extensionsDir(): string {
    return path.join(this.d.dataDir, 'extensions');
  }

  extensions(): ExtensionsState {
    return this.extensionState(this.d.connectors.status('claude-desktop').entries);
  }

  private extensionState(entries: Record<string, unknown>): ExtensionsState {
    const dir = this.extensionsDir();
    const built = SERVER_NAMES.flatMap((server) => {
      const file = path.join(dir, `${entryName(server)}.mcpb`);
      const st = fs.statSync(file, { throwIfNoEntry: false });
      return st ? [{ server, file, at: st.mtime.toISOString(), bytes: st.size }] : [];
    });
    const installed = installedExtensions(this.d.platform);
    const conflicts = SERVER_NAMES.filter((s) => entryName(s) in entries && installed.some((e) => e.server === s && e.enabled !== false));
    return {
      dir,
      built,
      installed,
      claudeExtensionsDir: claudeExtensionsDir(this.d.platform),
      conflicts,
      canOpen: this.d.runtime.openPath !== undefined,
    };
  }

  /** How Claude Desktop runs each server right now: config entries, an extension, or (wrongly) both. */
  routes() {
    const entries = this.d.connectors.status('claude-desktop').entries;
    const ext = this.extensionState(entries);
    return {
      config: SERVER_NAMES.filter((s) => entryName(s) in entries),
      extension: [...new Set(ext.installed.filter((e) => e.enabled !== false).map((e) => e.server))],
      conflicts: ext.conflicts,
    };
  }

  buildBundles(servers?: readonly ServerName[], outDir = this.extensionsDir(), release = false) {
    return buildExtensions({
      release,
      runtime: this.d.runtime,
      dataDir: this.d.dataDir,
      outDir,
      platform: this.d.platform.platform,
      servers,
    });
  }

  close(): void {
    this.stopWatch();
    this.stopRoutes();
    this.logs.close();
  }
}
