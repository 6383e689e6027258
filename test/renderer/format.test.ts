import { describe, expect, it } from 'vitest';
import { ago, duration } from '../../renderer/src/format.js';
import { describeChange } from '../../renderer/src/changes.js';
import type { ChangeRecord, Product } from '../../electron/core/contract.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const p = (over: Partial<Product>): Product => ({
  id: 2,
  sku: 'SKU-000002',
  name: 'Widget B',
  description: '',
  price: 49.99,
  category: 'Electronics',
  stock: 75,
  in_stock: true,
  created_at: '',
  updated_at: '',
  fields: {},
  ...over,
});
const change = (over: Partial<ChangeRecord>): ChangeRecord => ({
  id: 1,
  at: '',
  source: 'mcp',
  client: 'Claude Desktop',
  tool: 'update_stock',
  action: 'update',
  productId: 2,
  productName: 'Widget B',
  before: p({}),
  after: p({}),
  undoneAt: null,
  undoneBy: null,
  revertOf: null,
  importId: null,
  origin: null,
  session: null,
  ...over,
});

describe('UI wording', () => {
  it('says how long ago in words a person reads at a glance', () => {
    expect(ago('2026-11-25T11:59:55Z', now)).toBe('just now');
    expect(ago('2026-11-25T11:59:15Z', now)).toBe('45 s ago');
    expect(ago('2026-11-25T11:58:00Z', now)).toBe('2 min ago');
    expect(ago('2026-11-25T09:00:00Z', now)).toBe('3 h ago');
    expect(ago('2026-11-22T12:00:00Z', now)).toBe('3 days ago');
    expect(ago(null, now)).toBe('never');
    expect(duration('2026-11-25T10:30:00Z', now)).toBe('1 h 30 min');
    expect(duration(null, now)).toBe('—');
  });

  it('describes what an AI change did, field by field', () => {
    expect(describeChange(change({ after: p({ stock: 7, price: 45 }) }))).toBe('changed Widget B: price 49.99 → 45, stock 75 → 7');
    expect(describeChange(change({ action: 'create', before: null }))).toBe('added Widget B');
    expect(describeChange(change({ action: 'delete', after: null }))).toBe('deleted Widget B');
  });
});
