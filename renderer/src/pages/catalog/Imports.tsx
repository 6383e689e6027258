import { useState } from 'react';
import type { ImportRecord } from '../../../../electron/core/contract';
import { api } from '../../host';
import { useHostData, useNow } from '../../hooks';
import { ago } from '../../format';
import { Confirm, Pending, useToast } from '../../components/ui';

const STATUS: Record<ImportRecord['status'], string> = {
  running: 'importing…',
  done: '',
  cancelled: '',
  undone: 'undone',
};

/** Recent file imports, each undoable as one unit. */
export function Imports() {
  const toast = useToast();
  const now = useNow();
  const [undoing, setUndoing] = useState<ImportRecord | null>(null);
  const imports = useHostData(
    () => api.listImports({}),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  const undo = async (rec: ImportRecord) => {
    setUndoing(null);
    try {
      await api.undoImport({ id: rec.id });
      toast('success', `Undone: the import of ${rec.file}`);
    } catch (err) {
      toast('error', (err as Error).message);
    } finally {
      imports.reload();
    }
  };
  if (imports.data && imports.data.length === 0) return null;
  return (
    <section aria-labelledby="imports-title" className="card history">
      <h2 id="imports-title">Imports</h2>
      {!imports.data && <Pending state={imports} what="imports" />}
      {imports.data && (
        <ul className="plain changes">
          {imports.data.map((r) => (
            <li key={r.id} className={r.status === 'done' ? undefined : 'undone'}>
              <span>
                <strong>{r.file}</strong>{' '}
                {r.status === 'cancelled'
                  ? 'cancelled before it finished: nothing was changed'
                  : `${r.added.toLocaleString()} added, ${r.updated.toLocaleString()} updated`}{' '}
                <span className="muted">· {ago(r.startedAt, now)}</span>
                {STATUS[r.status] && <span className="tag">{STATUS[r.status]}</span>}
              </span>
              {r.status === 'done' && r.added + r.updated > 0 && (
                <button type="button" onClick={() => setUndoing(r)}>
                  Undo import
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Confirm
        open={undoing !== null}
        title="Undo this import?"
        message={
          undoing &&
          `The ${undoing.added.toLocaleString()} products it added are removed and the ${undoing.updated.toLocaleString()} it updated get their earlier values back. Products changed since the import are not touched: then nothing is undone and you are told which.`
        }
        confirmLabel="Undo import"
        danger
        onConfirm={() => undoing && void undo(undoing)}
        onCancel={() => setUndoing(null)}
      />
    </section>
  );
}
