import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Connectors } from '../../electron/core/clients/connectors.js';
import { SettingsStore } from '../../electron/core/settings.js';
import { ConfigParseError } from '../../electron/core/clients/config-file.js';
import { claudeDesktopDir, type PlatformInfo } from '../../electron/core/clients/registry.js';
import { ROOT, tempDir, until } from '../helpers/servers.js';
import { connectorsSetup, fakePlatform, testRuntime } from '../helpers/host.js';

const made: Connectors[] = [];
afterEach(() => {
  for (const c of made.splice(0)) c.close();
});

const setup = (platform?: PlatformInfo, watchMs?: number) => connectorsSetup(made, platform, watchMs);

const write = (file: string, text: string | Buffer) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const dirEntries = (file: string) => fs.readdirSync(path.dirname(file)).sort();

const USER_CONFIG = `{
    "mcpServers": {
        "filesystem": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/ann/Desktop"]
        }
    },
    "preferences": { "quickEntryShortcut": "double-tap-option", "menuBarEnabled": true },
    "globalShortcut": "Alt+Space",
    "someFutureKey": [1, 2, { "nested": null }]
}
`;

describe('config files that do not parse are never written', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['trailing comma', '{\n  "mcpServers": {},\n}\n', /line 3, column 1: .*trailing comma/],
    ['comment', '{\n  // my servers\n  "mcpServers": {}\n}\n', /line 2, column 3: comments are not allowed/],
    [
      'byte-order mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"mcpServers": {}}')]),
      /line 1, column 1: .*byte-order mark/,
    ],
    ['empty file', '', /the file is empty/],
    ['whitespace only', '  \n\n', /the file is empty/],
    ['truncated', '{\n  "mcpServers": {\n    "filesystem": {"command": "npx"', /closing \} is missing|cut short/],
    ['not an object', '[1, 2, 3]\n', /must hold a JSON object .* but holds an array/],
    ['null', 'null', /but holds null/],
    ['mcpServers not an object', '{\n  "preferences": {},\n  "mcpServers": ["a"]\n}\n', /line 3, column 3: "mcpServers" must be an object/],
    ['mcpServers is a string', '{"mcpServers": "none"}', /"mcpServers" must be an object/],
  ];

  it.each(cases)('%s: connect refuses with line and column; the bytes stay as they were', async (_label, content, message) => {
    const { connectors, file, dataDir } = setup();
    write(file, content);
    const before = fs.readFileSync(file);
    const files = dirEntries(file);
    const err = await connectors.connect('claude-desktop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigParseError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(file);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(dirEntries(file)).toEqual(files); // no temp file left behind
    expect(fs.existsSync(path.join(dataDir, 'backups', 'claude-desktop'))).toBe(false);
    expect(connectors.status('claude-desktop')).toMatchObject({ state: 'error', detail: expect.stringMatching(message) });
    // disconnect refuses in the same way
    await expect(connectors.disconnect('claude-desktop')).rejects.toThrow(ConfigParseError);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('VS Code: "servers" must be an object too', async () => {
    const { connectors } = setup();
    const file = connectors.configPath('vscode');
    write(file, '{"servers": 3}');
    await expect(connectors.connect('vscode')).rejects.toThrow(/"servers" must be an object/);
  });
});

describe('everything that is not ours survives', () => {
  it('keeps other servers, preferences, unknown keys, 4-space indentation and key order', async () => {
    const { connectors, file } = setup();
    write(file, USER_CONFIG);
    const r = await connectors.connect('claude-desktop');
    expect(r.changed).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    const original = JSON.parse(USER_CONFIG);
    expect(json.mcpServers.filesystem).toEqual(original.mcpServers.filesystem);
    expect(json.preferences).toEqual(original.preferences);
    expect(json.globalShortcut).toBe('Alt+Space');
    expect(json.someFutureKey).toEqual(original.someFutureKey);
    expect(Object.keys(json)).toEqual(Object.keys(original));
    // Untouched text is byte-for-byte the user's, including their indentation.
    expect(text).toContain(
      '    "preferences": { "quickEntryShortcut": "double-tap-option", "menuBarEnabled": true },\n    "globalShortcut": "Alt+Space",',
    );
    expect(text).toContain('        "mcp-tray-products": {\n            "command": ');
    expect(json.mcpServers['mcp-tray-products']).toEqual({
      command: process.execPath,
      args: [path.join(process.cwd(), 'dist', 'servers', 'products.cjs'), '--data-dir', expect.any(String)],
    });
    expect(path.isAbsolute(json.mcpServers['mcp-tray-weather'].args[0])).toBe(true);

    const d = await connectors.disconnect('claude-desktop');
    expect(d.changed).toBe(true);
    // Connect then disconnect gives back the user's file byte for byte.
    expect(fs.readFileSync(file, 'utf8')).toBe(USER_CONFIG);
  });

  it('keeps CRLF line endings and tab indentation', async () => {
    const { connectors, file } = setup();
    const crlf = '{\r\n\t"mcpServers": {\r\n\t\t"other": { "command": "/bin/other" }\r\n\t},\r\n\t"preferences": {}\r\n}\r\n';
    write(file, crlf);
    await connectors.connect('claude-desktop');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split('\n').every((line, i, all) => i === all.length - 1 || line.endsWith('\r'))).toBe(true);
    expect(text).toContain('\r\n\t\t"mcp-tray-products": {\r\n\t\t\t"command"');
    expect(text.startsWith('{\r\n\t"mcpServers": {\r\n\t\t"other": { "command": "/bin/other" },')).toBe(true);
    await connectors.disconnect('claude-desktop');
    expect(fs.readFileSync(file, 'utf8')).toBe(crlf);
  });

  it('adds mcpServers to a file that has none, and fills an empty one', async () => {
    const { connectors, file } = setup();
    write(file, '{\n  "preferences": { "a": 1 }\n}\n');
    await connectors.connect('claude-desktop');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('{\n  "preferences": { "a": 1 },\n  "mcpServers": {\n    "mcp-tray-products": {\n      "command"')).toBe(true);
    write(file, '{"mcpServers": {}}');
    await connectors.connect('claude-desktop');
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
  });

  it('creates the file and its folder when missing, and says what to do next', async () => {
    const { connectors, file } = setup();
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    expect(connectors.status('claude-desktop').state).toBe('not-installed');
    const r = await connectors.connect('claude-desktop');
    expect(r.backup).toBeNull();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    expect(r.status.state).toBe('connected');
    expect(r.message).toMatch(/Quit Claude Desktop completely/);
  });

  it('writes VS Code and Claude Code entries in their own format', async () => {
    const { connectors } = setup();
    await connectors.connect('vscode');
    const vs = JSON.parse(fs.readFileSync(connectors.configPath('vscode'), 'utf8'));
    expect(vs.servers['mcp-tray-products']).toMatchObject({ type: 'stdio', command: process.execPath });
    expect(vs.mcpServers).toBeUndefined();
    await connectors.connect('cursor');
    const cursor = JSON.parse(fs.readFileSync(connectors.configPath('cursor'), 'utf8'));
    expect(cursor.mcpServers['mcp-tray-weather'].type).toBeUndefined();
  });

  it('updates the target of a symlinked config and keeps the link', async () => {
    const { connectors, file } = setup();
    const real = path.join(tempDir(), 'dotfiles', 'claude.json');
    write(real, USER_CONFIG);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(real, file);
    await connectors.connect('claude-desktop');
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(file)).toBe(real);
    expect(JSON.parse(fs.readFileSync(real, 'utf8')).mcpServers['mcp-tray-products']).toBeDefined();
    expect(JSON.parse(fs.readFileSync(real, 'utf8')).mcpServers.filesystem).toBeDefined();
  });
});

