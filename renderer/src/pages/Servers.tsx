import { useEffect, useRef, useState } from 'react';
import type { LogLine, ServerName, ServerStatus, ToolInfo, ToolSwitch } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData, useHostEvent, useNow } from '../hooks';
import { duration, ago } from '../format';
import { Pending, StatusPill, Switch, useToast } from '../components/ui';
import { TryIt } from '../components/TryIt';
import { mergeSnapshot, withEvent } from '../status';

export function ServersPage() {
  const state = useHostData(
    () => api.getState(),
    (e) => e.type === 'settings',
  );
  const [servers, setServers] = useState<ServerStatus[]>([]);
  useEffect(() => setServers((shown) => mergeSnapshot(shown, state.data?.servers ?? [])), [state.data]);
  useHostEvent((e) => {
    if (e.type === 'server-status') setServers((shown) => withEvent(shown, e.status));
  });
  if (!state.data) return <Pending state={state} what="servers" />;
  return (
    <section aria-labelledby="servers-title">
      <h1 id="servers-title">Servers</h1>
      <p className="lead">The MCP servers MCP Tray runs for you. Switch one off and no app can use it.</p>
      <div className="cards">
        {servers.map((s) => (
          <ServerCard key={s.name} server={s} switches={state.data!.tools[s.name]} />
        ))}
      </div>
      <ConnectionsList />
    </section>
  );
}

