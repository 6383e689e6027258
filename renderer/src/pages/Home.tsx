import { useEffect, useState } from 'react';
import type { ClaudeLogEntry, SetupStatus, SetupStep } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData, useNow } from '../hooks';
import { ago } from '../format';
import { CopyButton, Pending, useToast } from '../components/ui';

const RELOAD_ON = new Set(['clients', 'settings', 'activity', 'claude-logs', 'server-status', 'data-changed', 'repaired']);

/** The first page: a live checklist from "your data" to "Claude is using it", from real signals only. */
export function HomePage() {
  const setup = useHostData(
    () => api.getSetup(),
    (e) => RELOAD_ON.has(e.type),
  );
  // "2 min ago" ages without any event.
  const now = useNow(30_000);
  const { reload } = setup;
  useEffect(reload, [Math.floor(now / 30_000), reload]);
  if (!setup.data) return <Pending state={setup} what="your setup" />;
  const s = setup.data;
  // Ours by either route: config entries, or installed as an extension.
  const failing = s.claudeLogs.servers.filter((e) => e.problem && (e.entry in s.claude.entries || s.claude.extensions.includes(e.server)));
  const steps = <Checklist setup={s} now={now} />;
  return (
    <section aria-labelledby="home-title" className="home">
      <h1 id="home-title">Home</h1>
      {s.ok && failing.length === 0 ? (
        <p className="all-good" role="status" data-testid="summary">
          <span aria-hidden="true">✓</span> Everything works. {s.summary.replace(/^Claude Desktop: /, 'Claude Desktop is ')}.
        </p>
      ) : (
        <p className="lead" data-testid="summary">
          From your data to Claude answering from it, in five steps. Each step turns green by itself when it is done.
        </p>
      )}
      {s.repaired && (
        <p className="warn-box" role="alert">
          {s.repaired.client} dropped MCP Tray’s servers from its settings {ago(s.repaired.at, now)}; they were put back. Quit{' '}
          {s.repaired.client} completely and open it again to see them.
        </p>
      )}
      {failing.map((f) => (
        <ClaudeProblem key={f.entry} entry={f} />
      ))}
      {s.ok && failing.length === 0 ? (
        <details>
          <summary>Show the steps</summary>
          {steps}
        </details>
      ) : (
        steps
      )}
    </section>
  );
}

/** Claude's own words about a server it could not start, and what they mean. */
function ClaudeProblem({ entry }: { entry: ClaudeLogEntry }) {
  const p = entry.problem!;
  return (
    <div className="error-box claude-problem" role="alert" data-entry={entry.entry}>
      <p>
        <strong>Claude Desktop can’t start {entry.title}.</strong> Its log ({p.file}, {new Date(p.at).toLocaleString()}) says:
      </p>
      <blockquote>
        <code>{p.quote}</code>
      </blockquote>
      <p>{p.meaning}</p>
      <p>
        <strong>Next:</strong> {p.next}
      </p>
      {p.context.length > 0 && (
        <details>
          <summary>Claude’s other lines about this start</summary>
          <pre className="log" tabIndex={0}>
            {p.context.join('\n')}
          </pre>
        </details>
      )}
    </div>
  );
}

const MARK: Record<SetupStep['state'], string> = { done: '✓', todo: '', waiting: '', problem: '!' };

function Checklist({ setup, now }: { setup: SetupStatus; now: number }) {
  return (
    <ol className="checklist">
      {setup.steps.map((step, i) => (
        <li key={step.id} data-step={step.id} data-state={step.state} className={`step step-${step.state}`}>
          <span className="step-mark" aria-hidden="true">
            {MARK[step.state] || i + 1}
          </span>
          <div className="step-body">
            <h2>
              {step.title}
              <span className="sr-only">
                {' '}
                — {step.state === 'done' ? 'done' : step.state === 'problem' ? 'needs attention' : 'not yet'}
              </span>
            </h2>
            <p>{step.detail}</p>
            <StepActions step={step} setup={setup} now={now} />
          </div>
        </li>
      ))}
    </ol>
  );
}

function StepActions({ step, setup }: { step: SetupStep; setup: SetupStatus; now: number }) {
  switch (step.id) {
    case 'data':
      return (
        <p className="row">
          {setup.data.samples && <a href="#/catalog/import">Replace the samples with my products</a>}
          <a href="#/catalog">Edit the catalog</a>
          <a href="#/weather">Edit the cities</a>
          <a href="#/servers">Servers</a>
        </p>
      );
    case 'connect':
      return step.state === 'done' ? null : <ConnectClaude setup={setup} />;
    case 'restart':
      return step.state === 'todo' ? <p className="how">{setup.restartHow}</p> : null;
    case 'try':
      return setup.examples.length ? (
        <ul className="plain examples">
          {setup.examples.map((ex) => (
            <li key={ex}>
              <q>{ex}</q> <CopyButton text={ex} label="Copy" name={`Copy “${ex}”`} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Switch a server on to get example requests.</p>
      );
    default:
      return null;
  }
}

/** The big Connect button, with a warning first when the app runs from a place that will not last. */
function ConnectClaude({ setup }: { setup: SetupStatus }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [anyway, setAnyway] = useState(false);
  const repair = setup.claude.state === 'outdated' || setup.claude.state === 'entry-missing';
  const run = async (fn: () => Promise<{ message: string }>) => {
    setBusy(true);
    try {
      toast('success', (await fn()).message);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (setup.claude.state === 'error') {
    return (
      <p>
        <a href="#/apps">Open the Apps page</a> to see where the file breaks, or restore a backup.
      </p>
    );
  }
  if (setup.install.temporary && !anyway) {
    return (
      <div className="warn-box" data-testid="temporary-location">
        <p>
          <strong>Before you connect:</strong> {setup.install.temporary} Claude would not find MCP Tray there later.
        </p>
        <div className="row">
          {setup.install.canMove && (
            <button type="button" className="primary" disabled={busy} onClick={() => void run(() => api.moveApp())}>
              Move to Applications
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => setAnyway(true)}>
            Connect anyway
          </button>
        </div>
      </div>
    );
  }
  return (
    <button
      type="button"
      className="primary big"
      disabled={busy}
      onClick={() => void run(() => api.connectClient({ client: 'claude-desktop' }))}
    >
      {busy ? 'Connecting…' : repair ? 'Repair Claude Desktop' : 'Connect Claude Desktop'}
    </button>
  );
}
