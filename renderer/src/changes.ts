import type { ChangeRecord } from '../../electron/core/contract';

const FIELDS = ['name', 'price', 'stock', 'category', 'sku', 'description'] as const;

/** "changed Widget B: price 49.99 → 45, stock 75 → 7" — what a change did, in words. */
export function describeChange(c: ChangeRecord): string {
  if (c.action === 'create') return `added ${c.productName}`;
  if (c.action === 'delete') return `deleted ${c.productName}`;
  const diffs = FIELDS.filter((f) => c.before && c.after && c.before[f] !== c.after[f]).map(
    (f) => `${f} ${String(c.before![f])} → ${String(c.after![f])}`,
  );
  return `changed ${c.productName}: ${diffs.join(', ') || 'no visible change'}`;
}