describe('backups and concurrent writers', () => {
  it('keeps a timestamped backup of every write, and restores one', async () => {
    const { connectors, file } = setup();
    write(file, USER_CONFIG);
    const r1 = await connectors.connect('claude-desktop');
    expect(r1.backup).toMatch(/^claude_desktop_config\.json\.\d{4}-\d\d-\d\dT.*\.bak$/);
    await connectors.disconnect('claude-desktop');
    const backups = connectors.backups('claude-desktop');
    expect(backups).toHaveLength(2);
    const original = backups.find((b) => b.file === r1.backup)!;
    // The user breaks the file by hand; a restore brings back the original bytes.
    write(file, '{ broken');
    const restored = await connectors.restore('claude-desktop', original.file);
    expect(fs.readFileSync(file, 'utf8')).toBe(USER_CONFIG);
    expect(restored.backup).not.toBeNull(); // the broken file was itself kept
    await expect(connectors.restore('claude-desktop', '../../etc/passwd')).rejects.toThrow(/Not a backup name/);
  });

  it('says what made each backup and what restoring it would change now, not its size', async () => {
    const { connectors, file } = setup();
    write(file, USER_CONFIG);
    await connectors.connect('claude-desktop');
    await connectors.disconnect('claude-desktop');
    write(file, '{ broken');
    await connectors.fixConfig('claude-desktop').catch(() => null); // no sure fix for this one: nothing written, no backup
    const [fromDisconnect, fromConnect] = connectors.backups('claude-desktop');
    await connectors.restore('claude-desktop', fromDisconnect!.file);
    const list = connectors.backups('claude-desktop');
    expect(list.map((b) => [b.kind, b.label, b.restoring])).toEqual([
      ['restore', 'Before restoring a backup', 'puts back a file that did not read as settings'],
      ['disconnect', 'Before Disconnect', 'changes nothing (the same as the file now)'],
      ['connect', 'Before Connect', 'removes mcp-tray-products, mcp-tray-weather'],
    ]);
    expect(fromConnect!.file).toMatch(/\.connect\.bak$/);
  });

  it('re-reads and merges when another program changes the file between our read and our write', async () => {
    const { connectors, file } = setup();
    write(file, USER_CONFIG);
    let attempts = 0;
    const r = await connectors.connect('claude-desktop', undefined, (attempt) => {
      attempts = attempt;
      if (attempt === 1) {
        // Claude Desktop (say) adds a server of its own at the worst moment.
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        json.mcpServers.github = { command: '/usr/local/bin/github-mcp' };
        json.preferences.menuBarEnabled = false;
        fs.writeFileSync(file, JSON.stringify(json, null, 2));
      }
    });
    expect(attempts).toBe(2);
    expect(r.changed).toBe(true);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.mcpServers.github).toEqual({ command: '/usr/local/bin/github-mcp' });
    expect(json.preferences.menuBarEnabled).toBe(false);
    expect(json.mcpServers['mcp-tray-products']).toBeDefined();
    expect(json.mcpServers.filesystem).toBeDefined();
  });
});

