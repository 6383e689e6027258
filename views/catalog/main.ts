/**
 * The catalog view (ui://products/catalog): query_products results as a compact table with stock
 * badges, totals and paging through the same cursor. Stock and price are edited in place when the
 * person allows AI to change the catalog; each edit is a call to update_stock / update_product
 * through the host, so it is recorded (and can be undone in MCP Tray) like any other change.
 */
import type { App } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectView, h, resultText, showError, showStatus } from '../shared/app.js';

/** The window's "low" too (servers/products/limits.ts, which a view may not import; test/build/layers.test.ts checks they agree). */
const LOW_STOCK_BELOW = 10;

interface Product {
  id: number;
  sku: string;
  name: string;
  price: number;
  category: string;
  stock: number;
  /** Sent back with an edit: a teammate's newer change is never overwritten from the chat. */
  updated_at: string;
}
/** One of the catalog's own fields (each product carries its value under the key). */
interface Field {
  key: string;
  label: string;
  type: 'text' | 'number' | 'yes-no' | 'date' | 'choice' | 'link';
}
interface Page {
  products: Row[];
  total: number;
  next_cursor: string | null;
  /** Left out by servers from before the catalog had fields of its own. */
  fields?: Field[];
  /** The owner's low-stock line (left out by servers from before it was a setting). */
  low_stock_below?: number;
}
/** How many of the catalog's own fields show before "Show all fields". */
const FIRST_FIELDS = 3;
type SortKey = 'name' | 'sku' | 'category' | 'price' | 'stock';

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'name', label: 'Product' },
  { key: 'sku', label: 'SKU' },
  { key: 'category', label: 'Category' },
  { key: 'price', label: 'Price', numeric: true },
  { key: 'stock', label: 'Stock', numeric: true },
];

const state: {
  page: Page | null;
  args: Record<string, unknown>;
  /** Cursors of the pages before this one, to go back. */
  back: Array<string | undefined>;
  cursor: string | undefined;
  sort: { key: SortKey; dir: 1 | -1 } | null;
  /** Set once an edit came back "switched off": the cells stop being editable. */
  readOnly: boolean;
  busy: boolean;
  /** Every field of the catalog's own shown, not only the first few. */
  allFields: boolean;
} = { page: null, args: {}, back: [], cursor: undefined, sort: null, readOnly: false, busy: false, allFields: false };

/** A field's value as the table shows it ('' for none). */
function fieldText(f: Field, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (f.type === 'yes-no') return v ? 'Yes' : 'No';
  if (f.type === 'number' && typeof v === 'number') return v.toLocaleString();
  return String(v);
}

const money = (n: number) => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const lowBelow = () =>
  typeof state.args.low_stock_below === 'number' ? state.args.low_stock_below : (state.page?.low_stock_below ?? LOW_STOCK_BELOW);

function badge(stock: number) {
  if (stock === 0) return h('span', { class: 'badge out' }, 'Out');
  if (stock < lowBelow()) return h('span', { class: 'badge low' }, 'Low');
  return h('span', { class: 'badge fine' }, 'In stock');
}

async function call(app: App, name: string, args: Record<string, unknown>): Promise<CallToolResult | null> {
  state.busy = true;
  render(app);
  try {
    const r = await app.callServerTool({ name, arguments: args });
    if (r.isError) {
      const text = resultText(r);
      if (/Unknown tool|switched off/i.test(text)) state.readOnly = true;
      showError(text);
      return null;
    }
    return r;
  } catch (err) {
    const message = (err as Error).message;
    if (/Unknown tool|switched off/i.test(message)) state.readOnly = true;
    showError(/switched off/i.test(message) ? 'Changing the catalog is switched off in MCP Tray.' : message);
    return null;
  } finally {
    state.busy = false;
    render(app);
  }
}

async function goTo(app: App, cursor: string | undefined) {
  const r = await call(app, 'query_products', { ...state.args, ...(cursor ? { cursor } : {}) });
  if (r?.structuredContent) {
    state.cursor = cursor;
    state.page = r.structuredContent as unknown as Page;
    showStatus('');
    render(app);
  }
}

/** Saves one edited cell; on success the row shows the product as it is now. */
async function save(app: App, product: Product, field: 'stock' | 'price', input: HTMLInputElement) {
  const value = Number(input.value);
  if (input.value.trim() === '' || !Number.isFinite(value) || value < 0 || (field === 'stock' && !Number.isInteger(value))) {
    showError(field === 'stock' ? 'Stock must be a whole number, 0 or more.' : 'Price must be a number, 0 or more.');
    input.value = String(product[field]);
    return;
  }
  if (value === product[field]) return;
  const r =
    field === 'stock'
      ? await call(app, 'update_stock', { product_id: product.id, new_stock: value, expected_updated_at: product.updated_at })
      : await call(app, 'update_product', { product_id: product.id, price: value, expected_updated_at: product.updated_at });
  const now = (r?.structuredContent as { product?: Product } | undefined)?.product;
  if (now && state.page) {
    state.page.products = state.page.products.map((p) => (p.id === now.id ? { ...p, ...now } : p));
    showStatus(
      `Saved: ${now.name} — ${field === 'stock' ? `stock ${now.stock}` : `price ${money(now.price)}`}. You can undo it in MCP Tray.`,
    );
    render(app);
  } else input.value = String(product[field]);
}

