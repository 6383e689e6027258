// Issue 11: MCP Tray's servers as Claude Desktop extensions (.mcpb), checked with the official
// @anthropic-ai/mcpb tool, unpacked and run the way Claude runs them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import { fakePlatform, startHost, testRuntime } from '../helpers/host.js';
import { ROOT, tempDir, text, until } from '../helpers/servers.js';

const exec = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'mcp-tray.js');
const MCPB = path.join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const mcpb = (...args: string[]) =>
  exec(process.execPath, [MCPB, ...args]).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

type Manifest = {
  name: string;
  version: string;
  server: { type: string; entry_point: string; mcp_config: { command: string; args: string[]; env?: Record<string, string> } };
  tools: Array<{ name: string; description: string }>;
  prompts: Array<{ name: string; text: string }>;
  user_config: Record<string, { type: string; default?: string }>;
  compatibility: { platforms: string[] };
};

async function buildWithCli() {
  const home = tempDir('mcp-tray-home-');
  const dataDir = tempDir();
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' };
  const r = await exec(process.execPath, [BIN, 'extension', 'build', '--data-dir', dataDir], { env });
  return { home, dataDir, files: r.stdout.trim().split('\n'), stderr: r.stderr };
}

/** Unpacks with the official tool and reads the manifest. */
async function unpack(file: string) {
  const dir = tempDir('mcp-tray-ext-');
  const r = await mcpb('unpack', file, dir);
  expect(r.code).toBe(0);
  return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest };
}

/**
 * Starts an unpacked extension the way Claude Desktop does: mcp_config with ${__dirname},
 * ${HOME} and ${user_config.*} (defaults) substituted, "node" being Claude's own Node, a bare
 * environment and / as the working folder.
 */
