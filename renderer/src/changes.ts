import type { ChangeRecord } from '../../electron/core/contract';

const FIELDS = ['name', 'price', 'stock', 'category', 'sku', 'description'] as const;

/** "changed Widget B: price 49.99 → 45, stock 75 → 7" — what a change did, in words. */
export function describeChange(c: ChangeRecord): string {
  if (c.action === 'create') return `added ${c.productName}`;
  if (c.action === 'delete') return `deleted ${c.productName}`;
  const diffs = FIELDS.filter((f) => c.before && c.after && c.before[f] !== c.after[f]).map(
    (f) => `${f} ${String(c.before![f])} → ${String(c.after![f])}`,
  );
  // The catalog's own fields: "colour red → blue", "weight_kg 2 → (none)".
  const own = (p: ChangeRecord['before']) => p?.fields ?? {};
  for (const k of new Set([...Object.keys(own(c.before)), ...Object.keys(own(c.after))])) {
    const a = own(c.before)[k];
    const b = own(c.after)[k];
    if (a !== b) diffs.push(`${k} ${a === undefined ? '(none)' : String(a)} → ${b === undefined ? '(none)' : String(b)}`);
  }
  return `changed ${c.productName}: ${diffs.join(', ') || 'no visible change'}`;
}

/** One connection of an AI app and what it changed (newest first). */
export interface SessionGroup {
  key: string;
  client: string;
  /** null: changes recorded before sessions were (grouped by app only). */
  session: string | null;
  changes: ChangeRecord[];
  /** When its first and last change were made. */
  from: string;
  to: string;
}

/** AI changes grouped by app and by session (a conversation, or one run of the app), the newest group first. */
export function groupBySession(changes: readonly ChangeRecord[]): SessionGroup[] {
  const groups = new Map<string, SessionGroup>();
  for (const c of changes) {
    const key = `${c.client}\u0000${c.session ?? ''}`;
    const g = groups.get(key);
    if (g) {
      g.changes.push(c);
      if (c.at < g.from) g.from = c.at;
      if (c.at > g.to) g.to = c.at;
    } else groups.set(key, { key, client: c.client, session: c.session, changes: [c], from: c.at, to: c.at });
  }
  return [...groups.values()].sort((a, b) => (a.to < b.to ? 1 : a.to > b.to ? -1 : 0));
}
