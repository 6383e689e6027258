/** The servers area's handlers (api/servers.ts has its methods' schemas and results). */
import { friendlyClientName } from '../../../servers/shared/clients.js';
import { HostError } from '../errors.js';
import type { HostParts } from '../parts.js';
import { SERVER_NAMES, SERVER_TITLES, type AreaHandlers } from '../api/common.js';
import { type schemas, type Results } from '../api/servers.js';

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  return {
    setServerEnabled: async ({ server, enabled }) => p.setServerEnabled(server, enabled),
    restartServer: async ({ server }) => {
      await p.servers()[server].restart();
      return p.servers()[server].status();
    },
    getLogs: async ({ server, limit }) => p.servers()[server].log.lines(limit),
    callTool: async ({ server, tool, args }) => p.servers()[server].callTool(tool, args),
    setToolEnabled: async ({ server, tool, enabled }) => {
      const known = p.toolSwitches()[server].find((t) => t.name === tool);
      if (!known) throw new HostError(`${SERVER_TITLES[server]} has no tool named ${tool}`, 'not_found');
      const before = p.settings.get();
      // Read-merge-write under the settings lock: a switch flipped in another window is kept.
      const after = await p.settings.mutate((s) => {
        const off = s.servers[server].disabledTools.filter((t) => t !== tool);
        return { servers: { [server]: { disabledTools: enabled ? off : [...off, tool] } } };
      });
      await p.followSettings(before, after);
      return after;
    },
    getActivity: async ({ limit }) => {
      const servers = p.servers();
      const own = new Set(SERVER_NAMES.map((n) => servers[n].status().pid).filter((pid): pid is number => pid !== null));
      const activity = p.activity().reader;
      return {
        connections: activity.liveConnections().map((c) => ({
          instanceId: c.instanceId,
          server: c.server,
          client: friendlyClientName(c.clientName ?? undefined),
          clientVersion: c.clientVersion,
          pid: c.pid,
          startedAt: c.startedAt,
          lastActive: c.lastActive,
          // Ours: the servers MCP Tray runs, its own checks (doctor's probe), and an instance that has
          // not said who started it yet (no initialize: shown as "Unknown client" on first run).
          ownInstance: own.has(c.pid) || c.clientName === 'mcp-tray-doctor' || c.clientName === null,
          era: c.era,
        })),
        calls: activity.recentCalls(limit ?? 50).map((c) => ({
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
