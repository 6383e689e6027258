import { api } from '../../host';
import { useHostData, useNow } from '../../hooks';
import { ago } from '../../format';
import { describeChange } from '../../changes';
import { Pending, useToast } from '../../components/ui';

export function History() {
  const toast = useToast();
  const now = useNow();
  const changes = useHostData(
    () => api.listChanges({ source: 'mcp', limit: 50 }),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  return (
    <section aria-labelledby="history-title" className="card history">
      <h2 id="history-title">What the AI changed</h2>
      {!changes.data && <Pending state={changes} what="changes" />}
      {changes.data && changes.data.length === 0 && (
        <p className="muted">No changes by AI apps yet. When Claude adds or edits a product, it shows here and you can undo it.</p>
      )}
      {changes.data && changes.data.length > 0 && (
        <ul className="plain changes">
          {changes.data.map((c) => (
            <li key={c.id} className={c.undoneAt ? 'undone' : undefined}>
              <span>
                <strong>{c.client}</strong> {describeChange(c)} <span className="muted">· {ago(c.at, now)}</span>
                {c.undoneAt && <span className="tag">undone</span>}
              </span>
              {!c.undoneAt && (
                <button
                  type="button"
                  onClick={async () => {
                    try {
                      await api.undoChange({ id: c.id });
                      toast('success', `Undone: ${c.client} ${describeChange(c)}`);
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
