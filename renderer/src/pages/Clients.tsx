import { useState } from 'react';
import type { Backup, ClientStatus } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData } from '../hooks';
import { Pending, StatusPill, useToast } from '../components/ui';
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
      {clients.data && (
        <ul className="plain client-list">
          {clients.data.map((c) => (
            <ClientRow key={c.id} client={c} />
          ))}
        </ul>
      )}
      <ConnectionsList />
    </section>
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
      toast('success', r.message);
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
      {client.detail && <p className={client.state === 'error' ? 'error-text' : 'warn-text'}>{client.detail}</p>}
      <p className="next-step">
        <strong>Next:</strong> {message ?? client.nextStep}
      </p>
      <div className="row">
        {!connected && client.state !== 'error' && (
          <button type="button" className="primary" disabled={busy} onClick={() => run(() => api.connectClient({ client: client.id }))}>
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
                    {new Date(b.at).toLocaleString()} ({b.size} bytes)
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
      <details>
        <summary>{connected ? 'The entries written' : 'The entries Connect writes'}</summary>
        <pre className="entry" tabIndex={0}>
          {JSON.stringify(connected ? client.entries : client.expected, null, 2)}
        </pre>
      </details>
    </li>
  );
}
