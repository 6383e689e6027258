import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { Db } from '../../servers/shared/db.js';
import type { Settings } from '../../servers/shared/settings-schema.js';
import { VERSION } from '../../servers/shared/version.js';
import type { Check, CheckReport, ClaudeLogReport, ClientStatus, InstallLocation, ServerName } from './contract.js';
import { SERVER_NAMES, SERVER_TITLES } from '../../servers/registry.js';
import { servedEntries } from './setup.js';

/** What the checks look at: the host's parts, or the little a broken data folder leaves. */
export interface DoctorInput {
  dataDir: string;
  settings: Settings;
  databases: Array<{ file: string; db: Db }>;
  /** A shared catalog: where it is, and a quick look at it (resolves to its size, or rejects with the reason). */
  sharedCatalog?: { where: string; probe: () => Promise<number>; searchIndexed: boolean };
  clients: ClientStatus[];
  claudeLogs: ClaudeLogReport;
  install: InstallLocation;
  /** The entry Claude Desktop runs for a server (what the server check starts, the same way). */
  entryFor: (server: ServerName) => { command: string; args: string[]; env?: Record<string, string> };
  /** Start each enabled server as Claude would (off for quick looks, such as the Home page). */
  startServers: boolean;
  /** How Claude Desktop runs each server: config entries, an installed extension, or (wrongly) both. */
  routes: { config: ServerName[]; extension: ServerName[]; conflicts: ServerName[] };
  /** Tools of each server, for the summary of switched-off tools. */
  tools: Record<ServerName, Array<{ name: string; on: boolean }>>;
}

const START_TIMEOUT_MS = 20_000;

/** A check that could not run because the data folder is unusable: what `doctor` prints then. */
export function dataFolderFailure(dataDir: string, message: string): CheckReport {
  return {
    ok: false,
    checks: [
      {
        id: 'data-folder',
        ok: false,
        title: 'Data folder',
        detail: `${dataDir}: ${message}`,
        next: 'Pick a folder you can write to (--data-dir DIR), or fix this one; the other checks need it and were not run.',
      },
    ],
  };
}

function checkDataFolder(dir: string): Check {
  const probe = path.join(dir, `.doctor-${process.pid}.tmp`);
  try {
    fs.writeFileSync(probe, 'x', { mode: 0o600 });
    fs.unlinkSync(probe);
    return { id: 'data-folder', ok: true, title: 'Data folder', detail: `${dir} is writable`, next: null };
  } catch (err) {
    return {
      id: 'data-folder',
      ok: false,
      title: 'Data folder',
      detail: `${dir} is not writable: ${(err as Error).message}`,
      next: 'Fix the folder’s permissions (it must belong to you), or start MCP Tray with another --data-dir.',
    };
  }
}

function checkDatabase(file: string, db: Db): Check {
  const name = path.basename(file);
  const title = `Database ${name}`;
  try {
    const result = db.pragma('quick_check', { simple: true }) as string;
    if (result === 'ok') return { id: `database:${name}`, ok: true, title, detail: 'passes SQLite’s quick_check', next: null };
    return {
      id: `database:${name}`,
      ok: false,
      title,
      detail: `SQLite’s quick_check reports: ${result}`,
      next: `Quit MCP Tray and put back a copy from ${path.join(path.dirname(file), 'backups')} (made before imports and on request).`,
    };
  } catch (err) {
    return {
      id: `database:${name}`,
      ok: false,
      title,
      detail: (err as Error).message,
      next: 'Quit MCP Tray and restore a backup of this file.',
    };
  }
}

async function checkSharedCatalog(c: NonNullable<DoctorInput['sharedCatalog']>): Promise<Check> {
  const base = { id: 'shared-catalog', title: `Shared catalog at ${c.where}` };
  try {
    const products = await c.probe();
    return {
      ...base,
      ok: true,
      detail: `reachable, ${products} products${c.searchIndexed ? '' : '; search reads every product (pg_trgm is not available there)'}`,
      next: null,
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      detail: (err as Error).message,
      next: 'Check the database server and this computer’s network, or move the catalog back to this computer (Settings → Where your catalog lives).',
    };
  }
}

