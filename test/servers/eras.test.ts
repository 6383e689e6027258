// Issue 28: both protocol eras. With the official v2 client pinned to 2026-07-28 (no initialize:
// server/discover, a per-request envelope, subscriptions/listen), both servers connect over stdio
// and over the HTTP endpoint, list and call tools, read resources, get prompts and completions, and
// receive updates for a change another process makes; the change history names the app from the
// envelope. A 2025 client keeps working as before (every other test file speaks 2025).
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpHttpEndpoint } from '../../electron/core/loopback/mcp-endpoint.js';
import { SettingsStore } from '../../electron/core/settings.js';
import { ROOT, call, connect, serverScript, tempDir, until } from '../helpers/servers.js';

const MODERN = { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const;

function stdioClient(name: 'products' | 'weather', dataDir: string, clientName = 'claude-code', opts: object = MODERN) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverScript(name), '--data-dir', dataDir],
    env: { ...getDefaultEnvironment(), MCP_TRAY_CACHE_DIR: path.join(dataDir, '.cache') },
    stderr: 'pipe',
  });
  return { client: new Client({ name: clientName, version: '2.1.0' }, opts), transport };
}

/** Another process changing the catalog, as the window or a second app would: the CLI. */
function cli(dataDir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mcp-tray.js'), ...args, '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`mcp-tray ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

/** Another app's server process (a 2025 client, as Claude Desktop runs them) making one change. */
async function otherApp(dataDir: string, tool: string, args: Record<string, unknown>): Promise<void> {
  const other = await connect('products', dataDir, { clientName: 'cursor-vscode' });
  try {
    expect((await call(other.client, tool, args)).isError).toBeFalsy();
  } finally {
    await other.close();
  }
}

const text = (r: { content?: Array<{ type: string; text?: string }> }) => (r.content ?? []).map((c) => c.text ?? '').join('\n');

describe('2026-07-28 over stdio (the official v2 client, pinned)', () => {
  const open: Client[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => {});
  });

  it('products: connects without initialize, lists and calls tools, reads resources, gets prompts and completions', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir);
    open.push(client);
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe('modern');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'add_product',
      'delete_product',
      'get_product',
      'query_products',
      'update_product',
      'update_stock',
    ]);
    const found = await client.callTool({ name: 'query_products', arguments: { category: 'Electronics' } });
    expect((found.structuredContent as { total: number }).total).toBe(3);
    const bad = await client.callTool({ name: 'update_stock', arguments: { product_id: 1, new_stock: -5 } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/stock must not be negative/);
    const all = await client.readResource({ uri: 'db://products/all' });
    expect(JSON.parse((all.contents[0] as { text: string }).text)).toMatchObject({ total: 5 });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['catalog_summary', 'restock_report']);
    const report = await client.getPrompt({ name: 'restock_report', arguments: { threshold: '80' } });
    expect((report.messages[0]!.content as { text: string }).text).toMatch(/Gadget X/);
    const completion = await client.complete({
      ref: { type: 'ref/resource', uri: 'db://products/category/{category}' },
      argument: { name: 'category', value: 'el' },
    });
    expect(completion.completion.values).toEqual(['electronics']);
  });

  it('weather: the same, with a prompt argument completed', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('weather', dir);
    open.push(client);
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe('modern');
    const r = await client.callTool({ name: 'get_forecast', arguments: { city_id: 'london', days: 2 } });
    expect((r.structuredContent as { days: unknown[] }).days).toHaveLength(2);
    const current = await client.readResource({ uri: 'weather://tokyo/current' });
    expect(JSON.parse((current.contents[0] as { text: string }).text)).toMatchObject({ city: 'Tokyo' });
    const c = await client.complete({ ref: { type: 'ref/prompt', name: 'weather_report' }, argument: { name: 'city', value: 'Lo' } });
    expect(c.completion.values).toEqual(['London']);
    // Lists carry a cache lifetime where the data allows: the prompts never change while it runs; the tools can.
    expect(await client.listPrompts()).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'private' });
    expect(await client.listTools()).toMatchObject({ ttlMs: 0 });
  });

  it('a change made by another process reaches a listening client (resources/updated), and a new field changes the tools (tools/list_changed)', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir);
    open.push(client);
    const updated: string[] = [];
    let toolsChanged = 0;
    client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    client.setNotificationHandler('notifications/tools/list_changed', () => void toolsChanged++);
    await client.connect(transport);
    const sub = await client.listen({
      resourceSubscriptions: ['db://products/all', 'db://products/category/tools'],
      toolsListChanged: true,
    });
    expect(sub.honoredFilter).toMatchObject({
      toolsListChanged: true,
      resourceSubscriptions: ['db://products/all', 'db://products/category/tools'],
    });
    await otherApp(dir, 'update_stock', { product_id: 4, new_stock: 9 });
    await until(() => updated.includes('db://products/all') && updated.includes('db://products/category/tools'), 'the updates', 10_000);
    await cli(dir, 'catalog', 'fields', 'add', 'Colour', '--type', 'text');
    await until(() => toolsChanged > 0, 'tools/list_changed', 10_000);
    const { tools } = await client.listTools();
    const add = tools.find((t) => t.name === 'add_product')!;
    expect(Object.keys((add.inputSchema as { properties: object }).properties)).toContain('colour');
    await sub.close();
  });

  it("the change history and the activity name the app from each request's envelope (there is no initialize)", async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir, 'claude-code');
    open.push(client);
    await client.connect(transport);
    await client.callTool({ name: 'update_stock', arguments: { product_id: 2, new_stock: 7 } });
    const db = new Database(path.join(dir, 'products.db'), { readonly: true });
    const change = db.prepare('SELECT client, tool, session FROM changes ORDER BY id DESC LIMIT 1').get() as Record<string, string>;
    db.close();
    expect(change).toMatchObject({ client: 'Claude Code', tool: 'update_stock', session: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const activity = new Database(path.join(dir, 'activity.db'), { readonly: true });
    await until(
      () => activity.prepare("SELECT count(*) FROM connections WHERE client_name = 'claude-code'").pluck().get() === 1,
      'the connection named',
    );
    activity.close();
  });

  it('a client in auto mode negotiates 2026-07-28; one left at the default speaks 2025 with initialize, as before', async () => {
    const dir = tempDir();
    const auto = stdioClient('weather', dir, 'auto-client', { versionNegotiation: { mode: 'auto' } });
    open.push(auto.client);
    await auto.client.connect(auto.transport);
    expect(auto.client.getProtocolEra()).toBe('modern');
    const legacy = stdioClient('weather', dir, 'claude-ai', {});
    open.push(legacy.client);
    await legacy.client.connect(legacy.transport);
    expect(legacy.client.getProtocolEra()).toBe('legacy');
    expect(legacy.client.getServerVersion()?.name).toBe('mcp-tray-weather');
    expect((await legacy.client.listTools()).tools.length).toBe(4);
  });
});

describe('delete_product asks the person first, where the chat can show a question (both eras)', () => {
  const open: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => {});
  });
  const exists = (dir: string, id: number) => {
    const db = new Database(path.join(dir, 'products.db'), { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM products WHERE id = ?').pluck().get(id) === 1;
    } finally {
      db.close();
    }
  };

  it('2026-07-28: the client is asked (input_required), the product goes only once the person ticks yes', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir, 'claude-code', { ...MODERN, capabilities: { elicitation: { form: {} } } });
    open.push(client);
    const asked: string[] = [];
    let answer: 'yes' | 'no' = 'no';
    client.setRequestHandler('elicitation/create', (req) => {
      asked.push(req.params.message);
      return answer === 'yes' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
    await client.connect(transport);
    const refused = await client.callTool({ name: 'delete_product', arguments: { product_id: 2 } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toBe('Nothing was deleted: the person said no to deleting Widget B.');
    expect(asked).toEqual(['Delete Widget B (SKU-000002, 75 in stock) from your catalog? You can undo it in MCP Tray.']);
    expect(exists(dir, 2)).toBe(true);
    answer = 'yes';
    const done = await client.callTool({ name: 'delete_product', arguments: { product_id: 2 } });
    expect(done.isError).toBeFalsy();
    expect(exists(dir, 2)).toBe(false);
  });

  it('2025: the same question through elicitation/create, mid-call', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir, 'claude-ai', { capabilities: { elicitation: { form: {} } } });
    open.push(client);
    client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { confirm: true } }));
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe('legacy');
    expect((await client.callTool({ name: 'delete_product', arguments: { product_id: 4 } })).isError).toBeFalsy();
    expect(exists(dir, 4)).toBe(false);
  });

  it('a client without forms: deleted at once, as before (the change history keeps Undo)', async () => {
    const dir = tempDir();
    const { client, transport } = stdioClient('products', dir);
    open.push(client);
    await client.connect(transport);
    expect((await client.callTool({ name: 'delete_product', arguments: { product_id: 5 } })).isError).toBeFalsy();
    expect(exists(dir, 5)).toBe(false);
  });
});

describe('2026-07-28 over the HTTP endpoint (the official v2 client, pinned)', () => {
  let ep: McpHttpEndpoint;
  let dir: string;
  let info: { url: string; token: string };
  const open: Client[] = [];
  beforeAll(async () => {
    dir = tempDir();
    const settings = new SettingsStore(dir);
    ep = new McpHttpEndpoint({ dataDir: dir, settings });
    await ep.start();
    info = ep.info()!;
  });
  afterAll(async () => {
    for (const c of open.splice(0)) await c.close().catch(() => {});
    await ep?.stop();
  });
  const connectTo = async (server: string, opts: object = MODERN) => {
    const client = new Client({ name: 'claude-code', version: '2.1.0' }, opts);
    open.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${info.url}/${server}`), {
        requestInit: { headers: { authorization: `Bearer ${info.token}` } },
      }),
    );
    return client;
  };

  it('both servers: tools, resources, prompts and completions; a wrong token is still refused', async () => {
    const products = await connectTo('products');
    expect(products.getProtocolEra()).toBe('modern');
    expect((await products.callTool({ name: 'get_product', arguments: { product_id: 1 } })).structuredContent).toMatchObject({ id: 1 });
    expect(JSON.parse(((await products.readResource({ uri: 'db://products/all' })).contents[0] as { text: string }).text).total).toBe(5);
    expect((await products.listPrompts()).prompts).toHaveLength(2);
    const weather = await connectTo('weather');
    expect((await weather.callTool({ name: 'list_cities', arguments: {} })).isError).toBeFalsy();
    const completed = await weather.complete({
      ref: { type: 'ref/prompt', name: 'weather_report' },
      argument: { name: 'city', value: 'Lo' },
    });
    expect(completed.completion.values).toEqual(['London']);
    const report = await weather.getPrompt({ name: 'weather_report', arguments: { city: 'London' } });
    expect((report.messages[0]!.content as { text: string }).text).toMatch(/London/);
    const stranger = new Client({ name: 'x', version: '1' }, MODERN);
    await expect(
      stranger.connect(
        new StreamableHTTPClientTransport(new URL(`${info.url}/products`), { requestInit: { headers: { authorization: 'Bearer nope' } } }),
      ),
    ).rejects.toThrow(/401|Unauthorized/);
  });

  it('a listening client hears of a change another process made', async () => {
    const client = await connectTo('products');
    const updated: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    const sub = await client.listen({ resourceSubscriptions: ['db://products/all'] });
    await otherApp(dir, 'update_stock', { product_id: 3, new_stock: 11 });
    await until(() => updated.includes('db://products/all'), 'the update over HTTP', 10_000);
    await sub.close();
  });

  it('a 2025 client still gets its session (initialize, Mcp-Session-Id) beside the 2026 ones', async () => {
    const legacy = await connectTo('weather', {});
    expect(legacy.getProtocolEra()).toBe('legacy');
    expect(ep.sessionCount()).toBeGreaterThan(0);
    expect((await legacy.listTools()).tools.length).toBe(4);
  });
});
