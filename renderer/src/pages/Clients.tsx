import { useEffect, useState } from 'react';
import type { Backup, CheckReport, ClientStatus, ServerName } from '../../../electron/core/contract';

type ConfigProblem = NonNullable<ClientStatus['problem']>;
import { download } from '../download';
import { api } from '../host';
import { useHostData } from '../hooks';
import { Disclosure, Pending, StatusPill, useToast } from '../components/ui';
import { ConnectionsList } from './Servers';

export function ClientsPage() {
  const clients = useHostData(
    () => api.listClients(),
    (e) => e.type === 'clients' || e.type === 'settings',
  );
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title">Apps</h1>
      <p className="lead">
        Connect MCP Tray to the AI apps you use. Only MCP Tray&apos;s own entries are ever changed; a backup is kept of every change.
      </p>
      {!clients.data && <Pending state={clients} what="apps" />}
      {clients.data && <AppLists clients={clients.data} reload={clients.reload} />}
      <Checks />
      <ConnectionsList />
    </section>
  );
}

/** The apps found on this computer first, with one action to connect them all; the others under "Other apps". */
function AppLists({ clients, reload }: { clients: ClientStatus[]; reload: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const found = clients.filter((c) => c.state !== 'not-installed');
  const other = clients.filter((c) => c.state === 'not-installed');
  const waiting = found.filter((c) => c.state === 'not-connected');
  const connectAll = async () => {
    setBusy(true);
    const done: string[] = [];
    for (const c of waiting) {
      try {
        await api.connectClient({ client: c.id });
        done.push(c.name);
      } catch (err) {
        toast('error', `${c.name}: ${(err as Error).message}`);
      }
    }
    setBusy(false);
    reload();
    if (done.length) toast('success', `Connected ${done.join(', ')}. Restart each to see MCP Tray's servers.`);
  };
  return (
    <>
      {found.length > 0 && (
        <section aria-labelledby="found-apps-title">
          <header className="card-head">
            <h2 id="found-apps-title">On this computer</h2>
            {waiting.length > 1 && (
              <button type="button" className="primary" disabled={busy} onClick={() => void connectAll()}>
                {busy ? 'Connecting…' : `Connect all ${waiting.length} found apps`}
              </button>
            )}
          </header>
          <ul className="plain client-list">
            {found.map((c) => (
              <ClientRow key={c.id} client={c} />
            ))}
          </ul>
        </section>
      )}
      {other.length > 0 && (
        <Disclosure summary={`Other apps (${other.length}): not found on this computer`} open={found.length === 0} className="other-apps">
          <ul className="plain client-list">
            {other.map((c) => (
              <ClientRow key={c.id} client={c} />
            ))}
          </ul>
        </Disclosure>
      )}
    </>
  );
}

/** Lines of a file with their numbers; the `mark`ed one flagged (and the column pointed at). */
function Lines({ lines, mark, column, label }: { lines: ConfigProblem['excerpt']; mark?: number; column?: number; label: string }) {
  return (
    <pre className="file-lines" aria-label={label} tabIndex={0}>
      {lines.map((l) => (
        <span key={l.n} className={l.n === mark ? 'marked' : undefined} data-line={l.n}>
          <span className="line-no" aria-hidden="true">
            {String(l.n).padStart(4)}
          </span>
          {l.n === mark ? '▶ ' : '  '}
          {l.text}
          {'\n'}
          {l.n === mark && column !== undefined && (
            <span className="caret" aria-hidden="true">
              {' '.repeat(4 + 2 + column - 1)}^{'\n'}
            </span>
          )}
        </span>
      ))}
    </pre>
  );
}

/** A config that does not read: where it breaks, shown; the sure fix offered with the lines after it. */
function BrokenConfig({
  problem,
  busy,
  onFix,
  onShowBackups,
}: {
  problem: ConfigProblem;
  busy: boolean;
  onFix: () => void;
  onShowBackups: () => void;
}) {
  return (
    <div className="broken-config">
      <p className="error-text">
        The file does not read at line {problem.line}, column {problem.column}: {problem.reason}. It was left exactly as it is.
      </p>
      <Lines lines={problem.excerpt} mark={problem.line} column={problem.column} label={`The file around line ${problem.line}`} />
      {problem.fix ? (
        <>
          <p>
            <strong>MCP Tray can fix this:</strong> {problem.fix.description}. After the fix:
          </p>
          <Lines lines={problem.fix.excerpt} label="The same lines after the fix" />
          <div className="row">
            <button type="button" className="primary" disabled={busy} onClick={onFix}>
              Fix it (a backup is kept)
            </button>
          </div>
        </>
      ) : (
        <p className="muted">
          There is no one sure fix: change the file at the marked place in a text editor, or{' '}
          <button type="button" className="link" onClick={onShowBackups}>
            restore a backup
          </button>
          .
        </p>
      )}
    </div>
  );
}

/** The same checks as `mcp-tray doctor`: one source in the host core. */
function Checks() {
  const [report, setReport] = useState<CheckReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    api.runChecks({}).then(
      (r) => {
        setReport(r);
        setBusy(false);
      },
      (e: Error) => {
        setError(e.message);
        setBusy(false);
      },
    );
  };
  useEffect(run, []);
  return (
    <section aria-labelledby="checks-title" className="card checks">
      <header className="card-head">
        <h2 id="checks-title">Checks</h2>
        <button type="button" disabled={busy} onClick={run}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <p className="muted">
        What a support person would look at: the data, each server started the way Claude starts it, every app’s settings and Claude’s own
        log. The same checks run with <code>mcp-tray doctor</code>.
      </p>
      {error && <p className="error-text">{error}</p>}
      {!report && !error && <p role="status">Running the checks…</p>}
      {report && (
        <ul className="plain check-list" aria-busy={busy}>
          {report.checks.map((c) => (
            <li key={c.id} data-check={c.id} data-ok={c.ok}>
              <span className={c.ok ? 'ok-text' : 'error-text'} aria-hidden="true">
                {c.ok ? '✓' : '✗'}
              </span>{' '}
              <strong>{c.title}</strong>
              <span className="sr-only">{c.ok ? ' — passed' : ' — failed'}</span>: <span className="check-detail">{c.detail}</span>
              {!c.ok && c.next && (
                <p className="next-step">
                  <strong>Next:</strong> {c.next}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What Claude Desktop's own log says about each of our servers. */
function ClaudeSays() {
  const logs = useHostData(
    () => api.getClaudeLogs(),
    (e) => e.type === 'claude-logs',
  );
  if (!logs.data) return null;
  if (!logs.data.found) return <p className="muted">Claude Desktop has not written a log on this computer yet.</p>;
  return (
    <ul className="plain claude-says">
      {logs.data.servers.map((s) => (
        <li key={s.entry} data-entry={s.entry} data-state={s.state}>
          <strong>{s.title}</strong>:{' '}
          {s.problem ? (
            <span className="error-text">
              Claude can’t start it — “{s.problem.quote}”. {s.problem.meaning} <strong>Next:</strong> {s.problem.next}
            </span>
          ) : s.state === 'ok' ? (
            `Claude started it and it answered (${new Date(s.lastOkAt!).toLocaleString()}).`
          ) : s.state === 'stopped' ? (
            'Claude stopped it (Claude was quit, or the server switched off).'
          ) : s.state === 'starting' ? (
            'Claude is starting it.'
          ) : (
            'Claude has not started it yet.'
          )}
        </li>
      ))}
    </ul>
  );
}

function ClientRow({ client }: { client: ClientStatus }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [backups, setBackups] = useState<Backup[] | null>(null);
  const run = async (fn: () => Promise<{ message: string }>) => {
    setBusy(true);
    try {
      const r = await fn();
      setMessage(r.message);
      // The card says it all (its Next line); the notice only what happened, once.
      toast('success', r.message.split(/(?<=\.) Next: /)[0]!.split(/(?<=\.) (?=[A-Z])/)[0]!);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const connected = client.state === 'connected';
  const repair = client.state === 'outdated' || client.state === 'entry-missing';
  return (
    <li className="card client" data-client={client.id}>
      <header className="card-head">
        <h2>{client.name}</h2>
        <StatusPill state={client.state} kind="client" />
      </header>
      <p className="path">
        <code>{client.configPath}</code>
      </p>
      {client.detail && !client.problem && <p className={client.state === 'error' ? 'error-text' : 'warn-text'}>{client.detail}</p>}
      {client.problem && (
        <BrokenConfig
          problem={client.problem}
          busy={busy}
          onFix={() => run(() => api.fixConfig({ client: client.id }))}
          onShowBackups={() => void api.listBackups({ client: client.id }).then(setBackups, (e: Error) => toast('error', e.message))}
        />
      )}
      <p className="next-step">
        <strong>Next:</strong> {message ?? client.nextStep}
      </p>
      {client.id === 'claude-desktop' && client.state !== 'not-installed' && (
        <Disclosure summary="What Claude Desktop’s log says" open={Object.keys(client.entries).length > 0 || client.extensions.length > 0}>
          <ClaudeSays />
        </Disclosure>
      )}
      {client.id === 'claude-desktop' && client.state !== 'error' && <ClaudeRoute client={client} />}
      <div className="row">
        {!connected && client.state !== 'error' && (
          <button
            type="button"
            className="primary"
            aria-label={`${repair ? 'Repair' : 'Connect'} ${client.name}`}
            disabled={busy}
            onClick={() => run(() => api.connectClient({ client: client.id }))}
          >
            {repair ? 'Repair' : 'Connect'}
          </button>
        )}
        {(connected || repair) && (
          <button type="button" disabled={busy} onClick={() => run(() => api.disconnectClient({ client: client.id }))}>
            Disconnect
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => void api.listBackups({ client: client.id }).then(setBackups, (e: Error) => toast('error', e.message))}
        >
          Backups…
        </button>
      </div>
      {client.id === 'claude-desktop' && <ClaudeExtensions client={client} />}
      {backups && (
        <div className="backups">
          {backups.length === 0 ? (
            <p className="muted">No backups yet: one is made before every change MCP Tray writes.</p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const name = String(new FormData(e.currentTarget).get('backup'));
                void run(() => api.restoreBackup({ client: client.id, backup: name }));
              }}
            >
              <label htmlFor={`bk-${client.id}`}>Restore the file as it was</label>{' '}
              <select id={`bk-${client.id}`} name="backup">
                {backups.map((b) => (
                  <option key={b.file} value={b.file}>
                    {b.label}, {new Date(b.at).toLocaleString()}: restoring it {b.restoring}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" disabled={busy}>
                Restore
              </button>
            </form>
          )}
        </div>
      )}
      {client.installLinks.length > 0 && (
        <details className="other-way">
          <summary>Other way: add through {client.name} itself</summary>
          <p className="muted">
            {client.name} can add a server from an install link: it asks you, then writes the same entry. Use this or Connect, not both (the
            tools would show twice).
          </p>
          <ul className="plain">
            {client.installLinks.map((l) => (
              <li key={l.server}>
                <a href={l.url}>
                  Add {l.server} to {client.name}
                </a>
              </li>
            ))}
          </ul>
        </details>
      )}
      <details>
        <summary>{connected ? 'The entries written' : 'The entries Connect writes'}</summary>
        <pre className="entry" tabIndex={0}>
          {JSON.stringify(connected ? client.entries : client.expected, null, 2)}
        </pre>
      </details>
    </li>
  );
}

/**
 * Which way into Claude Desktop MCP Tray recommends, and why, in one sentence; servers that run
 * the other way (installed as extensions) named, with how to switch them back.
 */
function ClaudeRoute({ client }: { client: ClientStatus }) {
  const state = useHostData(
    () => api.getState(),
    (e) => e.type === 'settings',
  );
  const titles = client.extensions.map((s) => state.data?.servers.find((x) => x.name === s)?.title ?? s);
  return (
    <div className="recommend" data-testid="claude-route">
      {client.extensions.length === 0 ? (
        <p>
          <strong>Recommended: Connect.</strong> One click, nothing to confirm in Claude, and MCP Tray puts its entries back if Claude
          Desktop rewrites its settings.
        </p>
      ) : (
        <p>
          <strong>{titles.join(' and ')}</strong> {titles.length === 1 ? 'runs' : 'run'} as a Claude extension (Claude Desktop → Settings →
          Extensions). To use Connect instead, remove the extension there: MCP Tray then adds the entry.
        </p>
      )}
    </div>
  );
}

/** The second route into Claude Desktop: its own extension format, installed by Claude itself. */
function ClaudeExtensions({ client }: { client: ClientStatus }) {
  const toast = useToast();
  const ext = useHostData(
    () => api.getExtensions(),
    (e) => e.type === 'clients' || e.type === 'settings' || e.type === 'claude-logs',
  );
  const state = useHostData(
    () => api.getState(),
    (e) => e.type === 'settings',
  );
  const [busy, setBusy] = useState(false);
  if (!ext.data || !state.data) return null;
  const servers = state.data.servers.filter((s) => s.enabled);
  const installed = (s: ServerName) => ext.data!.installed.find((i) => i.server === s && i.enabled !== false);
  const install = async (server: ServerName, title: string) => {
    setBusy(true);
    try {
      if (ext.data!.canOpen) toast('success', (await api.installExtension({ server })).message);
      else {
        const f = await api.getExtensionFile({ server });
        download(f.name, { base64: f.base64 }, 'application/zip');
        toast('success', `${f.name} downloaded: open it to install ${title} in Claude Desktop.`);
      }
      ext.reload();
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Disclosure className="extensions" summary="Other way: install as Claude extensions" open={ext.data.conflicts.length > 0}>
      <p className="muted">
        Claude Desktop installs each server itself (it asks you first) and lists it under Settings → Extensions with an on/off switch. It
        replaces Connect for that server: once Claude has installed it, MCP Tray removes the server&apos;s entry from the settings file, so
        Claude does not show every tool twice. The extension runs this MCP Tray, so keep MCP Tray installed.
      </p>
      {ext.data.conflicts.length > 0 && (
        <div className="warn-box" role="alert" data-testid="both-routes">
          <p>
            {ext.data.conflicts.map((c) => state.data!.servers.find((s) => s.name === c)?.title ?? c).join(' and ')}{' '}
            {ext.data.conflicts.length === 1 ? 'is' : 'are'} both in {client.name}&apos;s settings file and installed as a Claude extension,
            so Claude shows every tool twice.
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              api.connectClient({ client: 'claude-desktop' }).then(
                (r) => {
                  toast('success', `Removed the config entries of the servers installed as extensions. ${r.status.nextStep}`);
                  setBusy(false);
                  ext.reload();
                },
                (e: Error) => {
                  toast('error', e.message);
                  setBusy(false);
                },
              );
            }}
          >
            Remove the config entries
          </button>
        </div>
      )}
      <ul className="plain">
        {servers.map((s) => {
          const inst = installed(s.name);
          return (
            <li key={s.name} className="row" data-extension={s.name}>
              <span>
                <strong>{s.title}</strong>:{' '}
                {inst ? `installed in Claude Desktop${inst.version ? ` (version ${inst.version})` : ''}` : 'not installed as an extension'}
              </span>
              <button type="button" disabled={busy} onClick={() => void install(s.name, s.title)}>
                {inst ? 'Reinstall' : 'Install'} {s.title} as Claude extension
              </button>
            </li>
          );
        })}
      </ul>
    </Disclosure>
  );
}