async function runLikeClaude(dir: string, manifest: Manifest, home: string) {
  const sub = (s: string) =>
    s
      .replace(/\$\{__dirname\}/g, dir)
      .replace(/\$\{HOME\}/g, home)
      .replace(/\$\{user_config\.(\w+)\}/g, (_m, k: string) => String(manifest.user_config[k]!.default));
  const cfg = manifest.server.mcp_config;
  const transport = new StdioClientTransport({
    command: cfg.command === 'node' ? process.execPath : sub(cfg.command),
    args: cfg.args.map(sub),
    env: { HOME: home, ...Object.fromEntries(Object.entries(cfg.env ?? {}).map(([k, v]) => [k, sub(v)])) },
    cwd: '/',
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'claude-ai', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('Claude Desktop extensions (.mcpb)', () => {
  it('builds one bundle per server that the official tool validates and reads', async () => {
    const { files, dataDir, stderr } = await buildWithCli();
    expect(files).toEqual([
      path.join(dataDir, 'extensions', 'mcp-tray-products.mcpb'),
      path.join(dataDir, 'extensions', 'mcp-tray-weather.mcpb'),
    ]);
    expect(stderr).toMatch(/Double-click a file/);
    for (const file of files) {
      const info = await mcpb('info', file);
      expect(info.code).toBe(0);
      expect(info.out).toMatch(new RegExp(`File: ${path.basename(file).replace('.', '\\.')}`));
      const { dir, manifest } = await unpack(file);
      const valid = await mcpb('validate', path.join(dir, 'manifest.json'));
      expect(valid.out).toMatch(/Manifest schema validation passes!/);
      expect(valid.code).toBe(0);
      expect(manifest).toMatchObject({
        manifest_version: '0.3',
        name: path.basename(file, '.mcpb'),
        icon: 'icon.png',
        server: { type: 'node', entry_point: 'server/launch.cjs' },
        compatibility: { platforms: [process.platform] },
        user_config: { data_dir: { type: 'directory', default: dataDir, required: true } },
      });
      expect(fs.existsSync(path.join(dir, 'icon.png'))).toBe(true);
      for (const p of manifest.prompts) expect(p.text.length).toBeGreaterThan(10);
    }
  });

  it('--release: no path of the building machine inside, the installed app’s own data folder by default', async () => {
    const home = tempDir('mcp-tray-home-');
    const dataDir = tempDir();
    const out = tempDir();
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' };
    await exec(process.execPath, [BIN, 'extension', 'build', '--release', '--out', out, '--data-dir', dataDir], { env });
    const { dir, manifest } = await unpack(path.join(out, 'mcp-tray-weather.mcpb'));
    expect((await mcpb('validate', path.join(dir, 'manifest.json'))).code).toBe(0);
    expect(manifest.user_config.data_dir!.default).toBe('${HOME}/.config/MCP Tray');
    const runtime = fs.readFileSync(path.join(dir, 'server', 'runtime.json'), 'utf8');
    expect(runtime).not.toContain(ROOT);
    expect(runtime).not.toContain(dataDir);
    expect(JSON.parse(runtime).candidates).toEqual([
      {
        command: '/opt/MCP Tray/mcp-tray',
        script: '/opt/MCP Tray/resources/app.asar.unpacked/dist/servers/weather.cjs',
        env: { ELECTRON_RUN_AS_NODE: '1' },
      },
    ]);
  });

  it("unpacked and started as Claude starts it, it speaks MCP: tools/list equals the manifest's tools, and a call works on the shared data", async () => {
    const { files, home } = await buildWithCli();
    for (const [file, call] of [
      [files[0]!, { name: 'query_products', arguments: { low_stock_below: 100 } }],
      [files[1]!, { name: 'list_cities', arguments: {} }],
    ] as const) {
      const { dir, manifest } = await unpack(file);
      const { client } = await runLikeClaude(dir, manifest, home);
      try {
        expect(client.getServerVersion()?.name).toBe(manifest.name);
        const listed = (await client.listTools()).tools.map((t) => ({ name: t.name, description: t.description }));
        expect(listed).toEqual(manifest.tools);
        const r = await client.callTool(call);
        expect(r.isError).toBeFalsy();
        // The data folder the extension uses by default is the app's: the seeded catalog and cities.
        expect(text(r as never)).toMatch(file.endsWith('products.mcpb') ? /Widget/ : /Tokyo/);
      } finally {
        await client.close();
      }
    }
  });

  it('without MCP Tray installed it still answers, and every call says what is wrong and what to do', async () => {
    const { files, home } = await buildWithCli();
    const { dir, manifest } = await unpack(files[0]!);
    const runtimeFile = path.join(dir, 'server', 'runtime.json');
    const runtime = JSON.parse(fs.readFileSync(runtimeFile, 'utf8'));
    runtime.candidates = [{ command: '/Applications/MCP Tray.app/Contents/MacOS/MCP Tray', script: '/nowhere/products.cjs', env: {} }];
    fs.writeFileSync(runtimeFile, JSON.stringify(runtime));
    const { client, stderr } = await runLikeClaude(dir, manifest, home);
    try {
      expect(client.getInstructions()).toMatch(/^MCP Tray is not installed where this extension looks for it/);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(manifest.tools.map((t) => t.name));
      const r = await client.callTool({ name: 'query_products', arguments: {} });
      expect(r.isError).toBe(true);
      expect(text(r as never)).toMatch(/MCP Tray must be installed: install it .* then quit and reopen Claude Desktop/);
      expect(stderr()).toMatch(/^mcp-tray-products: MCP Tray is not installed/);
    } finally {
      await client.close();
    }
  });
});

describe('the extension launcher without MCP Tray, to a 2026-07-28 client', () => {
  it('answers server/discover and every call with what is wrong (the official v2 client, pinned)', async () => {
    const { files, home } = await buildWithCli();
    const { dir, manifest } = await unpack(files[1]!);
    const runtimeFile = path.join(dir, 'server', 'runtime.json');
    const runtime = JSON.parse(fs.readFileSync(runtimeFile, 'utf8'));
    runtime.candidates = [{ command: '/nowhere/MCP Tray', script: '/nowhere/weather.cjs', env: {} }];
    fs.writeFileSync(runtimeFile, JSON.stringify(runtime));
    const { Client: ModernClient } = await import('@modelcontextprotocol/client');
    const { StdioClientTransport: ModernStdio } = await import('@modelcontextprotocol/client/stdio');
    const client = new ModernClient({ name: 'claude-code', version: '2.1.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(
      new ModernStdio({
        command: process.execPath,
        args: [path.join(dir, manifest.server.entry_point)],
        env: { HOME: home },
        cwd: '/',
        stderr: 'pipe',
      }),
    );
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getInstructions()).toMatch(/^MCP Tray is not installed where this extension looks for it/);
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(manifest.tools.map((t) => t.name));
      const r = await client.callTool({ name: 'get_forecast', arguments: {} });
      expect(r.isError).toBe(true);
      expect(text(r as never)).toMatch(/MCP Tray must be installed/);
    } finally {
      await client.close();
    }
  });
});

describe('the extension route in the host', () => {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
  });

  async function hostWithClaude(opts: { openPath?: (f: string) => Promise<string>; clientWatchMs?: number } = {}) {
    const home = tempDir('mcp-tray-home-');
    const platform = fakePlatform(home, 'linux', { XDG_CONFIG_HOME: path.join(home, '.config') });
    const { clientWatchMs = 0, ...runtime } = opts;
    const h = await startHost({ platform, autostart: false, clientWatchMs, runtime: { ...testRuntime(), ...runtime } });
    hosts.push(h);
    const claudeDir = path.join(home, '.config', 'Claude');
    /** What Claude Desktop leaves when a person installs the bundle (unpacked into "Claude Extensions"). */
    const plantInstalled = async (server: 'products' | 'weather', enabled?: boolean) => {
      const { file } = await h.api.installExtension({ server });
      const { manifest } = await unpack(file);
      const id = `local.mcpb.mcp-tray.${manifest.name}`;
      fs.mkdirSync(path.join(claudeDir, 'Claude Extensions', id), { recursive: true });
      fs.writeFileSync(path.join(claudeDir, 'Claude Extensions', id, 'manifest.json'), JSON.stringify(manifest));
      if (enabled !== undefined) {
        fs.mkdirSync(path.join(claudeDir, 'Claude Extensions Settings'), { recursive: true });
        fs.writeFileSync(path.join(claudeDir, 'Claude Extensions Settings', `${id}.json`), JSON.stringify({ isEnabled: enabled }));
      }
    };
    return { h, claudeDir, plantInstalled, config: path.join(claudeDir, 'claude_desktop_config.json') };
  }

  it('Install hands the fresh bundle to the OS (Claude’s installer) in the desktop app, and only builds it in the browser', async () => {
    const opened: string[] = [];
    const desk = await hostWithClaude({ openPath: async (f) => (opened.push(f), '') });
    const r = await desk.h.api.installExtension({ server: 'weather' });
    expect(r).toMatchObject({ opened: true, message: expect.stringMatching(/click Install/) });
    expect(opened).toEqual([r.file]);
    expect((await desk.h.api.getExtensions()).built.map((b) => b.server)).toEqual(['weather']);

    const failing = await hostWithClaude({ openPath: async () => 'no application is registered for .mcpb' });
    await expect(failing.h.api.installExtension({ server: 'weather' })).rejects.toThrow(
      /no application is registered for \.mcpb.*Double-click it in/,
    );

    const browser = await hostWithClaude();
    expect(await browser.h.api.installExtension({ server: 'products' })).toMatchObject({ opened: false });
    const download = await browser.h.api.getExtensionFile({ server: 'products' });
    expect(download.name).toBe('mcp-tray-products.mcpb');
    expect(Buffer.from(download.base64, 'base64').subarray(0, 2).toString()).toBe('PK'); // a zip
  });

  it('never leaves both routes on for a server: finds the installed extension, says so, and Repair removes only that config entry', async () => {
    const { h, plantInstalled, config } = await hostWithClaude();
    await h.api.connectClient({ client: 'claude-desktop' });
    await plantInstalled('products');

    let claude = (await h.api.listClients()).find((c) => c.id === 'claude-desktop')!;
    expect(claude.state).toBe('outdated');
    expect(claude.detail).toMatch(/mcp-tray-products is also installed as a Claude extension, so Claude would show its tools twice/);
    expect((await h.api.getExtensions()).conflicts).toEqual(['products']);
    const checks = await h.api.runChecks({ startServers: false });
    expect(checks.checks.find((c) => c.id === 'claude-route')).toMatchObject({ ok: false, next: expect.stringMatching(/Repair/) });

    await h.api.connectClient({ client: 'claude-desktop' }); // Repair
    const written = JSON.parse(fs.readFileSync(config, 'utf8'));
    expect(Object.keys(written.mcpServers)).toEqual(['mcp-tray-weather']);
    claude = (await h.api.listClients()).find((c) => c.id === 'claude-desktop')!;
    expect(claude).toMatchObject({ state: 'connected', extensions: ['products'] });
    expect((await h.api.getExtensions()).conflicts).toEqual([]);
    expect((await h.api.runChecks({ startServers: false })).checks.find((c) => c.id === 'claude-route')).toMatchObject({
      ok: true,
      detail: 'config entries: weather; Claude extensions: products',
    });
  });

  it('switching route removes the other: once Claude has installed the extension, the config entry goes by itself (a backup kept)', async () => {
    const { h, plantInstalled, config } = await hostWithClaude({ clientWatchMs: 50 });
    const notices: string[] = [];
    h.on('event', (e) => e.type === 'notice' && notices.push(e.message));
    await h.api.connectClient({ client: 'claude-desktop' });
    const backups = (await h.api.listBackups({ client: 'claude-desktop' })).length;
    await plantInstalled('weather');
    await until(() => !('mcp-tray-weather' in JSON.parse(fs.readFileSync(config, 'utf8')).mcpServers), 'the weather entry removed');
    expect(Object.keys(JSON.parse(fs.readFileSync(config, 'utf8')).mcpServers)).toEqual(['mcp-tray-products']);
    expect((await h.api.listClients()).find((c) => c.id === 'claude-desktop')).toMatchObject({
      state: 'connected',
      extensions: ['weather'],
    });
    expect((await h.api.listBackups({ client: 'claude-desktop' })).length).toBe(backups + 1);
    await until(() => notices.length > 0, 'the notice');
    expect(notices).toEqual([
      "Weather now runs as a Claude extension, so MCP Tray removed its entry from Claude Desktop's settings file (a backup was kept).",
    ]);
    // Nothing more to do: the file is written once.
    const written = fs.statSync(config).mtimeMs;
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.statSync(config).mtimeMs).toBe(written);
  });

  it('an extension switched off in Claude does not count as a route; with every server installed, no entries are needed', async () => {
    const { h, plantInstalled } = await hostWithClaude();
    await plantInstalled('products', false);
    expect((await h.api.getExtensions()).installed).toEqual([expect.objectContaining({ server: 'products', enabled: false })]);
    expect((await h.api.listClients()).find((c) => c.id === 'claude-desktop')!.extensions).toEqual([]);

    await plantInstalled('products', true);
    await plantInstalled('weather');
    const claude = (await h.api.listClients()).find((c) => c.id === 'claude-desktop')!;
    expect(claude).toMatchObject({ state: 'connected', extensions: ['products', 'weather'], entries: {} });
    expect((await h.api.getSetup()).steps.find((s) => s.id === 'connect')!.detail).toMatch(/products and weather as Claude extensions/);
  });
});
