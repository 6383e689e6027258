import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Host } from '../../electron/core/host.js';
import { startShellServer, type ShellServer } from '../../electron/core/http/shell-server.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { startHost, testRuntime } from '../helpers/host.js';
import { tempDir, until } from '../helpers/servers.js';
import { McpHttpEndpoint } from '../../electron/core/loopback/mcp-endpoint.js';
import { SettingsStore } from '../../electron/core/settings.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw requests, so a test can send any Host or Origin header. */
function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', (err) =>
      (err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err),
    );
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('headless shell over HTTP', () => {
  let host: Host;
  let shell: ShellServer;
  const api = (method: string, args: unknown, headers: Record<string, string> = {}) =>
    request(shell.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shell.token}`, ...headers },
      body: JSON.stringify(args),
    });

  beforeAll(async () => {
    host = await startHost({ autostart: false });
    shell = await startShellServer(host, { rendererDir: testRuntime().rendererDir });
  });
  afterAll(async () => {
    await shell?.close();
    await host?.close();
  });

  it('listens on loopback with a random token in the printed URL', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers 401 to every API request without the token in the header; the UI files themselves are public', async () => {
    for (const path of ['/api/events', `/api/events?token=${shell.token}`]) expect((await request(shell.port, { path })).status).toBe(401);
    const r = await api('getState', {}, { authorization: 'Bearer wrong' });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer');
    expect((await request(shell.port, { path: '/' })).status).toBe(200);
    // The scheme is case-insensitive (RFC 9110).
    expect((await api('getState', {}, { authorization: `bearer ${shell.token}` })).status).toBe(200);
    expect((await api('getState', {}, { authorization: `BEARER  ${shell.token}` })).status).toBe(200);
  });

  it('a malformed %-escape is a bad request (400), not a server error', async () => {
    for (const path of ['/%E0%A4%A', '/%zz', '/api/%']) {
      const r = await request(shell.port, { path, headers: { authorization: `Bearer ${shell.token}` } });
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
    }
  });

  it('answers 403 to a foreign Host (DNS rebinding) or Origin before checking anything else', async () => {
    const rebind = await request(shell.port, { path: `/?token=${shell.token}`, headers: { host: `evil.example:${shell.port}` } });
    expect(rebind.status).toBe(403);
    expect(rebind.body).toMatch(/unexpected Host header/);
    const cross = await api('getState', {}, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    const ok = await api('getState', {}, { origin: `http://127.0.0.1:${shell.port}` });
    expect(ok.status).toBe(200);
  });

  it('answers 413 to an oversized body and 415 to a non-JSON one', async () => {
    const big = await api('createProduct', { name: 'x'.repeat(2 * 1024 * 1024), price: 1, category: 'A' });
    expect(big.status).toBe(413);
    const form = await request(shell.port, {
      method: 'POST',
      path: '/api/getState',
      headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const notJson = await request(shell.port, {
      method: 'POST',
      path: '/api/getState',
      headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('runs host methods with the same validation and error codes', async () => {
    const state = await api('getState', {});
    expect(JSON.parse(state.body).result).toMatchObject({ shell: 'headless', servers: [{ name: 'products' }, { name: 'weather' }] });
    const bad = await api('createProduct', { name: 'A', price: 'free', category: 'B' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ code: 'invalid', error: expect.stringMatching(/price must be a number/) });
    expect((await api('nope', {})).status).toBe(404);
    expect((await api('deleteProduct', { id: 4242 })).status).toBe(404);
    const created = await api('createProduct', { name: 'Over HTTP', price: 3, category: 'Web' });
    expect(JSON.parse(created.body).result).toMatchObject({ name: 'Over HTTP', price: 3 });
  });

  it('serves the page with a strict CSP and sets no cookie (cookies ignore ports: every 127.0.0.1 server would get it)', async () => {
    const page = await request(shell.port, { path: `/?token=${shell.token}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();
    const cookieOnly = await request(shell.port, {
      method: 'POST',
      path: '/api/getSettings',
      headers: { cookie: `mcp_tray_${shell.port}=${shell.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cookieOnly.status).toBe(401);
    const traversal = await request(shell.port, { path: `/..%2f..%2fpackage.json?token=${shell.token}` });
    expect(traversal.body).not.toMatch(/"name": "mcp-tray"/);
  });

  it('streams host events over server-sent events', async () => {
    const events: HostEvent[] = [];
    const req = http.request({
      host: '127.0.0.1',
      port: shell.port,
      path: '/api/events',
      headers: { host: `127.0.0.1:${shell.port}`, authorization: `Bearer ${shell.token}` },
    });
    req.on('response', (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)));
        }
      });
    });
    req.end();
    await new Promise((r) => setTimeout(r, 100));
    await api('setServerEnabled', { server: 'weather', enabled: true });
    await until(
      () => events.some((e) => e.type === 'server-status' && e.status.name === 'weather' && e.status.state === 'running'),
      'running event',
    );
    await api('createProduct', { name: 'Evented', price: 1, category: 'Web' });
    await until(() => events.some((e) => e.type === 'data-changed' && e.what === 'products'), 'data-changed event');
    req.destroy();
  });
});

