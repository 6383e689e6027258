import { api } from '../host';
import { useHostData } from '../hooks';
import { CopyButton, Pending, Switch, useToast } from '../components/ui';
import { CatalogLocationCard } from './CatalogLocation';

export function SettingsPage() {
  const toast = useToast();
  const state = useHostData(
    () => api.getState(),
    (e) => e.type === 'settings',
  );
  if (!state.data) return <Pending state={state} what="settings" />;
  const { settings, dataDir, http, shell } = state.data;
  const save = async (patch: Parameters<typeof api.updateSettings>[0], done: string) => {
    try {
      await api.updateSettings(patch);
      toast('success', done);
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <div className="card">
        <h2>Your data</h2>
        <p>
          Everything MCP Tray keeps (catalog, cities, logs, backups) is in <code>{dataDir}</code>{' '}
          <CopyButton text={dataDir} label="Copy path" />
        </p>
        <p>
          <button
            type="button"
            onClick={() =>
              void api.backupData().then(
                (r) => toast('success', `Backed up to ${r.folder}`),
                (e: Error) => toast('error', e.message),
              )
            }
          >
            Back up the catalog and cities now
          </button>{' '}
          <span className="muted">A copy is also made before every CSV import; the newest ten are kept.</span>
        </p>
      </div>
      <CatalogLocationCard />
      <div className="card">
        <h2>Low stock</h2>
        <LowStock value={settings.stock.lowBelow} save={save} />
        <p className="muted">
          One line for the catalog&apos;s Low filter, the Low badges Claude shows in the catalog view, and the restock report.
        </p>
      </div>
      <div className="card">
        <h2>What AI apps may do</h2>
        <Switch
          label="Allow AI to change the catalog (add, edit, delete products)"
          checked={settings.servers.products.allowWrites}
          onChange={(v) =>
            save(
              { servers: { products: { allowWrites: v } } },
              v ? 'AI apps may now change the catalog' : 'AI apps can now only read the catalog',
            )
          }
        />
        <p className="muted">
          When off, the tools that change the catalog are not offered to AI apps at all. Single tools can be switched off on the{' '}
          <a href="#/servers">Servers</a> page.
        </p>
        <Switch
          label="Repair app connections automatically"
          checked={settings.clients.autoRepair}
          onChange={(v) =>
            save({ clients: { autoRepair: v } }, v ? 'Connections will be repaired automatically' : 'Automatic repair is off')
          }
        />
        <p className="muted">
          Claude Desktop rewrites its settings when it starts or updates and can drop MCP Tray&apos;s entries; with this on, MCP Tray puts
          them back at once and tells you to restart the app.
        </p>
      </div>
      <div className="card">
        <h2>HTTP endpoint (for apps that speak MCP over HTTP)</h2>
        <Switch
          label="Serve the servers on this computer over HTTP"
          checked={settings.http.enabled}
          onChange={(v) => save({ http: { enabled: v } }, v ? 'HTTP endpoint on' : 'HTTP endpoint off')}
        />
        {http && (
          <dl className="facts">
            <dt>Products</dt>
            <dd>
              <code>{http.url}/products</code> <CopyButton text={`${http.url}/products`} name="Copy the products address" />
            </dd>
            <dt>Weather</dt>
            <dd>
              <code>{http.url}/weather</code> <CopyButton text={`${http.url}/weather`} name="Copy the weather address" />
            </dd>
            <dt>Token</dt>
            <dd>
              <code className="secret">{http.token.slice(0, 4)}••••••••</code> <CopyButton text={http.token} label="Copy token" />
            </dd>
          </dl>
        )}
        <p className="muted">Only programs on this computer can reach it, and only with the token (sent as Authorization: Bearer).</p>
      </div>
      <div className="card">
        <h2>Start-up</h2>
        <Switch
          label="Start MCP Tray when I log in"
          checked={settings.startAtLogin}
          disabled={shell !== 'electron'}
          onChange={(v) => save({ startAtLogin: v }, v ? 'MCP Tray will start at login' : 'MCP Tray will not start at login')}
        />
        {shell !== 'electron' && <p className="muted">Available in the desktop app.</p>}
      </div>
    </section>
  );
}

/** The low-stock line: one number for the window's filter, the catalog view's badges and the restock report. */
function LowStock({
  value,
  save,
}: {
  value: number;
  save: (patch: Parameters<typeof api.updateSettings>[0], done: string) => Promise<void>;
}) {
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(new FormData(e.currentTarget).get('low'));
        void save({ stock: { lowBelow: n } }, `Products with fewer than ${n} in stock now count as low`);
      }}
    >
      <label htmlFor="low-stock">Low stock means fewer than</label>{' '}
      <input id="low-stock" name="low" type="number" min={1} max={1_000_000} step={1} defaultValue={value} key={value} required />{' '}
      <span>in stock</span> <button type="submit">Save</button>
    </form>
  );
}
