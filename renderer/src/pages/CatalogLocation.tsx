import { useState, type FormEvent } from 'react';
import type { CatalogLocation, DatabaseCheck } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData, useHostEvent } from '../hooks';
import { Confirm, Disclosure, Pending, useToast } from '../components/ui';

type Ssl = 'disable' | 'require' | 'verify-full';
interface Fields {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  ssl: Ssl;
}
const EMPTY: Fields = { host: '', port: '5432', database: '', user: '', password: '', ssl: 'disable' };

/** The fields from a postgres:// address (pasted, or the one last used); the host checks it again. */
function fromUrl(raw: string, password = ''): Fields | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return null;
    const mode = u.searchParams.get('sslmode');
    return {
      host: decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1'),
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')),
      user: decodeURIComponent(u.username),
      password: u.password ? decodeURIComponent(u.password) : password,
      ssl: mode === 'require' ? 'require' : mode === 'verify-full' || mode === 'verify-ca' ? 'verify-full' : 'disable',
    };
  } catch {
    return null;
  }
}

const toUrl = (f: Fields) =>
  `postgres://${encodeURIComponent(f.user.trim())}@${f.host.includes(':') ? `[${f.host.trim()}]` : f.host.trim()}:${f.port.trim() || '5432'}/${encodeURIComponent(f.database.trim())}${f.ssl === 'disable' ? '' : `?sslmode=${f.ssl}`}`;

function TextField(p: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  inputMode?: 'numeric';
  autoComplete?: string;
}) {
  return (
    <label className="field">
      {p.label}
      <input
        type="text"
        required={p.required}
        inputMode={p.inputMode}
        autoComplete={p.autoComplete}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
      />
    </label>
  );
}