describe('client status', () => {
  it('tells connected, outdated (path gone), entry missing (client dropped it) and repairs', async () => {
    const { connectors, file, settings } = setup();
    write(file, USER_CONFIG);
    expect(connectors.status('claude-desktop').state).toBe('not-connected');
    await connectors.connect('claude-desktop');
    expect(connectors.status('claude-desktop').state).toBe('connected');

    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.mcpServers['mcp-tray-products'].args[0] = '/Applications/Old MCP Tray.app/gone/products.cjs';
    fs.writeFileSync(file, JSON.stringify(json));
    const outdated = connectors.status('claude-desktop');
    expect(outdated.state).toBe('outdated');
    expect(outdated.detail).toMatch(/points at \/Applications\/Old MCP Tray\.app\/gone\/products\.cjs, which no longer exists/);

    // Claude Desktop rewrites its file and drops mcpServers entirely.
    fs.writeFileSync(file, JSON.stringify({ preferences: { menuBarEnabled: true } }));
    const missing = connectors.status('claude-desktop');
    expect(missing.state).toBe('entry-missing');
    expect(missing.nextStep).toMatch(/Repair/);

    await connectors.connect('claude-desktop');
    expect(connectors.status('claude-desktop').state).toBe('connected');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).preferences).toEqual({ menuBarEnabled: true });

    // A server switched off leaves the client's config on the next sync.
    await settings.update({ servers: { weather: { enabled: false } } });
    expect(connectors.status('claude-desktop').state).toBe('outdated');
    await connectors.sync();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers)).toEqual(['mcp-tray-products']);
    expect(connectors.status('claude-desktop').state).toBe('connected');
  });

  it('puts entries back when the client drops them and auto-repair is on', async () => {
    const { connectors, file, settings } = setup(fakePlatform(), 50);
    await settings.update({ clients: { autoRepair: true } });
    write(file, USER_CONFIG);
    await connectors.connect('claude-desktop');
    const notices: string[] = [];
    connectors.on('notice', (n) => notices.push(n.message));
    fs.writeFileSync(file, JSON.stringify({ preferences: {}, mcpServers: { filesystem: { command: 'npx' } } }, null, 2));
    const end = Date.now() + 10_000;
    while (Date.now() < end && !JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers['mcp-tray-products'])
      await new Promise((r) => setTimeout(r, 50));
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.mcpServers['mcp-tray-products']).toBeDefined();
    expect(json.mcpServers.filesystem).toEqual({ command: 'npx' });
    expect(notices.join('\n')).toMatch(/dropped MCP Tray's servers .* put back/);
  });
});

