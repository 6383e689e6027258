import { Suspense, lazy, useId, useState, type FormEvent } from 'react';
import type { ServerName, ToolInfo } from '../../../electron/core/contract';
import { api } from '../host';
import { Dialog } from './ui';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { argsFromForm, fieldKind, type PropSchema } from '../schema-form';

// The MCP Apps view host (ext-apps' AppBridge, and the SDK and zod it brings) loads only when a view is shown.
const ViewFrame = lazy(() => import('./ViewFrame').then((m) => ({ default: m.ViewFrame })));

/** A form built from the tool's JSON Schema, sent through the tray's own server instance. */
export function TryIt({ server, tool, onClose }: { server: ServerName; tool: ToolInfo; onClose: () => void }) {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, PropSchema>;
  const required = new Set(tool.inputSchema.required ?? []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ isError: boolean; result: unknown; args: Record<string, unknown> } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const baseId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const built = argsFromForm(props, values);
    if ('error' in built) return setFormError(built.error);
    const { args } = built;
    setBusy(true);
    try {
      setResult({ ...(await api.callTool({ server, tool: tool.name, args })), args });
    } catch (err) {
      setFormError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Try ${tool.name}`} open onClose={onClose} wide>
      <p className="muted">{tool.description}</p>
      <form onSubmit={submit} className="form-grid">
        {Object.entries(props).map(([name, p]) => {
          const id = `${baseId}-${name}`;
          const kind = fieldKind(p);
          const label = (
            <label htmlFor={id}>
              {name}
              {required.has(name) ? ' *' : ''}
            </label>
          );
          const set = (v: string) => setValues((all) => ({ ...all, [name]: v }));
          let input;
          if (p.enum) {
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
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            );
          } else if (kind === 'json') {
            input = <textarea id={id} rows={3} value={values[name] ?? ''} onChange={(e) => set(e.target.value)} placeholder="JSON" />;
          } else {
            input = (
              <input
                id={id}
                type={kind === 'number' || kind === 'integer' ? 'number' : 'text'}
                step={kind === 'integer' ? 1 : 'any'}
                required={required.has(name)}
                value={values[name] ?? ''}
                onChange={(e) => set(e.target.value)}
              />
            );
          }
          return (
            <div key={name} className="field">
              {label}
              {input}
              {p.description && <small className="muted">{p.description}</small>}
            </div>
          );
        })}
        {Object.keys(props).length === 0 && <p className="muted">This tool takes no arguments.</p>}
        {formError && (
          <p className="error-text" role="alert">
            {formError}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Calling…' : `Call ${tool.name}`}
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
          <h3>{result.isError ? 'The tool answered with an error' : 'Result'}</h3>
          <pre className={`result ${result.isError ? 'is-error' : ''}`} tabIndex={0}>
            {JSON.stringify(result.result, null, 2)}
          </pre>
        </section>
      )}
    </Dialog>
  );
}
