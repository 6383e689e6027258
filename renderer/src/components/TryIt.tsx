import { Suspense, lazy, useEffect, useId, useState, type FormEvent } from 'react';
import type { ServerName, ToolInfo } from '../../../electron/core/contract';
import { api } from '../host';
import { Dialog } from './ui';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { argLabel, argsFromForm, errorInWords, fieldKind, type PropSchema } from '../schema-form';

// The MCP Apps view host (ext-apps' AppBridge, and the SDK and zod it brings) loads only when a view is shown.
const ViewFrame = lazy(() => import('./ViewFrame').then((m) => ({ default: m.ViewFrame })));

/** Arguments picked from a list of what the person has; a product id is typed, with suggestions. */
const PICKED = new Set(['city_id', 'category']);

/** Choices for arguments that name something the person has: a city, a category, a product. */
interface Pickers {
  /** A list could not be loaded: those arguments are typed instead. */
  failed?: boolean;
  cities?: Array<{ value: string; label: string }>;
  categories?: Array<{ value: string; label: string }>;
  products?: Array<{ value: string; label: string }>;
}

function usePickers(props: Record<string, PropSchema>): Pickers {
  const [pickers, setPickers] = useState<Pickers>({});
  const names = Object.keys(props).join(',');
  useEffect(() => {
    const wants = new Set(names.split(','));
    if (wants.has('city_id'))
      void api.listCities().then(
        (cs) =>
          setPickers((p) => ({ ...p, cities: cs.map((c) => ({ value: c.id, label: c.country ? `${c.name}, ${c.country}` : c.name })) })),
        () => {},
      );
    if (wants.has('category'))
      void api.listCategories().then(
        (cs) => setPickers((p) => ({ ...p, categories: cs.map((c) => ({ value: c.name, label: `${c.name} (${c.count})` })) })),
        () => setPickers((p) => ({ ...p, failed: true })),
      );
    if (wants.has('product_id'))
      void api.listProducts({ limit: 200, sort: 'name', order: 'asc' }).then(
        (page) =>
          setPickers((p) => ({
            ...p,
            products: page.rows.map((r) => ({ value: String(r.id), label: `${r.name} (${r.sku})` })),
          })),
        () => {},
      );
  }, [names]);
  return pickers;
}

/** The text a tool answered with (its words for the model, which read well for a person too). */
const textOf = (result: unknown): string =>
  ((result as CallToolResult | undefined)?.content ?? [])
    .map((c) => (c.type === 'text' ? c.text : ''))
    .join('\n')
    .trim();

/** A form built from the tool's JSON Schema, sent through the tray's own server instance. */
export function TryIt({ server, tool, onClose }: { server: ServerName; tool: ToolInfo; onClose: () => void }) {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, PropSchema>;
  const required = new Set(tool.inputSchema.required ?? []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ isError: boolean; result: unknown; args: Record<string, unknown> } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const baseId = useId();
  const pickers = usePickers(props);
  const title = tool.title ?? tool.name;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const built = argsFromForm(props, values);
    if ('error' in built) return setFormError(errorInWords(built.error, Object.keys(props)));
    const { args } = built;
    setBusy(true);
    try {
      setResult({ ...(await api.callTool({ server, tool: tool.name, args })), args });
    } catch (err) {
      setFormError(errorInWords((err as Error).message, Object.keys(props)));
    } finally {
      setBusy(false);
    }
  };

  const choicesFor = (name: string) =>
    name === 'city_id' ? pickers.cities : name === 'category' ? pickers.categories : name === 'product_id' ? pickers.products : undefined;
  const words = result ? textOf(result.result) : '';
  return (
    <Dialog title={`Try ${title}`} open onClose={onClose} wide>
      <p className="muted">{tool.description}</p>
      <form onSubmit={submit} className="form-grid">
        {Object.entries(props).map(([name, p]) => {
          const id = `${baseId}-${name}`;
          const kind = fieldKind(p);
          const label = (
            <label htmlFor={id}>
              {argLabel(name)}
              {required.has(name) ? ' *' : ''}
            </label>
          );
          const set = (v: string) => setValues((all) => ({ ...all, [name]: v }));
          const choices = choicesFor(name);
          let input;
          if (PICKED.has(name) && pickers.failed !== true) {
            // What the person has, by name: no ids or slugs to type. The same control while the list
            // loads (disabled), so nothing changes under the person's hand.
            input = (
              <select
                id={id}
                value={values[name] ?? ''}
                onChange={(e) => set(e.target.value)}
                required={required.has(name)}
                disabled={!choices}
              >
                <option value="">{!choices ? 'Loading…' : required.has(name) ? 'choose…' : '(not set)'}</option>
                {(choices ?? []).map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            );
          } else if (p.enum) {
            input = (
              <select id={id} value={values[name] ?? ''} onChange={(e) => set(e.target.value)}>
                <option value="">{required.has(name) ? 'choose…' : '(not set)'}</option>
                {p.enum.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            );
          } else if (kind === 'boolean') {
            input = (
              <select id={id} value={values[name] ?? ''} onChange={(e) => set(e.target.value)}>
                <option value="">(not set)</option>
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            );
          } else if (kind === 'json') {
            input = <textarea id={id} rows={3} value={values[name] ?? ''} onChange={(e) => set(e.target.value)} placeholder="JSON" />;
          } else {
            // A product's id typed, with the first 200 products by name suggested.
            const list = choices ? `${id}-list` : undefined;
            input = (
              <>
                <input
                  id={id}
                  type={kind === 'number' || kind === 'integer' ? 'number' : 'text'}
                  step={kind === 'integer' ? 1 : 'any'}
                  required={required.has(name)}
                  value={values[name] ?? ''}
                  onChange={(e) => set(e.target.value)}
                  list={list}
                />
                {choices && (
                  <datalist id={list}>
                    {choices.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </datalist>
                )}
              </>
            );
          }
          return (
            <div key={name} className="field">
              {label}
              {input}
              {p.description && !choices && <small className="muted">{p.description}</small>}
            </div>
          );
        })}
        {Object.keys(props).length === 0 && <p className="muted">Nothing to fill in: this asks for no details.</p>}
        {formError && (
          <p className="error-text" role="alert">
            {formError}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} aria-label={`Call ${tool.name}`}>
            {busy ? 'Asking…' : 'Try it'}
          </button>
        </div>
      </form>
      {result && tool.ui && !result.isError && (
        <Suspense fallback={<p className="muted">Loading the view…</p>}>
          <ViewFrame server={server} uri={tool.ui} args={result.args} result={result.result as CallToolResult} />
        </Suspense>
      )}
      {result && (
        <section aria-label="Result">
          {result.isError ? (
            <p className="error-text" role="alert">
              {errorInWords(words || 'The tool answered with an error', Object.keys(props))}
            </p>
          ) : (
            !tool.ui && words && <p className="result-words">{words}</p>
          )}
          <details>
            <summary>Details: the answer as AI apps get it</summary>
            <pre className={`result ${result.isError ? 'is-error' : ''}`} tabIndex={0}>
              {JSON.stringify(result.result, null, 2)}
            </pre>
          </details>
        </section>
      )}
    </Dialog>
  );
}