/** Starts a server with the very command Claude Desktop runs, over stdio, and times its answer to initialize. */
async function checkServerStarts(server: ServerName, entry: ReturnType<DoctorInput['entryFor']>): Promise<Check> {
  const title = `${SERVER_TITLES[server]} server starts`;
  const missing = [entry.command, entry.args[0]].find((p) => p && path.isAbsolute(p) && !fs.existsSync(p));
  if (missing) {
    return {
      id: `server:${server}`,
      ok: false,
      title,
      detail: `${missing} does not exist`,
      next: 'Reinstall MCP Tray, or open it from where it is installed and click Repair on the Apps page.',
    };
  }
  // Claude starts servers with little more than HOME, USER and PATH, from the root folder: do the same.
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    env: { ...getDefaultEnvironment(), ...(entry.env ?? {}) },
    cwd: path.parse(process.cwd()).root,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const client = new Client({ name: 'mcp-tray-doctor', version: VERSION }, { capabilities: {} });
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(transport),
      new Promise((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to initialize within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      }),
    ]);
    const ms = Math.round(performance.now() - t0);
    const tools = await client.listTools().then(
      (r) => r.tools.length,
      () => null,
    );
    return {
      id: `server:${server}`,
      ok: true,
      title,
      detail: `answered initialize in ${ms} ms${tools === null ? '' : ` (${tools} tool${tools === 1 ? '' : 's'} listed)`}`,
      next: null,
    };
  } catch (err) {
    const said = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1);
    return {
      id: `server:${server}`,
      ok: false,
      title,
      detail: `${(err as Error).message}${said ? ` — the server said: ${said}` : ''}`,
      next: 'Open the Servers page for its log; the same error stops Claude from starting it.',
    };
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => {});
  }
}

function checkClients(clients: ClientStatus[]): Check[] {
  const relevant = clients.filter((c) => c.state !== 'not-installed' && c.state !== 'not-connected');
  if (relevant.length === 0) {
    return [
      {
        id: 'clients',
        ok: false,
        title: 'Connected apps',
        detail: 'No app is connected to MCP Tray yet.',
        next: 'Click Connect on the Home page (or run `mcp-tray connect claude-desktop`), then restart the app.',
      },
    ];
  }
  return relevant.map((c): Check => {
    const base = { id: `client:${c.id}`, title: `${c.name} settings` };
    if (c.state === 'connected') {
      const gone = Object.values(c.entries)
        .flatMap((e) => {
          const entry = e as { command?: unknown; args?: unknown };
          return [entry.command, Array.isArray(entry.args) ? entry.args[0] : undefined];
        })
        .find((p): p is string => typeof p === 'string' && path.isAbsolute(p) && !fs.existsSync(p));
      if (gone)
        return { ...base, ok: false, detail: `an entry points at ${gone}, which does not exist`, next: 'Click Repair on the Apps page.' };
      return { ...base, ok: true, detail: `${c.configPath} parses and MCP Tray’s entries match this install`, next: null };
    }
    return { ...base, ok: false, detail: `${c.configPath}: ${c.detail ?? c.state}`, next: c.nextStep };
  });
}

function checkClaudeLogs(report: ClaudeLogReport, claude: ClientStatus | undefined): Check {
  const base = { id: 'claude-logs', title: 'What Claude Desktop says' };
  if (!report.found) return { ...base, ok: true, detail: `Claude Desktop has written no logs in ${report.dir} yet`, next: null };
  const ours = claude ? servedEntries(claude) : new Set<string>();
  const failing = report.servers.filter((s) => s.problem && ours.has(s.entry));
  if (failing.length) {
    return {
      ...base,
      ok: false,
      detail: failing
        .map((s) => `${s.entry}: “${s.problem!.quote}” (${s.problem!.file}, ${s.problem!.at}) — ${s.problem!.meaning}`)
        .join('\n'),
      next: failing[0]!.problem!.next,
    };
  }
  const started = report.servers.filter((s) => s.lastOkAt && ours.has(s.entry));
  return {
    ...base,
    ok: true,
    detail: started.length
      ? `no current errors; ${started.map((s) => `${s.entry} last answered at ${s.lastOkAt}`).join(', ')}`
      : 'no current errors for MCP Tray’s entries',
    next: null,
  };
}

