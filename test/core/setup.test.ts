// Issue 16, §1 and §4: the Home page's checklist, from real signals only, and keeping the
// connection alive when Claude drops our entries.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostEvent, SetupStatus } from '../../electron/core/contract.js';
import type { Host } from '../../electron/core/host.js';
import { fakePlatform, startHost } from '../helpers/host.js';
import { call, connect, tempDir, until } from '../helpers/servers.js';

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

async function setupHost(opts: { clientWatchMs?: number; claudeLogWatchMs?: number } = {}) {
  const home = tempDir('mcp-tray-home-');
  const platform = fakePlatform(home, 'linux', { XDG_CONFIG_HOME: path.join(home, '.config') });
  const h = await startHost({ platform, autostart: false, ...opts });
  hosts.push(h);
  const logs = path.join(home, '.config', 'Claude', 'logs');
  const config = path.join(home, '.config', 'Claude', 'claude_desktop_config.json');
  return { h, logs, config };
}
const states = (s: SetupStatus) => Object.fromEntries(s.steps.map((st) => [st.id, st.state]));
const iso = (ms = 0) => new Date(Date.now() + ms).toISOString();

/** What Claude Desktop 2025 writes when it starts one of our servers and it answers. */
const started = (entry: string, at: string) =>
  `${at} [${entry}] [info] Initializing server...\n${at} [${entry}] [info] Message from server: {"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18"}}\n`;

describe('the Home checklist', () => {
  it('a fresh install: data is there, the next thing to do is Connect', async () => {
    const { h } = await setupHost();
    const s = await h.api.getSetup();
    expect(states(s)).toEqual({ data: 'done', connect: 'todo', restart: 'waiting', try: 'waiting', using: 'waiting' });
    expect(s.ok).toBe(false);
    expect(s.summary).toBe('Claude Desktop: not connected');
    // The products a new install starts with are said to be samples, not the person's data (issue 26, item 10).
    expect(s.steps[0]!.detail).toBe('5 sample products (examples to try Claude with, not yours yet), 3 cities · 0 of 2 servers running');
    expect(s.data.samples).toBe(true);
    await h.api.updateProduct({ id: 1, patch: { price: 30 } });
    expect((await h.api.getSetup()).steps[0]!.detail).toMatch(/^5 products, 3 cities/);
    expect(s.examples).toContain('Which products are low on stock?');
    expect(s.examples.some((e) => /^What’s the weather in \w+/.test(e))).toBe(true);
    expect(s.restartHow).toMatch(/tray icon/);
  });

  it('connected: says to restart Claude; after Claude starts our servers and calls a tool, everything is done', async () => {
    const { h, logs } = await setupHost();
    await h.api.connectClient({ client: 'claude-desktop' });
    let s = await h.api.getSetup();
    expect(states(s)).toMatchObject({ connect: 'done', restart: 'todo', try: 'todo', using: 'waiting' });
    expect(s.summary).toBe('Claude Desktop: connected — restart it to start');

    // A start logged before our write is not a restart that saw our entries.
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'mcp-server-mcp-tray-products.log'), started('mcp-tray-products', iso(-60_000)));
    expect(states(await h.api.getSetup()).restart).toBe('todo');

    fs.appendFileSync(path.join(logs, 'mcp-server-mcp-tray-products.log'), started('mcp-tray-products', iso(1000)));
    s = await h.api.getSetup();
    expect(states(s)).toMatchObject({ restart: 'done', try: 'todo' });
    expect(s.ok).toBe(true);

    // Claude Desktop (clientInfo "claude-ai") runs the server and calls a tool: the activity the server records says so.
    const claude = await connect('products', h.dataDir, { clientName: 'claude-ai' });
    try {
      await call(claude.client, 'query_products', { low_stock_below: 5 });
      await until(async () => {
        const x = await h.api.getSetup();
        return x.liveServers.includes('products') && x.lastCall !== null;
      }, 'the live connection and its call');
      s = await h.api.getSetup();
      expect(states(s)).toEqual({ data: 'done', connect: 'done', restart: 'done', try: 'done', using: 'done' });
      expect(s.summary).toBe('Claude Desktop: using products, just now');
      expect(s.lastCall).toMatchObject({ server: 'products', tool: 'query_products' });
      expect(s.steps.find((x) => x.id === 'using')!.detail).toMatch(
        /^Claude Desktop has products open — last call just now \(query_products\)\.$/,
      );
    } finally {
      await claude.close();
    }
  });

  it("another client's activity does not count as Claude Desktop's", async () => {
    const { h } = await setupHost();
    await h.api.connectClient({ client: 'claude-desktop' });
    const cursor = await connect('products', h.dataDir, { clientName: 'cursor-vscode' });
    try {
      await call(cursor.client, 'query_products', {});
      // Wait until the activity has Cursor's connection and call, so the check below means something.
      await until(async () => {
        const a = await h.api.getActivity({});
        return a.calls.some((c) => c.client === 'Cursor') && a.connections.some((c) => c.client === 'Cursor');
      }, "Cursor's recorded call");
      const s = await h.api.getSetup();
      expect(s.liveServers).toEqual([]);
      expect(s.lastCall).toBeNull();
      expect(states(s).using).toBe('waiting');
    } finally {
      await cursor.close();
    }
  });

  it("Claude's log says it cannot start a server: the restart step is a problem and the tray line says so", async () => {
    const { h, logs } = await setupHost();
    await h.api.connectClient({ client: 'claude-desktop' });
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(
      path.join(logs, 'mcp.log'),
      `${iso(1000)} [info] [mcp-tray-weather] Initializing server...\n${iso(1010)} [error] [mcp-tray-weather] spawn /gone/MCP Tray ENOENT\n`,
    );
    const s = await h.api.getSetup();
    expect(states(s)).toMatchObject({ restart: 'problem', using: 'waiting' });
    expect(s.ok).toBe(false);
    expect(s.summary).toBe("Claude Desktop: can't start MCP Tray — open for details");
    expect(s.steps.find((x) => x.id === 'restart')!.detail).toBe("Claude Desktop can't start Weather: see what its log says above.");
    expect(s.claudeLogs.servers.find((x) => x.server === 'weather')!.problem!.meaning).toMatch(/can't find MCP Tray at \/gone\/MCP Tray/);
    // Not connected any more: an old failure of an entry that is no longer there is not today's problem.
    await h.api.disconnectClient({ client: 'claude-desktop' });
    expect((await h.api.getSetup()).summary).toBe('Claude Desktop: not connected');
  });

  it('the Claude log watcher announces changes as events', async () => {
    const { h, logs } = await setupHost({ claudeLogWatchMs: 50 });
    const events: HostEvent[] = [];
    h.on('event', (e) => events.push(e));
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'mcp-server-mcp-tray-products.log'), started('mcp-tray-products', iso()));
    await until(() => events.some((e) => e.type === 'claude-logs'), 'a claude-logs event');
    const e = events.find((x) => x.type === 'claude-logs') as Extract<HostEvent, { type: 'claude-logs' }>;
    expect(e.report.servers.find((x) => x.server === 'products')!.state).toBe('ok');
  });
});