function ServerCard({ server, switches }: { server: ServerStatus; switches: ToolSwitch[] }) {
  const toast = useToast();
  const now = useNow(1000);
  const [busy, setBusy] = useState(false);
  const [tool, setTool] = useState<ToolInfo | null>(null);
  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await fn();
      if (done) toast('success', done);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const retryIn = server.nextRestartAt ? Math.max(0, Math.ceil((Date.parse(server.nextRestartAt) - now) / 1000)) : null;
  return (
    <article className="card server-card" aria-labelledby={`srv-${server.name}`} data-server={server.name}>
      <header className="card-head">
        <h2 id={`srv-${server.name}`}>{server.title}</h2>
        <StatusPill state={server.state} kind="server" />
      </header>
      <div className="row">
        <Switch
          label={server.enabled ? 'On' : 'Off'}
          name={`${server.title} server`}
          checked={server.enabled}
          disabled={busy}
          onChange={(enabled) =>
            act(() => api.setServerEnabled({ server: server.name, enabled }), `${server.title} switched ${enabled ? 'on' : 'off'}`)
          }
        />
        <button
          type="button"
          disabled={busy || !server.enabled}
          onClick={() => act(() => api.restartServer({ server: server.name }), `${server.title} restarted`)}
        >
          Restart
        </button>
      </div>
      <p className="server-summary">{inWords(server, now, retryIn)}</p>
      {server.lastError && <p className="error-text">Last problem: {server.lastError}</p>}
      {server.state === 'crash-loop' && (
        <p className="warn-box">
          This server crashed {server.crashesInWindow} times in a minute, so MCP Tray stopped restarting it. Check the log under Details,
          then press Restart.
        </p>
      )}
      <details>
        <summary>
          What AI apps can do: {switches.filter((t) => t.on).length} of {switches.length} tools on
        </summary>
        <ul className="plain tool-list">
          {switches.map((t) => {
            const listed = server.tools.find((x) => x.name === t.name);
            return (
              <li key={t.name} data-tool={t.name}>
                <Switch
                  label={t.title}
                  checked={t.on}
                  disabled={busy || t.blockedBy !== null}
                  onChange={(enabled) =>
                    act(
                      () => api.setToolEnabled({ server: server.name, tool: t.name, enabled }),
                      `${t.title} ${enabled ? 'is offered to AI apps again' : 'is no longer offered to AI apps'}`,
                    )
                  }
                />
                <span className="tool-desc">
                  {t.readOnly ? <span className="tag">only reads</span> : <span className="tag tag-warn">changes data</span>}
                  {t.blockedBy === 'allowWrites' && (
                    <span className="muted"> — off: “Allow AI to change the catalog” is off in Settings</span>
                  )}
                </span>
                {listed && (
                  <button type="button" className="link" onClick={() => setTool(listed)} aria-label={`Try it: ${t.title}`}>
                    Try it
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </details>
      <details className="server-details">
        <summary>Details for developers</summary>
        <dl className="facts">
          <dt>Process</dt>
          <dd>{server.pid ? `pid ${server.pid}, up ${duration(server.startedAt, now)}` : '—'}</dd>
          <dt>Restarts</dt>
          <dd>{server.restarts}</dd>
        </dl>
        <h3>Tools</h3>
        <ul className="plain">
          {switches.map((t) => (
            <li key={t.name}>
              <code>{t.name}</code> — {t.title}
            </li>
          ))}
        </ul>
        <h3>Resources and prompts</h3>
        <ul className="plain">
          {server.resources.map((r) => (
            <li key={r.uri}>
              <code>{r.uri}</code> {r.title ?? r.name}
            </li>
          ))}
          {server.resourceTemplates.map((r) => (
            <li key={r.uriTemplate}>
              <code>{r.uriTemplate}</code> {r.title ?? r.name}
            </li>
          ))}
          {server.prompts.map((p) => (
            <li key={p.name}>
              prompt <code>{p.name}</code> — {p.title ?? p.description}
            </li>
          ))}
        </ul>
        <LogView server={server} />
      </details>
      {tool && <TryIt server={server.name} tool={tool} onClose={() => setTool(null)} />}
    </article>
  );
}

/** "Running for 5 min", "Stopped", "Crashed — trying again in 3 s": the server's state in words. */
function inWords(server: ServerStatus, now: number, retryIn: number | null): string {
  const restarts = server.restarts > 0 ? ` It restarted ${server.restarts} ${server.restarts === 1 ? 'time' : 'times'} after a crash.` : '';
  if (server.state === 'running') return `Running for ${duration(server.startedAt, now)}.${restarts}`;
  if (!server.enabled) return 'Switched off: no app can use it.';
  if (retryIn !== null) return `Stopped after a crash; trying again in ${retryIn} s.`;
  if (server.state === 'starting') return 'Starting…';
  return `Not running.${restarts}`;
}

function LogView({ server }: { server: ServerStatus }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    void api.getLogs({ server: server.name, limit: 200 }).then(setLines, () => {});
  }, [server.name]);
  useHostEvent((e) => {
    if (e.type === 'server-log' && e.line.server === server.name) setLines((l) => [...l.slice(-199), e.line]);
  });
  useEffect(() => {
    const b = box.current;
    if (b && b.scrollHeight - b.scrollTop - b.clientHeight < 80) b.scrollTop = b.scrollHeight;
  }, [lines]);
  return (
    <details>
      <summary>Log ({lines.length} recent lines)</summary>
      <pre ref={box} className="log" tabIndex={0} aria-label={`${server.title} log`}>
        {lines.length === 0
          ? 'Nothing logged yet.'
          : lines.map((l) => `${l.at.slice(11, 19)} ${l.stream === 'host' ? '[tray] ' : ''}${l.text}`).join('\n')}
      </pre>
    </details>
  );
}

export function ConnectionsList() {
  const now = useNow();
  const activity = useHostData(
    () => api.getActivity({ limit: 20 }),
    (e) => e.type === 'activity' || e.type === 'server-status',
  );
  // Servers and tools by the names the window shows them with (their ids are for developers).
  const state = useHostData(
    () => api.getState(),
    (e) => e.type === 'settings',
  );
  if (!activity.data) return <Pending state={activity} what="connections" />;
  const { connections, calls } = activity.data;
  const serverTitle = (s: string) => state.data?.servers.find((x) => x.name === s)?.title ?? s;
  const toolTitle = (s: string, t: string) => state.data?.tools[s as ServerName]?.find((x) => x.name === t)?.title ?? t;
  const lastCall = (server: string, client: string) => calls.find((c) => c.server === server && c.client === client);
  const apps = connections.filter((c) => !c.ownInstance);
  return (
    <section aria-labelledby="live-title" className="card">
      <h2 id="live-title">Live connections</h2>
      {apps.length === 0 ? (
        <p className="muted">No app is using the servers right now. Once an app like Claude Desktop starts them, it shows here.</p>
      ) : (
        <ul className="plain">
          {apps.map((c) => {
            const call = lastCall(c.server, c.client);
            return (
              <li key={c.instanceId}>
                <strong>{c.client}</strong> is using <strong>{serverTitle(c.server)}</strong>
                {c.era && (
                  <span className="tag" title={c.era === 'modern' ? 'Protocol revision 2026-07-28' : 'Protocol revisions of 2025'}>
                    {c.era === 'modern' ? 'MCP 2026' : 'MCP 2025'}
                  </span>
                )}{' '}
                — last asked {call ? `${ago(call.at, now)} (${toolTitle(c.server, call.tool)})` : 'nothing yet'}
              </li>
            );
          })}
        </ul>
      )}
      <h3>Recent tool calls</h3>
      {calls.length === 0 ? (
        <p className="muted">No tool calls yet.</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">App</th>
              <th scope="col">Server</th>
              <th scope="col">Tool</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {calls.slice(0, 10).map((c) => (
              <tr key={c.id}>
                <td>{ago(c.at, now)}</td>
                <td>{c.client}</td>
                <td>{serverTitle(c.server)}</td>
                <td title={c.tool}>{toolTitle(c.server, c.tool)}</td>
                <td>{c.ok ? `ok, ${c.durationMs.toFixed(1)} ms` : <span className="error-text">{c.error}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