/** Settings → "Where your catalog lives": this computer, or a team's shared PostgreSQL database. */
export function CatalogLocationCard() {
  const toast = useToast();
  const location = useHostData(
    () => api.getCatalogLocation(),
    (e) => e.type === 'settings',
  );
  const [fields, setFields] = useState<Fields | null>(null);
  const [check, setCheck] = useState<DatabaseCheck | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ phase: 'backup' | 'copying'; done: number; total: number } | null>(null);
  const [confirmDown, setConfirmDown] = useState(false);
  useHostEvent((e) => e.type === 'catalog-progress' && setProgress({ phase: e.phase, done: e.done, total: e.total }));

  if (!location.data) return <Pending state={location} what="where the catalog lives" />;
  const loc: CatalogLocation = location.data;
  const form = fields ?? (loc.url ? (fromUrl(loc.url) ?? EMPTY) : EMPTY);
  const set = (patch: Partial<Fields>) => {
    setFields({ ...form, ...patch });
    setCheck(null);
    setProblem(null);
  };
  const complete = form.host.trim() && form.database.trim() && form.user.trim();

  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setProblem(null);
    setProgress(null);
    try {
      await fn();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };
  const credentials = () => ({ url: toUrl(form), ...(form.password ? { password: form.password } : {}) });
  const test = (e?: FormEvent) => {
    e?.preventDefault();
    void run('Testing the connection…', async () => setCheck(await api.testDatabase(credentials())));
  };
  const moveUp = (copy: boolean) =>
    run(copy ? "Copying this computer's catalog…" : 'Switching to the shared catalog…', async () => {
      const r = await api.useDatabase({ ...credentials(), copy });
      setFields(null);
      setCheck(null);
      location.reload();
      toast('success', `The catalog now lives in the shared database at ${r.where}`);
    });
  const moveDown = (copy: boolean) =>
    run(copy ? 'Copying the shared catalog to this computer…' : "Switching to this computer's catalog…", async () => {
      await api.useLocalCatalog({ copy });
      location.reload();
      toast(
        'success',
        copy ? 'The shared catalog was copied to this computer, which uses it from now on' : "Using this computer's own catalog again",
      );
    });
  const percent = progress && progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;

  return (
    <div className="card" data-testid="catalog-location">
      <h2>Where your catalog lives</h2>
      {loc.engine === 'sqlite' ? (
        <p>
          <strong>This computer</strong> — <code>{loc.where}</code>. Only the AI apps on this computer see it.
        </p>
      ) : (
        <p>
          <strong>Shared database</strong> — <code>{loc.where}</code>. Everyone whose MCP Tray uses this database works on the same catalog,
          and changes reach everyone&apos;s AI apps within a second.
          {loc.searchIndexed === false && (
            <span className="muted">
              {' '}
              Search reads every product: the database does not allow the pg_trgm extension that makes it fast (ask its owner to run CREATE
              EXTENSION pg_trgm).
            </span>
          )}
        </p>
      )}

      {loc.engine === 'postgres' ? (
        <div className="actions">
          <button type="button" disabled={busy !== null} onClick={() => setConfirmDown(true)}>
            Copy the shared catalog to this computer and use it here…
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void moveDown(false)}>
            Use this computer&apos;s own catalog again
          </button>
        </div>
      ) : (
        // For a team, and set up once: out of the way until someone asks for it.
        <Disclosure summary="Share the catalog with a team…" open={check !== null || problem !== null} className="share-catalog">
          <form onSubmit={test} aria-label="Shared database">
            <p className="muted">
              For a team: put the catalog in a PostgreSQL database everyone&apos;s MCP Tray can reach. Ask your provider for its host, port,
              database name, user and password. Activity and settings stay on each computer.
            </p>
            <div className="form-grid">
              <label className="field span-all">
                Paste an address (optional)
                <input
                  type="text"
                  placeholder="postgres://user@db.example.com:5432/shop?sslmode=require"
                  onChange={(e) => {
                    const f = fromUrl(e.target.value, form.password);
                    if (f) set(f);
                  }}
                />
              </label>
              <TextField label="Host" value={form.host} required onChange={(host) => set({ host })} />
              <TextField label="Port" value={form.port} inputMode="numeric" onChange={(port) => set({ port })} />
              <TextField label="Database" value={form.database} required onChange={(database) => set({ database })} />
              <TextField label="User" value={form.user} required autoComplete="username" onChange={(user) => set({ user })} />
              <label className="field">
                Password
                <input
                  type="password"
                  autoComplete="current-password"
                  value={form.password}
                  placeholder={loc.passwordSaved ? 'saved' : ''}
                  onChange={(e) => set({ password: e.target.value })}
                />
              </label>
              <label className="field">
                Encryption (TLS)
                <select value={form.ssl} onChange={(e) => set({ ssl: e.target.value as Ssl })}>
                  <option value="disable">Off (a database on your own network)</option>
                  <option value="require">Required (rented databases)</option>
                  <option value="verify-full">Required, certificate checked</option>
                </select>
              </label>
            </div>
            <p className="muted">The password is kept only in a file on this computer that no other account can read.</p>
            <div className="actions">
              <button type="submit" disabled={!complete || busy !== null}>
                Test connection
              </button>
            </div>
            {check && (
              <div className="ok-box" role="status">
                <p>
                  Connected to <code>{check.where}</code>:{' '}
                  {check.empty
                    ? 'it is empty, ready for your catalog.'
                    : `it has a catalog of ${check.products.toLocaleString()} products.`}
                </p>
                {!check.encrypted && (
                  <p className="warning-text" data-testid="not-encrypted">
                    This connection is not encrypted: anyone on the network between this computer and the database can read the catalog.
                    Over the internet, choose &quot;encrypted&quot; (sslmode=require).
                  </p>
                )}
                <div className="actions">
                  {check.empty ? (
                    <>
                      <button type="button" className="primary" disabled={busy !== null} onClick={() => void moveUp(true)}>
                        Copy this computer&apos;s catalog there and use it
                      </button>
                      <button type="button" disabled={busy !== null} onClick={() => void moveUp(false)}>
                        Start with an empty shared catalog
                      </button>
                    </>
                  ) : (
                    <button type="button" className="primary" disabled={busy !== null} onClick={() => void moveUp(false)}>
                      Use the shared catalog ({check.products.toLocaleString()} products)
                    </button>
                  )}
                </div>
              </div>
            )}
          </form>
        </Disclosure>
      )}
      {busy && (
        <div className="import-progress" role="status">
          <label htmlFor="copy-bar">
            {busy}
            {progress?.phase === 'backup' && ` Keeping a copy of this computer's catalog first… ${percent}%`}
            {progress?.phase === 'copying' && ` ${percent}% (${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} rows)`}
          </label>
          <progress id="copy-bar" max={100} value={progress ? percent : undefined} />
        </div>
      )}
      {problem && (
        <div className="error-box" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <Confirm
        open={confirmDown}
        title="Copy the shared catalog to this computer"
        message="This computer's own catalog is replaced by the shared one (a backup of it is kept in the data folder's backups). From then on, this computer's AI apps use it here, and changes made by the team no longer reach it."
        confirmLabel="Copy and use it here"
        onCancel={() => setConfirmDown(false)}
        onConfirm={() => {
          setConfirmDown(false);
          void moveDown(true);
        }}
      />
    </div>
  );
}