// Issue 23.4.7: a program removing our entries all the time got 16 rewrites and 16 notices in 30 s,
// and the repairs' backups pushed every real restore point out.
describe('automatic repair against a program that keeps removing the entries', () => {
  it('backs off, stops after a few rounds with one plain notice, and never evicts the person’s backups', async () => {
    const platform = fakePlatform();
    const dataDir = tempDir();
    const settings = new SettingsStore(dataDir);
    await settings.update({ clients: { autoRepair: true } });
    const connectors = new Connectors({ runtime: testRuntime(), dataDir, settings, platform, watchMs: 50, repairBackoffMs: 200 });
    made.push(connectors);
    const file = connectors.configPath('claude-desktop');
    write(file, USER_CONFIG);
    // The person's own history: 12 changes, each with its backup.
    for (let i = 0; i < 6; i++) {
      await connectors.connect('claude-desktop');
      await connectors.disconnect('claude-desktop');
    }
    await connectors.connect('claude-desktop');
    const mine = connectors.backups('claude-desktop').map((b) => b.file);
    expect(mine).toHaveLength(13);
    const notices: string[] = [];
    const repaired: string[] = [];
    connectors.on('notice', (n) => notices.push(n.message));
    connectors.on('repaired', (r) => repaired.push(r.at));

    const remover = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'entry-remover.mjs'), file, '100'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    remover.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => notices.some((n) => /keeps removing/.test(n)), 'the notice that repair is paused', 20_000);
      await new Promise((r) => setTimeout(r, 1500)); // long enough for several more rounds, were there any
    } finally {
      remover.stdin.end();
      await new Promise((r) => remover.on('exit', r));
    }
    expect(JSON.parse(out).removed).toBeGreaterThan(1);
    expect(repaired).toHaveLength(3);
    expect(notices.filter((n) => /keeps removing/.test(n))).toEqual([
      "Something keeps removing MCP Tray from Claude Desktop's settings (4 times in a few minutes), so MCP Tray stopped putting it back. Quit the program that changes claude_desktop_config.json (often Claude Desktop itself, while it runs), then click Repair.",
    ]);
    const after = connectors.backups('claude-desktop').map((b) => b.file);
    for (const b of mine) expect(after).toContain(b); // every restore point the person made is still there
    expect(after.filter((b) => b.endsWith('.repair.bak'))).toHaveLength(3);
    // The person's Repair works, and starts automatic repair afresh.
    const r = await connectors.connect('claude-desktop');
    expect(r.changed).toBe(true);
    expect(connectors.status('claude-desktop').state).toBe('connected');
  }, 60_000);
});

describe('config locations', () => {
  const plat = (platform: NodeJS.Platform, existing: string[] = [], env: NodeJS.ProcessEnv = {}): PlatformInfo => ({
    platform,
    home: platform === 'win32' ? 'C:\\Users\\ann' : platform === 'darwin' ? '/Users/ann' : '/home/ann',
    env,
    exists: (p) => existing.includes(p),
  });

  it('finds Claude Desktop on macOS, Windows (classic and Store/MSIX) and Linux', () => {
    expect(claudeDesktopDir(plat('darwin'))).toBe('/Users/ann/Library/Application Support/Claude');
    const env = { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' };
    expect(claudeDesktopDir(plat('win32', [], env))).toBe('C:\\Users\\ann\\AppData\\Roaming\\Claude');
    const msix = 'C:\\Users\\ann\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude';
    expect(claudeDesktopDir(plat('win32', [msix], env))).toBe(msix);
    expect(claudeDesktopDir(plat('linux'))).toBe('/home/ann/.config/Claude');
    expect(claudeDesktopDir(plat('linux', ['/home/ann/.config/claude']))).toBe('/home/ann/.config/claude');
  });
});