describe('optional Streamable HTTP MCP endpoint', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ autostart: false });
    await host.api.updateSettings({ http: { enabled: true } });
  });
  afterAll(async () => host?.close());

  it('serves the products server to an HTTP client with the bearer token', async () => {
    const info = (await host.api.getState()).http!;
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const transport = new StreamableHTTPClientTransport(new URL(`${info.url}/products`), {
      requestInit: { headers: { authorization: `Bearer ${info.token}` } },
    });
    const client = new Client({ name: 'claude-code', version: '2.0.0' });
    await client.connect(transport);
    expect(transport.sessionId).toBeTruthy();
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('query_products');
    const r = await client.callTool({ name: 'add_product', arguments: { name: 'Via HTTP', price: 2, category: 'Web' } });
    expect(r.isError).toBeFalsy();
    expect((await host.api.listChanges({ source: 'mcp' }))[0]).toMatchObject({ client: 'Claude Code', tool: 'add_product' });
    // Turning writes off reaches the live HTTP session too.
    await host.api.updateSettings({ servers: { products: { allowWrites: false } } });
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['get_product', 'query_products']);
    await host.api.updateSettings({ servers: { products: { allowWrites: true } } });
    await transport.terminateSession();
    await client.close();
  });

  it('refuses missing tokens, foreign origins, unknown sessions and oversized bodies', async () => {
    const info = (await host.api.getState()).http!;
    const port = Number(new URL(info.url).port);
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    expect((await request(port, { method: 'POST', path: '/mcp/products', headers, body: init })).status).toBe(401);
    const auth = { ...headers, authorization: `Bearer ${info.token}` };
    expect(
      (await request(port, { method: 'POST', path: '/mcp/products', headers: { ...auth, origin: 'https://evil.example' }, body: init }))
        .status,
    ).toBe(403);
    expect(
      (await request(port, { method: 'POST', path: '/mcp/products', headers: { ...auth, host: 'evil.example' }, body: init })).status,
    ).toBe(403);
    // A refused request whose id can be read is answered with that id (JSON-RPC 2.0), not null.
    const unknownSession = await request(port, {
      method: 'POST',
      path: '/mcp/products',
      headers: { ...auth, 'mcp-session-id': 'no-such-session' },
      body: init.replace('initialize', 'tools/list').replace('"id":1', '"id":"req-7"'),
    });
    expect(unknownSession.status).toBe(404);
    expect(JSON.parse(unknownSession.body)).toMatchObject({ jsonrpc: '2.0', id: 'req-7', error: { code: -32001 } });
    const noSession = await request(port, {
      method: 'POST',
      path: '/mcp/products',
      headers: auth,
      body: JSON.stringify({ jsonrpc: '2.0', id: 42, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    expect(JSON.parse(noSession.body)).toMatchObject({ jsonrpc: '2.0', id: 42, error: { code: -32000 } });
    // An id that cannot be read (a batch, a notification) is null.
    const batch = await request(port, {
      method: 'POST',
      path: '/mcp/products',
      headers: auth,
      body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }]),
    });
    expect(batch.status).toBe(400);
    expect(JSON.parse(batch.body)).toMatchObject({ id: null });
    expect(
      (await request(port, { method: 'POST', path: '/mcp/products', headers: auth, body: Buffer.alloc(5 * 1024 * 1024, 32) })).status,
    ).toBe(413);
    expect((await request(port, { method: 'POST', path: '/mcp/nothing', headers: auth, body: init })).status).toBe(404);
    const ok = await request(port, { method: 'POST', path: '/mcp/weather', headers: auth, body: init });
    expect(ok.status).toBe(200);
    expect(ok.headers['mcp-session-id']).toBeTruthy();
  });

  it('accepts the bearer scheme in any case', async () => {
    const info = (await host.api.getState()).http!;
    const transport = new StreamableHTTPClientTransport(new URL(`${info.url}/weather`), {
      requestInit: { headers: { authorization: `bearer ${info.token}` } },
    });
    const client = new Client({ name: 't', version: '1' });
    await client.connect(transport);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('keeps its token across restarts and stops when switched off', async () => {
    const before = (await host.api.getState()).http!;
    await host.api.updateSettings({ http: { enabled: false } });
    expect((await host.api.getState()).http).toBeNull();
    await host.api.updateSettings({ http: { enabled: true } });
    expect((await host.api.getState()).http!.token).toBe(before.token);
  });
});

describe('MCP HTTP sessions are bounded', () => {
  const initBody = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });

  async function endpoint(limits: { maxSessions?: number; idleMs?: number }) {
    const dataDir = tempDir();
    const settings = new SettingsStore(dataDir);
    await settings.update({ http: { enabled: true } });
    const ep = new McpHttpEndpoint({ dataDir, settings, limits });
    await ep.start();
    const info = ep.info()!;
    const port = Number(new URL(info.url).port);
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${info.token}`,
    };
    const open = async () =>
      (await request(port, { method: 'POST', path: '/mcp/products', headers, body: initBody })).headers['mcp-session-id'] as string;
    const list = async (id: string) =>
      (
        await request(port, {
          method: 'POST',
          path: '/mcp/products',
          headers: { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
        })
      ).status;
    return { ep, open, list };
  }

  it('a cap: the least recently used session makes room for a new one', async () => {
    const { ep, open, list } = await endpoint({ maxSessions: 3 });
    try {
      const [a, b, c] = [await open(), await open(), await open()];
      expect(await list(a)).toBe(200); // a is now the most recently used; b the least
      const d = await open();
      expect(ep.sessionCount()).toBe(3);
      expect(await list(b)).toBe(404);
      for (const id of [a, c, d]) expect(await list(id)).toBe(200);
      for (let i = 0; i < 20; i++) await open();
      expect(ep.sessionCount()).toBe(3);
    } finally {
      await ep.stop();
    }
  });

  it('an idle timeout: a session nobody used for a while is closed', async () => {
    const { ep, open, list } = await endpoint({ idleMs: 300 });
    try {
      const id = await open();
      expect(await list(id)).toBe(200);
      await until(() => ep.sessionCount() === 0, 'the idle session to be closed', 5000);
      expect(await list(id)).toBe(404);
    } finally {
      await ep.stop();
    }
  });
});
