import { useState, type FormEvent } from 'react';
import type { FieldDef, RemovedField } from '../../../../electron/core/contract';
import { api } from '../../host';
import { useHostData, useNow } from '../../hooks';
import { ago } from '../../format';
import { Confirm, Dialog, FormActions, Pending, useToast } from '../../components/ui';
// Zod-free constants: the same types and limits the host checks.
import { FIELD_LIMITS, FIELD_TYPES, TYPE_NAMES, type FieldType } from '../../../../servers/products/field-types';

type Listed = FieldDef & { used: number };

const productsWord = (n: number) => `${n.toLocaleString()} product${n === 1 ? '' : 's'}`;
const choicesOf = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

function TypeSelect({ id, value, onChange }: { id: string; value: FieldType; onChange: (t: FieldType) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as FieldType)}>
      {FIELD_TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_NAMES[t]}
        </option>
      ))}
    </select>
  );
}

/**
 * The catalog's own fields: add one (a label and a type), rename it, change its type, move it,
 * remove it (and put it back). Claude sees every change at once.
 */
export function Fields() {
  const toast = useToast();
  const now = useNow();
  const changed = (e: { type: string; what?: string }) => e.type === 'data-changed' && e.what === 'products';
  const fields = useHostData(() => api.listFields({}), changed);
  const removed = useHostData(() => api.listRemovedFields({}), changed);
  const [adding, setAdding] = useState<{ type: FieldType; error: string | null }>({ type: 'text', error: null });
  const [renaming, setRenaming] = useState<Listed | null>(null);
  const [retyping, setRetyping] = useState<{ field: Listed; type: FieldType } | null>(null);
  const [removing, setRemoving] = useState<Listed | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);

  const run = async <T,>(work: () => Promise<T>, done: (r: T) => string): Promise<boolean> => {
    try {
      toast('success', done(await work()));
      fields.reload();
      removed.reload();
      return true;
    } catch (err) {
      setDialogError((err as Error).message);
      return false;
    }
  };

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const label = String(f.get('label') ?? '').trim();
    const choices = adding.type === 'choice' ? choicesOf(String(f.get('choices') ?? '')) : undefined;
    try {
      const field = await api.addField({ label, type: adding.type, ...(choices ? { choices } : {}) });
      toast('success', `Added ${field.label}. AI apps see it at once.`);
      form.reset();
      setAdding({ type: 'text', error: null });
      fields.reload();
    } catch (err) {
      setAdding((a) => ({ ...a, error: (err as Error).message }));
    }
  };

  const move = async (f: Listed, to: number) => {
    try {
      await api.moveField({ key: f.key, to });
      fields.reload();
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  const restore = async (r: RemovedField) => {
    try {
      const back = await api.restoreField({ id: r.id });
      toast('success', `${back.field.label} is back, with its values on ${productsWord(back.values)}`);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      fields.reload();
      removed.reload();
    }
  };

  const list = fields.data ?? [];
  const full = list.length >= FIELD_LIMITS.fields;
  return (
    <section aria-labelledby="fields-title" className="fields-page">
      <h2 id="fields-title" className="sr-only">
        Your fields
      </h2>
      <p className="muted">
        Your own columns beside name, price and stock: a colour, a weight, a supplier&apos;s page. Each shows in the product list, in
        imports and exports, and in what Claude can read, filter and write.
      </p>
      <form className="card field-add" onSubmit={add} aria-labelledby="field-add-title">
        <h3 id="field-add-title">Add a field</h3>
        <div className="field-add-row">
          <div className="field">
            <label htmlFor="nf-label">Name</label>
            <input id="nf-label" name="label" required maxLength={FIELD_LIMITS.label} placeholder="Weight (kg)" disabled={full} />
          </div>
          <div className="field">
            <label htmlFor="nf-type">Kind of value</label>
            <TypeSelect id="nf-type" value={adding.type} onChange={(type) => setAdding({ type, error: null })} />
          </div>
          {adding.type === 'choice' && (
            <div className="field grow">
              <label htmlFor="nf-choices">Choices, separated by commas</label>
              <input id="nf-choices" name="choices" required placeholder="Small, Medium, Large" />
            </div>
          )}
          <button type="submit" className="primary" disabled={full}>
            Add field
          </button>
        </div>
        {full && <p className="muted">A catalog can have {FIELD_LIMITS.fields} fields of its own: remove one to add another.</p>}
        {adding.error && (
          <p className="error-text" role="alert">
            {adding.error}
          </p>
        )}
      </form>

      {!fields.data && <Pending state={fields} what="fields" />}
      {fields.data && list.length === 0 && (
        <p className="empty">No fields of your own yet. Add one above, or import a file with extra columns.</p>
      )}
      {list.length > 0 && (
        <table className="data fields-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Kind of value</th>
              <th scope="col">Products with a value</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((f, i) => (
              <tr key={f.key}>
                <th scope="row">
                  {f.label}
                  <span className="muted mono"> {f.key}</span>
                </th>
                <td>
                  {TYPE_NAMES[f.type]}
                  {f.choices && <span className="muted">: {f.choices.join(', ')}</span>}
                </td>
                <td>{f.used.toLocaleString()}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move ${f.label} up`}
                    disabled={i === 0}
                    onClick={() => void move(f, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Move ${f.label} down`}
                    disabled={i === list.length - 1}
                    onClick={() => void move(f, i + 1)}
                  >
                    ↓
                  </button>
                  <button type="button" onClick={() => (setDialogError(null), setRenaming(f))}>
                    Rename
                  </button>
                  <button type="button" onClick={() => (setDialogError(null), setRetyping({ field: f, type: f.type }))}>
                    Change kind
                  </button>
                  <button type="button" className="danger-text link" onClick={() => setRemoving(f)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {removed.data && removed.data.length > 0 && (
        <section aria-labelledby="removed-title" className="card history">
          <h3 id="removed-title">Removed fields</h3>
          <ul className="plain changes">
            {removed.data.map((r) => (
              <li key={r.id} className={r.restoredAt ? 'undone' : undefined}>
                <span>
                  <strong>{r.label}</strong> with its values on {productsWord(r.products)}{' '}
                  <span className="muted">· {ago(r.removedAt, now)}</span>
                  {r.restoredAt && <span className="tag">put back</span>}
                </span>
                {!r.restoredAt && (
                  <button type="button" onClick={() => void restore(r)}>
                    Put back
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <Dialog title={`Rename ${renaming?.label ?? ''}`} open={renaming !== null} onClose={() => setRenaming(null)}>
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            const label = String(new FormData(e.currentTarget).get('label') ?? '').trim();
            const f = renaming!;
            void run(
              () => api.renameField({ key: f.key, label }),
              (r) => `${f.label} is now ${r.label}; its values are kept`,
            ).then((ok) => ok && setRenaming(null));
          }}
        >
          <div className="field span-all">
            <label htmlFor="rf-label">New name</label>
            <input id="rf-label" name="label" defaultValue={renaming?.label} required maxLength={FIELD_LIMITS.label} autoFocus />
          </div>
          <FormActions error={dialogError} submitLabel="Rename" onCancel={() => setRenaming(null)} className="span-all" />
        </form>
      </Dialog>

      <Dialog title={`Change what ${retyping?.field.label ?? ''} holds`} open={retyping !== null} onClose={() => setRetyping(null)}>
        <form
          className="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            const { field, type } = retyping!;
            const text = String(new FormData(e.currentTarget).get('choices') ?? '');
            const choices = type === 'choice' && text.trim() ? choicesOf(text) : undefined;
            void run(
              () => api.changeFieldType({ key: field.key, type, ...(choices ? { choices } : {}) }),
              (r) => `${r.field.label} is now ${TYPE_NAMES[r.field.type].toLowerCase()}; ${r.converted.toLocaleString()} values converted`,
            ).then((ok) => ok && setRetyping(null));
          }}
        >
          <div className="field span-all">
            <label htmlFor="tf-type">Kind of value</label>
            <TypeSelect id="tf-type" value={retyping?.type ?? 'text'} onChange={(type) => setRetyping((r) => r && { ...r, type })} />
          </div>
          {retyping?.type === 'choice' && (
            <div className="field span-all">
              <label htmlFor="tf-choices">Choices, separated by commas (empty: the values it has)</label>
              <input id="tf-choices" name="choices" defaultValue={retyping.field.choices?.join(', ') ?? ''} />
            </div>
          )}
          <p className="muted span-all">
            Every value is converted. If some cannot be, nothing changes and you are told which products to fix first.
          </p>
          <FormActions error={dialogError} submitLabel="Change" onCancel={() => setRetyping(null)} className="span-all" />
        </form>
      </Dialog>

      <Confirm
        open={removing !== null}
        title={`Remove ${removing?.label ?? ''}?`}
        danger
        confirmLabel="Remove"
        message={
          removing &&
          `${removing.used === 0 ? 'No product has a value for it.' : `${productsWord(removing.used)} have a value for it, which goes with it.`} You can put it back, with its values, from “Removed fields”.`
        }
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const f = removing!;
          setRemoving(null);
          void api.removeField({ key: f.key }).then(
            (r) => {
              toast('success', `Removed ${r.field.label}`);
              fields.reload();
              removed.reload();
            },
            (err: Error) => toast('error', err.message),
          );
        }}
      />
    </section>
  );
}