function cell(app: App, p: Product, field: 'stock' | 'price') {
  const shown = field === 'price' ? money(p.price) : String(p.stock);
  if (state.readOnly) return h('span', {}, shown);
  const input = h('input', {
    type: 'number',
    min: 0,
    step: field === 'price' ? '0.01' : '1',
    value: field === 'price' ? p.price.toFixed(2) : p.stock,
    'aria-label': `${field === 'price' ? 'Price' : 'Stock'} of ${p.name}`,
    'data-field': field,
    disabled: state.busy,
  });
  input.addEventListener('change', () => void save(app, p, field, input));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') input.blur();
    if (e.key === 'Escape') {
      input.value = field === 'price' ? p.price.toFixed(2) : String(p.stock);
      input.blur();
    }
  });
  return input;
}

type Row = Product & Record<string, unknown>;
function sorted(products: Row[]): Row[] {
  const s = state.sort;
  if (!s) return products;
  return [...products].sort((a, b) => {
    const x = a[s.key];
    const y = b[s.key];
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * s.dir;
  });
}

function render(app: App) {
  const root = document.getElementById('app')!;
  const page = state.page;
  if (!page) {
    root.replaceChildren(h('p', { class: 'muted' }, 'Waiting for the catalog…'));
    return;
  }
  const fields = page.fields ?? [];
  const shownFields = state.allFields ? fields : fields.slice(0, FIRST_FIELDS);
  const out = page.products.filter((p) => p.stock === 0).length;
  const low = page.products.filter((p) => p.stock > 0 && p.stock < lowBelow()).length;
  const head = h(
    'tr',
    {},
    ...COLUMNS.map((c) => {
      const active = state.sort?.key === c.key;
      return h(
        'th',
        {
          scope: 'col',
          class: c.numeric ? 'num' : undefined,
          'aria-sort': active ? (state.sort!.dir === 1 ? 'ascending' : 'descending') : 'none',
        },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            onclick: () => {
              state.sort = { key: c.key, dir: active && state.sort!.dir === 1 ? -1 : 1 };
              render(app);
            },
          },
          c.label,
          h('span', { 'aria-hidden': 'true' }, active ? (state.sort!.dir === 1 ? ' ▲' : ' ▼') : ''),
        ),
      );
    }),
    ...shownFields.map((f) => h('th', { scope: 'col', class: f.type === 'number' ? 'num' : undefined, 'data-field': f.key }, f.label)),
  );
  const rows = sorted(page.products).map((p) =>
    h(
      'tr',
      { 'data-id': p.id },
      h('th', { scope: 'row' }, p.name),
      h('td', { class: 'mono' }, p.sku),
      h('td', {}, p.category),
      h('td', { class: 'num' }, cell(app, p, 'price')),
      h('td', { class: 'num' }, cell(app, p, 'stock'), ' ', badge(p.stock)),
      ...shownFields.map((f) => h('td', { class: f.type === 'number' ? 'num' : undefined }, fieldText(f, p[f.key]))),
    ),
  );
  const table = h(
    'table',
    {},
    h('caption', {}, `${page.total} product${page.total === 1 ? '' : 's'} match${page.total === 1 ? 'es' : ''}`),
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
  const summary = h(
    'p',
    { class: 'summary' },
    h('strong', {}, `${page.total}`),
    ` matching · this page: ${page.products.length} · `,
    h('span', { class: 'bad' }, `${out} out of stock`),
    ' · ',
    h('span', { class: 'warn' }, `${low} low`),
    state.readOnly ? h('span', { class: 'muted' }, ' · read-only (changing the catalog is off in MCP Tray)') : '',
  );
  const pager = h(
    'div',
    { class: 'pager' },
    h(
      'button',
      {
        type: 'button',
        disabled: state.busy || state.back.length === 0,
        onclick: () => {
          const prev = state.back.pop();
          void goTo(app, prev);
        },
      },
      '‹ Previous',
    ),
    h(
      'button',
      {
        type: 'button',
        disabled: state.busy || !page.next_cursor,
        onclick: () => {
          state.back.push(state.cursor);
          void goTo(app, page.next_cursor ?? undefined);
        },
      },
      'Next ›',
    ),
  );
  const toggle =
    fields.length > FIRST_FIELDS
      ? h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-expanded': String(state.allFields),
            onclick: () => {
              state.allFields = !state.allFields;
              render(app);
            },
          },
          state.allFields ? `Show only the first ${FIRST_FIELDS} fields` : `Show all ${fields.length} fields`,
        )
      : '';
  root.replaceChildren(summary, toggle || '', page.products.length ? table : h('p', { class: 'muted' }, 'No products match.'), pager);
}

const app = connectView('MCP Tray catalog', (result, a) => {
  if (result.isError || !result.structuredContent) {
    showError(resultText(result) || 'The catalog could not be read.');
    return;
  }
  state.page = result.structuredContent as unknown as Page;
  state.back = [];
  state.cursor = typeof state.args.cursor === 'string' ? state.args.cursor : undefined;
  render(a);
});
app.ontoolinput = (params) => {
  state.args = { ...(params.arguments ?? {}) };
  delete state.args.cursor;
};
render(app);