/** Every check a support person would run, in the order they would run them. */
export async function runChecks(input: DoctorInput): Promise<CheckReport> {
  const checks: Check[] = [checkDataFolder(input.dataDir)];
  for (const { file, db } of input.databases) checks.push(checkDatabase(file, db));
  if (input.sharedCatalog) checks.push(await checkSharedCatalog(input.sharedCatalog));

  const enabled = SERVER_NAMES.filter((n) => input.settings.servers[n].enabled);
  if (enabled.length === 0) {
    checks.push({
      id: 'servers',
      ok: false,
      title: 'Servers',
      detail: 'every server is switched off',
      next: 'Switch a server on (Servers page), then connect.',
    });
  } else if (input.startServers) {
    // One after the other: two cold starts at once on a small machine would time each other.
    for (const n of enabled) checks.push(await checkServerStarts(n, input.entryFor(n)));
  }

  checks.push(
    input.install.temporary
      ? {
          id: 'install-location',
          ok: false,
          title: 'Where MCP Tray runs from',
          detail: `${input.install.command}: ${input.install.temporary}`,
          next: input.install.canMove
            ? 'Click “Move to Applications” on the Home page, then Repair on the Apps page.'
            : 'Install MCP Tray in a lasting place (Applications on macOS, the installer on Windows, the .deb on Linux), open it from there, then click Repair.',
        }
      : {
          id: 'install-location',
          ok: true,
          title: 'Where MCP Tray runs from',
          detail: `${input.install.command} (a lasting place)`,
          next: null,
        },
  );

  checks.push(...checkClients(input.clients));
  const { config, extension, conflicts } = input.routes;
  const list = (s: ServerName[]) => (s.length ? s.join(', ') : 'none');
  checks.push({
    id: 'claude-route',
    ok: conflicts.length === 0,
    title: 'How Claude Desktop runs MCP Tray',
    detail: conflicts.length
      ? `${conflicts.join(', ')} ${conflicts.length === 1 ? 'is' : 'are'} both in claude_desktop_config.json and installed as a Claude extension: Claude shows every tool twice`
      : `config entries: ${list(config)}; Claude extensions: ${list(extension)}`,
    next: conflicts.length
      ? 'Click Repair for Claude Desktop on the Apps page: it removes the config entries of servers installed as extensions.'
      : null,
  });
  checks.push(
    checkClaudeLogs(
      input.claudeLogs,
      input.clients.find((c) => c.id === 'claude-desktop'),
    ),
  );

  const dropped = input.clients.filter((c) => c.state === 'entry-missing');
  const repair = input.settings.clients.autoRepair;
  checks.push({
    id: 'auto-repair',
    ok: repair || dropped.length === 0,
    title: 'Automatic repair',
    detail: repair
      ? 'on: when a connected app drops MCP Tray’s entries from its settings, they are put back'
      : `off${dropped.length ? `, and ${dropped.map((c) => c.name).join(', ')} dropped MCP Tray’s entries` : ''}`,
    next: repair || dropped.length === 0 ? null : 'Click Repair on the Apps page, and turn automatic repair on in Settings.',
  });

  const off = SERVER_NAMES.flatMap((n) => input.tools[n].filter((t) => !t.on).map((t) => `${n}.${t.name}`));
  checks.push({
    id: 'tools',
    ok: true,
    title: 'Tools offered to AI apps',
    detail: off.length ? `switched off: ${off.join(', ')}` : 'every tool is on',
    next: null,
  });
  return { ok: checks.every((c) => c.ok), checks };
}
