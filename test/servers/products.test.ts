import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolErrorCode, ProtocolError } from '@modelcontextprotocol/client';
import { call, connect, readJson, tempDir, text, until, writeSettings, type Connected } from '../helpers/servers.js';
import { ENGINES, openDirCatalog } from '../helpers/engines.js';

type P = { id: number; name: string; price: number; category: string; stock: number; sku: string };

// Every behaviour, once with the catalog in the SQLite file and once in a shared PostgreSQL database.
describe.each(ENGINES)('products server over stdio ($name)', (engine) => {
  let dir: string;
  let s: Connected;

  beforeAll(async () => {
    dir = await engine.dataDir();
    s = await connect('products', dir);
  });
  afterAll(async () => s?.close());

  it('lists its tools with truthful annotations, output schemas and strict input schemas', async () => {
    const { tools } = await s.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'add_product',
      'delete_product',
      'get_product',
      'query_products',
      'update_product',
      'update_stock',
    ]);
    expect(byName.query_products!.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(byName.delete_product!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(byName.add_product!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description!.length, t.name).toBeGreaterThan(30);
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
    }
    expect(byName.add_product!.inputSchema.required).toEqual(expect.arrayContaining(['name', 'price', 'category']));
  });

  it('starts with the seed guide catalog', async () => {
    const r = await call(s.client, 'query_products', { sort: 'id' });
    const page = r.structuredContent as { products: P[]; total: number; next_cursor: string | null };
    expect(page.total).toBe(5);
    expect(page.next_cursor).toBeNull();
    expect(page.products.map((p) => [p.name, p.price, p.category, p.stock])).toEqual([
      ['Widget A', 29.99, 'Electronics', 150],
      ['Widget B', 49.99, 'Electronics', 75],
      ['Gadget X', 199.99, 'Electronics', 30],
      ['Tool Y', 79.99, 'Tools', 100],
      ['Supply Z', 9.99, 'Supplies', 500],
    ]);
    expect(JSON.parse(text(r))).toEqual(page);
  });

  it('filters by price, category (any case), stock and text, and sorts', async () => {
    const q = async (args: Record<string, unknown>) =>
      ((await call(s.client, 'query_products', args)).structuredContent as { products: P[]; total: number }).products.map((p) => p.name);
    expect(await q({ min_price: 40, max_price: 100 })).toEqual(['Tool Y', 'Widget B']);
    expect(await q({ category: 'electronics', sort: 'price', order: 'desc' })).toEqual(['Gadget X', 'Widget B', 'Widget A']);
    expect(await q({ search: 'widget' })).toEqual(['Widget A', 'Widget B']);
    expect(await q({ search: 'X' })).toEqual(['Gadget X']);
    expect(await q({ low_stock_below: 80, sort: 'stock' })).toEqual(['Gadget X', 'Widget B']);
    expect(await q({ in_stock: false })).toEqual([]);
    const bad = await call(s.client, 'query_products', { min_price: 50, max_price: 10 });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/min_price \(50\) is greater than max_price \(10\)/);
  });

  it('pages with a cursor and refuses a cursor from another query', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = (await call(s.client, 'query_products', { limit: 2, ...(cursor ? { cursor } : {}) })).structuredContent as {
        products: P[];
        total: number;
        next_cursor: string | null;
      };
      expect(r.total).toBe(5);
      seen.push(...r.products.map((p) => p.name));
      cursor = r.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Gadget X', 'Supply Z', 'Tool Y', 'Widget A', 'Widget B']);
    const first = (await call(s.client, 'query_products', { limit: 2 })).structuredContent as { next_cursor: string };
    const wrong = await call(s.client, 'query_products', { limit: 2, category: 'Tools', cursor: first.next_cursor });
    expect(wrong.isError).toBe(true);
    expect(text(wrong)).toMatch(/cursor belongs to a different query/);
    const garbage = await call(s.client, 'query_products', { cursor: 'not-a-cursor' });
    expect(text(garbage)).toMatch(/cursor is not valid/);
  });

  it('gets one product by id or sku and explains a missing one', async () => {
    const byId = await call(s.client, 'get_product', { product_id: 4 });
    expect((byId.structuredContent as P).name).toBe('Tool Y');
    const bySku = await call(s.client, 'get_product', { sku: 'sku-000005' });
    expect((bySku.structuredContent as P).name).toBe('Supply Z');
    const missing = await call(s.client, 'get_product', { product_id: 999 });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/No product with id 999/);
    const both = await call(s.client, 'get_product', { product_id: 1, sku: 'x' });
    expect(text(both)).toMatch(/exactly one of product_id or sku/);
  });

  it('adds, updates, restocks and deletes, recording each change with the client name', async () => {
    const added = (await call(s.client, 'add_product', { name: 'Blue Widget', price: 24.99, category: 'electronics', stock: 12 }))
      .structuredContent as P;
    expect(added).toMatchObject({ name: 'Blue Widget', price: 24.99, category: 'Electronics', stock: 12 });
    expect(added.sku).toMatch(/^SKU-0000\d\d$/);

    const dup = await call(s.client, 'add_product', { name: 'Clash', price: 1, category: 'Tools', sku: added.sku });
    expect(dup.isError).toBe(true);
    expect(text(dup)).toMatch(/already used by product/);

    const upd = (await call(s.client, 'update_product', { product_id: added.id, price: 19.5, description: 'Now cheaper' }))
      .structuredContent as {
      product: P;
      changed: boolean;
    };
    expect(upd.changed).toBe(true);
    expect(upd.product.price).toBe(19.5);
    const same = (await call(s.client, 'update_product', { product_id: added.id, price: 19.5 })).structuredContent as { changed: boolean };
    expect(same.changed).toBe(false);

    const stock = (await call(s.client, 'update_stock', { product_id: added.id, new_stock: 0 })).structuredContent as {
      product: P;
      previous_stock: number;
    };
    expect(stock.previous_stock).toBe(12);
    expect(stock.product.stock).toBe(0);

    const del = (await call(s.client, 'delete_product', { product_id: added.id })).structuredContent as { deleted: P };
    expect(del.deleted.id).toBe(added.id);
    expect((await call(s.client, 'get_product', { product_id: added.id })).isError).toBe(true);

    const catalog = await openDirCatalog(dir);
    const rows = (await catalog.changes({ productId: added.id })).reverse();
    await catalog.close();
    expect(rows.map((r) => [r.client, r.tool, r.action])).toEqual([
      ['Claude Desktop', 'add_product', 'create'],
      ['Claude Desktop', 'update_product', 'update'],
      ['Claude Desktop', 'update_stock', 'update'],
      ['Claude Desktop', 'delete_product', 'delete'],
    ]);
    expect(rows[1]!.before!.price).toBe(24.99);
    expect(rows[1]!.after!.price).toBe(19.5);
    expect(rows[1]!.origin).toMatch(/./);
    // One connection, one session (the Activity page groups by it).
    expect(rows[0]!.session).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(rows.map((r) => r.session)).size).toBe(1);
  });

  it('records the connected client and each tool call in activity.db', async () => {
    await call(s.client, 'get_product', { product_id: 1 });
    await call(s.client, 'get_product', { product_id: 12345 });
    const db = new Database(path.join(dir, 'activity.db'), { readonly: true });
    await until(
      () => (db.prepare(`SELECT count(*) FROM tool_calls WHERE error LIKE '%12345%'`).pluck().get() as number) === 1,
      'tool call recorded',
    );
    const conn = db.prepare('SELECT * FROM connections WHERE server = ? AND ended_at IS NULL').get('products') as Record<string, unknown>;
    expect(conn).toMatchObject({ client_name: 'claude-ai', client_version: '0.14.0', pid: s.transport.pid });
    const last = db.prepare(`SELECT tool, ok, duration_ms FROM tool_calls ORDER BY id DESC LIMIT 2`).all() as Array<{
      tool: string;
      ok: number;
      duration_ms: number;
    }>;
    expect(last.map((c) => [c.tool, c.ok])).toEqual([
      ['get_product', 0],
      ['get_product', 1],
    ]);
    expect(last[0]!.duration_ms).toBeGreaterThanOrEqual(0);
    db.close();
  });

  it('serves the catalog as paged JSON resources, listing each category', async () => {
    const { resources } = await s.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'db://products/all',
        'db://products/category/electronics',
        'db://products/category/tools',
        'db://products/category/supplies',
      ]),
    );
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('db://products/category/{category}');

    const all = await readJson(s.client, 'db://products/all');
    expect(all.total).toBe(all.count);
    expect(all.next_uri).toBeNull();
    const tools = await readJson(s.client, 'db://products/category/tools');
    expect(tools.products.map((p: P) => p.name)).toEqual(['Tool Y']);

    const completion = await s.client.complete({
      ref: { type: 'ref/resource', uri: 'db://products/category/{category}' },
      argument: { name: 'category', value: 'su' },
    });
    expect(completion.completion.values).toEqual(['supplies']);
  });

  it('answers an unknown tool, resource or prompt with the JSON-RPC error the spec names', async () => {
    const err = await s.client.callTool({ name: 'drop_table', arguments: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
    expect((err as ProtocolError).message).toMatch(/Unknown tool: drop_table/);
    const res = await s.client.readResource({ uri: 'db://products/category/nonexistent' }).catch((e: unknown) => e);
    expect((res as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
    expect((res as ProtocolError).message).toMatch(/not found/);
    const other = await s.client.readResource({ uri: 'file:///etc/passwd' }).catch((e: unknown) => e);
    expect((other as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
    const prompt = await s.client.getPrompt({ name: 'nope' }).catch((e: unknown) => e);
    expect((prompt as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
  });

  it('offers restock_report and catalog_summary prompts built from the live catalog', async () => {
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['catalog_summary', 'restock_report']);
    const restock = await s.client.getPrompt({ name: 'restock_report', arguments: { threshold: '80' } });
    const body = (restock.messages[0]!.content as { text: string }).text;
    expect(body).toMatch(/Gadget X \(id 3, SKU SKU-000003, Electronics\): 30 in stock/);
    expect(body).toMatch(/Widget B/);
    expect(body).not.toMatch(/Supply Z/);
    const summary = await s.client.getPrompt({ name: 'catalog_summary' });
    expect((summary.messages[0]!.content as { text: string }).text).toMatch(/Electronics: 3 products/);
    const bad = await s.client.getPrompt({ name: 'restock_report', arguments: { threshold: 'lots' } }).catch((e: unknown) => e);
    expect((bad as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
  });
});

describe.each(ENGINES)('hostile input leaves the catalog unchanged ($name)', (engine) => {
  let dir: string;
  let s: Connected;
  beforeAll(async () => {
    dir = await engine.dataDir();
    s = await connect('products', dir);
  });
  afterAll(async () => s?.close());

  const snapshot = async () => {
    const catalog = await openDirCatalog(dir);
    try {
      const rows = JSON.stringify((await catalog.list({ sort: 'id', limit: 1000 })).rows);
      const changes = (await catalog.changes({ limit: 500 })).length;
      return { rows, changes };
    } finally {
      await catalog.close();
    }
  };

  const mega = 'x'.repeat(1_100_000);
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['wrong type for price', 'add_product', { name: 'A', price: '12', category: 'C' }, /price must be a number/],
    ['missing name', 'add_product', { price: 1, category: 'C' }, /name/],
    ['extra field', 'add_product', { name: 'A', price: 1, category: 'C', admin: true }, /Unrecognized key: "admin"/],
    ['negative stock', 'update_stock', { product_id: 1, new_stock: -5 }, /stock must not be negative/],
    ['fractional stock', 'update_stock', { product_id: 1, new_stock: 1.5 }, /whole number/],
    ['NaN price (null in JSON)', 'update_product', { product_id: 1, price: null }, /price must be a number/],
    ['huge price', 'add_product', { name: 'A', price: 1e300, category: 'C' }, /price must be at most/],
    ['three-decimal price', 'add_product', { name: 'A', price: 1.234, category: 'C' }, /two decimal places/],
    ['megabyte name', 'add_product', { name: mega, price: 1, category: 'C' }, /name is far too long/],
    ['megabyte search', 'query_products', { search: mega }, /search must be at most 200/],
    ['blank name', 'update_product', { product_id: 1, name: '   ' }, /name must not be empty/],
    ['nothing to update', 'update_product', { product_id: 1 }, /at least one field/],
    ['unknown product', 'update_stock', { product_id: 424242, new_stock: 1 }, /No product with id 424242/],
    ['string id', 'delete_product', { product_id: '1 OR 1=1' }, /product_id must be a number/],
    // Issue 23.4.6: half a character was stored (SQLite) or committed, then failed the call (PostgreSQL).
    [
      'lone surrogate in category',
      'add_product',
      { name: 'A', price: 1, category: 'Toys \ud83d' },
      /category contains half of a character/,
    ],
    ['lone surrogate in a changed name', 'update_product', { product_id: 1, name: '\udc00 Widget' }, /name contains half of a character/],
    [
      'lone surrogate in description',
      'add_product',
      { name: 'A', price: 1, category: 'C', description: 'x\ud800y' },
      /description contains half/,
    ],
    ['bad sku characters', 'add_product', { name: 'A', price: 1, category: 'C', sku: "x'; DROP TABLE products;--" }, /sku may use letters/],
  ];

  it.each(cases)('%s → isError with a precise message, nothing written', async (_label, tool, args, message) => {
    const before = await snapshot();
    const r = await call(s.client, tool, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('stores SQL metacharacters as plain text', async () => {
    const name = `Robert'); DROP TABLE products;-- "%_\\`;
    const r = await call(s.client, 'add_product', { name, price: 1, category: "O'Reilly %" });
    expect(r.isError).toBeFalsy();
    const found = (await call(s.client, 'query_products', { search: "'); DROP" })).structuredContent as { products: P[] };
    expect(found.products.map((p) => p.name)).toEqual([name]);
    const pct = (await call(s.client, 'query_products', { search: '%' })).structuredContent as { products: P[] };
    expect(pct.products.map((p) => p.name)).toEqual([name]);
    const byCat = (await call(s.client, 'query_products', { category: "o'reilly %" })).structuredContent as { total: number };
    expect(byCat.total).toBe(1);
  });
});

describe('"Allow AI to change the catalog"', () => {
  it('hides write tools when off, and shows them again live when turned on', async () => {
    const dir = tempDir();
    writeSettings(dir, { servers: { products: { allowWrites: false } } });
    const s = await connect('products', dir);
    try {
      let changed = 0;
      s.client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
      const names = async () => (await s.client.listTools()).tools.map((t) => t.name).sort();
      expect(await names()).toEqual(['get_product', 'query_products']);
      const refused = await s.client.callTool({ name: 'delete_product', arguments: { product_id: 1 } }).catch((e: unknown) => e);
      expect((refused as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
      expect((refused as ProtocolError).message).toMatch(/Allow AI to change the catalog/);

      writeSettings(dir, { servers: { products: { allowWrites: true } } });
      await until(() => changed > 0, 'tools/list_changed after enabling writes');
      expect(await names()).toEqual(['add_product', 'delete_product', 'get_product', 'query_products', 'update_product', 'update_stock']);
    } finally {
      await s.close();
    }
  });
});

describe("the owner's low-stock line", () => {
  it('query_products says it and the restock report uses it; a change in the settings is followed live', async () => {
    const dir = tempDir();
    writeSettings(dir, { stock: { lowBelow: 40 } });
    const s = await connect('products', dir);
    try {
      const line = async () =>
        ((await call(s.client, 'query_products', { limit: 1 })).structuredContent as { low_stock_below: number }).low_stock_below;
      expect(await line()).toBe(40);
      const report = async () => ((await s.client.getPrompt({ name: 'restock_report' })).messages[0]!.content as { text: string }).text;
      expect(await report()).toMatch(/Gadget X .*: 30 in stock/); // 30 < 40
      writeSettings(dir, { stock: { lowBelow: 5 } });
      await until(async () => (await line()) === 5, 'the new line followed');
      expect(await report()).not.toMatch(/Gadget X/);
    } finally {
      await s.close();
    }
  });
});

describe.each(ENGINES)('live updates ($name)', (engine) => {
  it("after the server's own write, notifies only `all` and the categories the write touched", async () => {
    const s = await connect('products', await engine.dataDir());
    try {
      const updated: string[] = [];
      s.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
      for (const uri of [
        'db://products/all',
        'db://products/category/tools',
        'db://products/category/supplies',
        'db://products/category/electronics',
      ]) {
        await s.client.subscribeResource({ uri });
      }
      await call(s.client, 'update_stock', { product_id: 4, new_stock: 1 }); // Tool Y, in Tools
      await until(() => updated.length >= 2, 'notifications for the stock change');
      expect(updated.sort()).toEqual(['db://products/all', 'db://products/category/tools']);
      updated.length = 0;
      await call(s.client, 'update_product', { product_id: 4, category: 'supplies' }); // moves it: both categories
      await until(() => updated.length >= 3, 'notifications for the move');
      expect(updated.sort()).toEqual(['db://products/all', 'db://products/category/supplies', 'db://products/category/tools']);
    } finally {
      await s.close();
    }
  });

  it('notifies subscribers when another process changes the catalog, and list_changed for a new category', async () => {
    const dir = await engine.dataDir();
    const s = await connect('products', dir);
    try {
      const updated: string[] = [];
      let listChanged = 0;
      s.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
      s.client.setNotificationHandler('notifications/resources/list_changed', () => void listChanged++);
      await s.client.subscribeResource({ uri: 'db://products/all' });
      await s.client.subscribeResource({ uri: 'db://products/category/tools' });
      const bad = await s.client.subscribeResource({ uri: 'db://products/nope' }).catch((e: unknown) => e);
      expect((bad as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);

      // Another process: the GUI's data service writing through its own connection.
      const store = await openDirCatalog(dir);
      await store.setStock(4, 3, { source: 'app', client: 'MCP Tray' });
      await until(() => updated.includes('db://products/all') && updated.includes('db://products/category/tools'), 'resources/updated');
      expect(listChanged).toBe(0);

      await store.add({ name: 'Garden hose', price: 15, category: 'Garden' }, { source: 'app', client: 'MCP Tray' });
      await until(() => listChanged > 0, 'resources/list_changed after a new category');
      const { resources } = await s.client.listResources();
      expect(resources.map((r) => r.uri)).toContain('db://products/category/garden');

      await s.client.unsubscribeResource({ uri: 'db://products/all' });
      updated.length = 0;
      await store.setStock(4, 4, { source: 'app', client: 'MCP Tray' });
      await until(() => updated.includes('db://products/category/tools'), 'still subscribed to tools');
      expect(updated).not.toContain('db://products/all');
      await store.close();
    } finally {
      await s.close();
    }
  });
});
