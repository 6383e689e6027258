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