describe('keeping the connection alive', () => {
  it('automatic repair is on by default: a dropped entry is put back at once, and the person is told once to restart Claude', async () => {
    const { h, config, logs } = await setupHost({ clientWatchMs: 50 });
    expect((await h.api.getSettings()).clients.autoRepair).toBe(true);
    await h.api.connectClient({ client: 'claude-desktop' });
    const events: HostEvent[] = [];
    h.on('event', (e) => events.push(e));

    // Claude Desktop rewrites its config on start and leaves only what it knows.
    const before = JSON.parse(fs.readFileSync(config, 'utf8'));
    fs.writeFileSync(config, JSON.stringify({ mcpServers: {}, preferences: { quickEntry: true } }, null, 2));
    await until(() => events.some((e) => e.type === 'repaired'), 'the repair');
    const after = JSON.parse(fs.readFileSync(config, 'utf8'));
    expect(after.mcpServers).toEqual(before.mcpServers);
    expect(after.preferences).toEqual({ quickEntry: true });
    expect(events.filter((e) => e.type === 'repaired')).toEqual([
      { type: 'repaired', client: 'claude-desktop', message: expect.stringMatching(/put back\. Quit Claude Desktop completely/) },
    ]);
    const s = await h.api.getSetup();
    expect(s.repaired).toEqual({ client: 'Claude Desktop', at: expect.any(String) });

    // Once Claude starts our servers again, the banner has done its job.
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'mcp-server-mcp-tray-products.log'), started('mcp-tray-products', iso(1000)));
    expect((await h.api.getSetup()).repaired).toBeNull();
  });
});
