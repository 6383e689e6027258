import type { ClientStatus, ServerName, ServerState, ServerStatus } from '../core/contract.js';

export type TrayAction =
  | { type: 'toggle-server'; server: ServerName; enabled: boolean }
  | { type: 'restart-server'; server: ServerName }
  | { type: 'open'; page?: string }
  | { type: 'connect-claude' }
  | { type: 'toggle-notifications'; enabled: boolean }
  | { type: 'quit' };

export interface TrayItem {
  label: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  action?: TrayAction;
}

const WORDS: Record<ServerState, string> = {
  running: 'running',
  starting: 'starting…',
  stopping: 'stopping…',
  stopped: 'off',
  crashed: 'restarting…',
  'crash-loop': 'keeps crashing',
};

/** The tray menu as data, built from host status: main turns it into an Electron Menu. */
export function trayMenuModel(
  servers: readonly ServerStatus[],
  claude?: ClientStatus,
  prefs: { notifications: boolean } = { notifications: true },
  /** The Home page's one line ("Claude Desktop: using products, 2 min ago"); a click opens Home. */
  summary?: string,
): TrayItem[] {
  const items: TrayItem[] = [];
  if (summary) {
    items.push({ label: summary, action: { type: 'open', page: 'home' } });
    items.push({ label: '', type: 'separator' });
  }
  for (const s of servers) {
    items.push({
      label: `${s.title} — ${s.enabled ? WORDS[s.state] : 'off'}`,
      type: 'checkbox',
      checked: s.enabled,
      action: { type: 'toggle-server', server: s.name, enabled: !s.enabled },
    });
    if (s.state === 'crash-loop') items.push({ label: `Restart ${s.title}`, action: { type: 'restart-server', server: s.name } });
  }
  items.push({ label: '', type: 'separator' });
  items.push({ label: 'Open MCP Tray', action: { type: 'open' } });
  const claudeLabel =
    claude?.state === 'connected'
      ? 'Claude Desktop: connected'
      : claude?.state === 'entry-missing' || claude?.state === 'outdated'
        ? 'Repair Claude Desktop connection'
        : 'Connect to Claude Desktop';
  items.push({
    label: claudeLabel,
    enabled: claude?.state !== 'connected' && claude?.state !== 'error',
    action: { type: 'connect-claude' },
  });
  if (claude?.state === 'error') items.push({ label: 'Claude Desktop config has an error…', action: { type: 'open', page: 'apps' } });
  items.push({ label: '', type: 'separator' });
  items.push({
    label: 'Show notifications',
    type: 'checkbox',
    checked: prefs.notifications,
    action: { type: 'toggle-notifications', enabled: !prefs.notifications },
  });
  items.push({ label: 'Quit MCP Tray', action: { type: 'quit' } });
  return items;
}

export function trayTooltip(servers: readonly ServerStatus[]): string {
  const running = servers.filter((s) => s.state === 'running').length;
  const broken = servers.filter((s) => s.state === 'crash-loop').length;
  return `MCP Tray — ${running} of ${servers.length} servers running${broken ? `, ${broken} need attention` : ''}`;
}

/** A native notification for a change a person should hear about even with the window closed. */
export function notificationFor(
  prev: { servers: Map<ServerName, ServerState>; clients: Map<string, ClientStatus['state']> },
  event:
    | { type: 'server-status'; status: ServerStatus }
    | { type: 'clients'; clients: ClientStatus[] }
    | { type: 'repaired'; client: string; message: string },
  opts: { autoRepair: boolean } = { autoRepair: false },
): Array<{ title: string; body: string }> {
  const out: Array<{ title: string; body: string }> = [];
  if (event.type === 'repaired') {
    // Told once, when the entries were put back: the person only has to restart the app.
    const name = event.client === 'claude-desktop' ? 'Claude Desktop' : event.client;
    out.push({ title: `Restart ${name} to use MCP Tray again`, body: event.message });
  } else if (event.type === 'server-status') {
    const before = prev.servers.get(event.status.name);
    prev.servers.set(event.status.name, event.status.state);
    if (event.status.state === 'crash-loop' && before !== 'crash-loop') {
      out.push({
        title: `${event.status.title} keeps crashing`,
        body: 'MCP Tray stopped restarting it. Open MCP Tray to see why and restart it.',
      });
    }
  } else {
    for (const c of event.clients) {
      const before = prev.clients.get(c.id);
      prev.clients.set(c.id, c.state);
      // With automatic repair on, the 'repaired' notification says it instead (and what to do).
      if (c.state === 'entry-missing' && before !== undefined && before !== 'entry-missing' && !opts.autoRepair) {
        out.push({
          title: `${c.name} dropped MCP Tray`,
          body: `${c.name} rewrote its settings without MCP Tray's servers. Open MCP Tray to repair it.`,
        });
      }
    }
  }
  return out;
}
