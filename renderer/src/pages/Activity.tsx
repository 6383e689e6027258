import { useEffect, useState } from 'react';
import type { ChangeRecord } from '../../../electron/core/contract';
import { api } from '../host';
import { useHostData, useNow } from '../hooks';
import { ago, when } from '../format';
import { describeChange, groupBySession, type SessionGroup } from '../changes';
import { Confirm, Pending, useToast } from '../components/ui';

/** How many of the newest AI changes the page (and the count in the navigation) looks at. */
export const ACTIVITY_WINDOW = 300;

const aiChanges = () => api.listChanges({ source: 'mcp', limit: ACTIVITY_WINDOW });
const productsChanged = (e: { type: string; what?: string }) => e.type === 'data-changed' && e.what === 'products';

/** How many AI changes came in since the person last opened Activity (the count beside it in the navigation). */
export function useUnseenActivity(): number {
  const changes = useHostData(aiChanges, productsChanged);
  const settings = useHostData(
    () => api.getSettings(),
    (e) => e.type === 'settings',
  );
  const seen = settings.data?.activity.seenUpTo ?? Infinity;
  return changes.data?.filter((c) => c.id > seen && !c.undoneAt).length ?? 0;
}

/** What AI apps changed in the catalog, grouped by app and conversation, with Undo for one change or a whole session. */
export function ActivityPage() {
  const now = useNow();
  const changes = useHostData(aiChanges, productsChanged);
  // What was new when the page opened stays marked while the person is here.
  const [seenBefore, setSeenBefore] = useState<number | null>(null);
  useEffect(() => {
    void api.getSettings().then((s) => setSeenBefore(s.activity.seenUpTo));
  }, []);
  const newest = changes.data?.[0]?.id ?? 0;
  useEffect(() => {
    if (seenBefore !== null && newest > 0) void api.updateSettings({ activity: { seenUpTo: newest } }).catch(() => {});
  }, [seenBefore, newest]);

  const groups = changes.data ? groupBySession(changes.data) : [];
  const fresh = changes.data && seenBefore !== null ? changes.data.filter((c) => c.id > seenBefore).length : 0;
  return (
    <>
      <header className="page-head">
        <h1>Activity</h1>
        <p className="muted">
          What AI apps changed in your catalog, by app and conversation. Undo one change, or everything a conversation did.
        </p>
      </header>
      {!changes.data && <Pending state={changes} what="activity" />}
      {changes.data && changes.data.length === 0 && (
        <section className="card">
          <p>
            No AI app has changed your catalog yet. When Claude or another app adds, edits or deletes a product, it shows here, grouped by
            conversation, and you can undo it.
          </p>
        </section>
      )}
      {changes.data && changes.data.length > 0 && (
        <p className="activity-summary" role="status">
          {fresh > 0 ? `${fresh} new ${fresh === 1 ? 'change' : 'changes'} since you last looked.` : 'Nothing new since you last looked.'}
        </p>
      )}
      {groups.map((g) => (
        <SessionCard key={g.key} group={g} now={now} seenBefore={seenBefore ?? Infinity} reload={changes.reload} />
      ))}
    </>
  );
}

function SessionCard({ group: g, now, seenBefore, reload }: { group: SessionGroup; now: number; seenBefore: number; reload: () => void }) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const open = g.changes.filter((c) => !c.undoneAt);
  const span = g.from === g.to || when(g.from, now) === when(g.to, now) ? when(g.to, now) : `${when(g.from, now)} – ${when(g.to, now)}`;
  const title = g.session ? `${g.client} · conversation at ${span}` : `${g.client} · earlier changes (until ${when(g.to, now)})`;
  const headingId = `session-${g.changes[0]!.id}`;
  const undoOne = async (c: ChangeRecord) => {
    try {
      await api.undoChange({ id: c.id });
      toast('success', `Undone: ${g.client} ${describeChange(c)}`);
      reload();
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  const undoAll = async () => {
    setConfirming(false);
    try {
      const r = await api.undoChanges({ ids: open.map((c) => c.id) });
      const first = r.refused[0];
      if (first) toast('warning', `Undid ${r.undone} of ${open.length}; ${r.refused.length} could not be undone: ${first.reason}`);
      else toast('success', `Undid all ${r.undone} ${r.undone === 1 ? 'change' : 'changes'} ${g.client} made in that conversation`);
      reload();
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };
  return (
    <section className="card session" aria-labelledby={headingId}>
      <div className="session-head">
        <h2 id={headingId}>{title}</h2>
        <span className="muted">
          {g.changes.length} {g.changes.length === 1 ? 'change' : 'changes'}
          {open.length < g.changes.length && `, ${g.changes.length - open.length} undone`}
        </span>
        {open.length > 1 && (
          <button type="button" onClick={() => setConfirming(true)}>
            Undo all of these
          </button>
        )}
      </div>
      <ul className="plain changes">
        {g.changes.map((c) => (
          <li key={c.id} className={c.undoneAt ? 'undone' : undefined}>
            <span>
              {c.id > seenBefore && <span className="tag tag-new">new</span>} {describeChange(c)}{' '}
              <span className="muted" title={new Date(c.at).toLocaleString()}>
                · {ago(c.at, now)}
              </span>
              {c.undoneAt && <span className="tag">undone</span>}
            </span>
            {!c.undoneAt && (
              <button type="button" aria-label={`Undo: ${describeChange(c)}`} onClick={() => void undoOne(c)}>
                Undo
              </button>
            )}
          </li>
        ))}
      </ul>
      <Confirm
        open={confirming}
        title="Undo this conversation's changes?"
        message={`Undo all ${open.length} changes ${g.client} made in this conversation (${span})? Products someone changed since are left as they are, and you are told which.`}
        confirmLabel={`Undo ${open.length} changes`}
        onConfirm={() => void undoAll()}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}
