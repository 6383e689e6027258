import type { ClaudeLogReport, ClientStatus, InstallLocation, ServerStatus, SetupStatus, SetupStep } from './contract.js';
import { SERVERS, SERVER_NAMES, SERVER_TITLES, type ServerName } from '../../servers/registry.js';
import { entryName } from './clients/registry.js';

export interface SetupInput {
  servers: ServerStatus[];
  claude: ClientStatus;
  claudeLogs: ClaudeLogReport;
  /** When MCP Tray last wrote Claude Desktop's config (this session), if it did. */
  writtenAt: string | null;
  /** Claude Desktop's open connections to our servers (server names), from the recorded activity. */
  liveServers: string[];
  lastCall: SetupStatus['lastCall'];
  products: number;
  /** The catalog still holds just the sample products a new install starts with. */
  samples?: boolean;
  /** The catalog cannot be read now (a shared database that is away): what to say instead of its size. */
  catalogProblem?: string | null;
  cities: { count: number; firstName: string | null };
  install: InstallLocation;
  toolOn: (server: ServerName, tool: string) => boolean;
  /** Tools switched off, as server.tool. */
  toolsOff: string[];
  repaired: SetupStatus['repaired'];
  platform: NodeJS.Platform;
  now: number;
}

/** Quitting Claude Desktop for real: closing its window leaves it running in the menu bar or tray. */
export function restartHow(platform: NodeJS.Platform): string {
  if (platform === 'darwin')
    return 'Click Claude in the menu bar at the top of the screen and choose Quit Claude (or press ⌘Q while Claude is in front) — closing its window is not enough. Then open Claude again.';
  if (platform === 'win32')
    return 'Right-click the Claude icon in the notification area (bottom right, beside the clock; click ^ if you do not see it) and choose Quit — closing its window is not enough. Then open Claude again from the Start menu.';
  return 'Quit Claude Desktop from its tray icon (closing its window is not enough), then open it again.';
}

/** The entry names Claude Desktop runs of ours, by either route (config entries or installed extensions). */
export const servedEntries = (claude: Pick<ClientStatus, 'entries' | 'extensions'>): Set<string> =>
  new Set([...Object.keys(claude.entries), ...claude.extensions.map(entryName)]);

/** "just now", "2 min ago", "3 h ago", or the date. */
export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `on ${iso.slice(0, 10)}`;
}

/** The requests each server's definition suggests, for the servers that are on, while the tool each needs is on. */
function examples(i: SetupInput): string[] {
  return SERVER_NAMES.filter((n) => i.servers.some((s) => s.name === n && s.enabled)).flatMap((n) =>
    SERVERS[n].examples.filter((e) => i.toolOn(n, e.tool)).map((e) => e.text({ firstCity: i.cities.firstName })),
  );
}

/**
 * The Home page's checklist and the tray's one line, from real signals only: Claude's config, the
 * activity our servers record, and what Claude's own logs say.
 */
