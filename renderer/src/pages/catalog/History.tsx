import type { ChangeRecord } from '../../../../electron/core/contract';
import { api } from '../../host';
import { useHostData, useNow } from '../../hooks';
import { ago } from '../../format';
import { describeChange } from '../../changes';
import { Pending, useToast } from '../../components/ui';

/** Who made a change, as the person reads it: "You" for the window's own. */
const who = (c: ChangeRecord) => (c.source === 'app' ? 'You' : c.client);

export function History() {
  const toast = useToast();
  const now = useNow();
  const changes = useHostData(
    () => api.listChanges({ source: ['mcp', 'app'], limit: 50 }),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  return (
    <section aria-labelledby="history-title" className="card history">
      <h2 id="history-title">Recent changes</h2>
      {!changes.data && <Pending state={changes} what="changes" />}
      {changes.data && changes.data.length === 0 && (
        <p className="muted">
          No changes yet. When you or an AI app like Claude adds, edits or deletes a product, it shows here and you can undo it.
        </p>
      )}
      {changes.data && changes.data.length > 0 && (
        <ul className="plain changes">
          {changes.data.map((c) => (
            <li key={c.id} className={c.undoneAt ? 'undone' : undefined}>
              <span>
                <strong>{who(c)}</strong> {describeChange(c)} <span className="muted">· {ago(c.at, now)}</span>
                {c.undoneAt && <span className="tag">undone</span>}
              </span>
              {!c.undoneAt && (
                <button
                  type="button"
                  onClick={async () => {
                    try {
                      await api.undoChange({ id: c.id });
                      toast('success', `Undone: ${who(c)} ${describeChange(c)}`);
                      changes.reload();
                    } catch (err) {
                      toast('error', (err as Error).message);
                    }
                  }}
                >
                  Undo
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