export function setupStatus(i: SetupInput): SetupStatus {
  const enabled = i.servers.filter((s) => s.enabled);
  const running = enabled.filter((s) => s.state === 'running');
  const broken = enabled.filter((s) => s.state === 'crash-loop');
  const ours = servedEntries(i.claude);
  const failing = i.claudeLogs.servers.filter((s) => s.problem && ours.has(s.entry));
  const connected = i.claude.state === 'connected';
  const claudeUsing = i.liveServers.length > 0;
  // Claude has started our servers since we last wrote its config (or at all, when that was before this session).
  const startedSince = i.claudeLogs.servers.some(
    (s) => ours.has(s.entry) && s.lastOkAt && (!i.writtenAt || s.lastOkAt >= i.writtenAt) && s.state !== 'failing',
  );

  const data: SetupStep = {
    id: 'data',
    title: 'Your data',
    state: broken.length || i.catalogProblem ? 'problem' : enabled.length === 0 ? 'todo' : 'done',
    detail: [
      i.catalogProblem ??
        `${i.products} ${i.samples ? 'sample ' : ''}product${i.products === 1 ? '' : 's'}${i.samples ? ' (examples to try Claude with, not yours yet)' : ''}, ${i.cities.count} cit${i.cities.count === 1 ? 'y' : 'ies'}`,
      enabled.length === 0
        ? 'every server is switched off: switch one on on the Servers page'
        : `${running.length} of ${enabled.length} server${enabled.length === 1 ? '' : 's'} running`,
      ...(i.toolsOff.length ? [`switched off: ${i.toolsOff.join(', ')}`] : []),
      ...broken.map((s) => `${s.title} keeps crashing: ${s.lastError ?? 'see the Servers page'}`),
    ].join(' · '),
  };
  const connect: SetupStep = {
    id: 'connect',
    title: 'Connect Claude Desktop',
    state: connected ? 'done' : i.claude.state === 'not-connected' || i.claude.state === 'not-installed' ? 'todo' : 'problem',
    detail: connected
      ? `Claude Desktop is set up with ${ours.size} MCP Tray server${ours.size === 1 ? '' : 's'}${
          i.claude.extensions.length
            ? ` (${i.claude.extensions.join(' and ')} as Claude extension${i.claude.extensions.length === 1 ? '' : 's'})`
            : ''
        }.`
      : [i.claude.detail, i.claude.nextStep].filter(Boolean).join(' '),
  };
  const restart: SetupStep = {
    id: 'restart',
    title: 'Restart Claude Desktop',
    state: !connected ? 'waiting' : failing.length ? 'problem' : claudeUsing || startedSince ? 'done' : 'todo',
    detail: !connected
      ? 'After connecting, Claude Desktop must be restarted to see the servers.'
      : failing.length
        ? `Claude Desktop can't start ${failing.map((f) => SERVER_TITLES[f.server]).join(' and ')}: see what its log says above.`
        : claudeUsing || startedSince
          ? 'Claude Desktop started MCP Tray’s servers.'
          : i.claude.nextStep,
  };
  const tried = i.lastCall !== null;
  const tryIt: SetupStep = {
    id: 'try',
    title: 'Try it in Claude',
    state: tried ? 'done' : connected ? 'todo' : 'waiting',
    detail: tried ? 'Claude has used your data.' : 'Paste one of these into a new Claude chat:',
  };
  const using: SetupStep = {
    id: 'using',
    title: 'Claude is using your data',
    state: claudeUsing || tried ? 'done' : 'waiting',
    detail: claudeUsing
      ? `Claude Desktop has ${i.liveServers.join(' and ')} open${i.lastCall ? ` — last call ${ago(i.lastCall.at, i.now)} (${i.lastCall.tool})` : ''}.`
      : i.lastCall
        ? `Last call ${ago(i.lastCall.at, i.now)} (${i.lastCall.tool}); Claude Desktop is not running the servers right now.`
        : 'Waiting for Claude’s first request.',
  };

  const ok = data.state === 'done' && connect.state === 'done' && restart.state === 'done';
  const summary = failing.length
    ? "Claude Desktop: can't start MCP Tray — open for details"
    : !connected
      ? i.claude.state === 'not-connected' || i.claude.state === 'not-installed'
        ? 'Claude Desktop: not connected'
        : 'Claude Desktop: needs repair — open for details'
      : claudeUsing
        ? `Claude Desktop: using ${i.liveServers.join(' and ')}${i.lastCall ? `, ${ago(i.lastCall.at, i.now)}` : ''}`
        : restart.state === 'todo'
          ? 'Claude Desktop: connected — restart it to start'
          : i.lastCall
            ? `Claude Desktop: ready (last call ${ago(i.lastCall.at, i.now)})`
            : 'Claude Desktop: ready';
  return {
    ok,
    summary,
    steps: [data, connect, restart, tryIt, using],
    claude: i.claude,
    claudeLogs: i.claudeLogs,
    lastCall: i.lastCall,
    liveServers: i.liveServers,
    data: { products: i.products, samples: i.samples ?? false, cities: i.cities.count, running: running.length, enabled: enabled.length },
    install: i.install,
    examples: examples(i),
    restartHow: restartHow(i.platform),
    repaired: i.repaired,
  };
}
