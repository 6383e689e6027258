// The audit of the config writer (issue 9, items 1–7): each case was reproduced on the old code.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connectors } from '../../electron/core/clients/connectors.js';
import { ConfigParseError, carryOver, makeBackup, parseStats } from '../../electron/core/clients/config-file.js';
import { ROOT, tempDir } from '../helpers/servers.js';
import { connectorsSetup } from '../helpers/host.js';

const made: Connectors[] = [];
afterEach(() => {
  for (const c of made.splice(0)) c.close();
});

const setup = () => connectorsSetup(made);
const write = (file: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
};
const USER =
  '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y", "server-filesystem"] }\n  },\n  "globalShortcut": "Alt+Space"\n}\n';

describe('1. connect never deletes a file the person made', () => {
  it('keeps hand-made backups named like <config>.<digits>, however old', async () => {
    const { connectors, file } = setup();
    write(file, USER);
    const dir = path.dirname(file);
    const theirs = ['claude_desktop_config.json.1', 'claude_desktop_config.json.20250101', 'claude_desktop_config.json.123456789'];
    const old = new Date(Date.now() - 24 * 3600_000);
    for (const name of theirs) {
      fs.writeFileSync(path.join(dir, name), `my backup ${name}`);
      fs.utimesSync(path.join(dir, name), old, old);
    }
    await connectors.connect('claude-desktop');
    await connectors.disconnect('claude-desktop');
    for (const name of theirs) expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(`my backup ${name}`);
  });

  it('a writer killed mid-write leaves the old file whole; the next write clears its temp file, and only that', async () => {
    const { connectors, file } = setup();
    write(file, USER);
    fs.writeFileSync(`${file}.1`, 'a person’s own copy');
    const child = spawn(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'crash-writer.mjs'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(fs.readFileSync(file, 'utf8')).toBe(USER);
    const leftovers = fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.mcp-tray-'));
    expect(leftovers).toEqual([
      expect.stringMatching(new RegExp(`^\\.claude_desktop_config\\.json\\.mcp-tray-${child.pid}-[0-9a-f]{8}\\.tmp$`)),
    ]);
    // Its writer is gone, so the leftover is cleared at once; the person's file stays.
    await connectors.connect('claude-desktop');
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['claude_desktop_config.json', 'claude_desktop_config.json.1']);
  });
});

describe('2b. an edit our write replaced is carried into the versions that came after it', () => {
  const format = { containerKey: 'mcpServers', jsonc: false, isOurs: (n: string) => n.startsWith('mcp-tray-') };
  const fmt = { insertSpaces: true, tabSize: 2, eol: '\n' };
  it('adds what they added, changes what they changed, removes what they removed — where the later file did not change it', () => {
    const base = { foreign: { k1: 1, gone: true, same: 'x' }, theme: 'dark', mcpServers: { a: { command: 'a' } } };
    const theirs = { foreign: { k1: 1, k2: 2, same: 'x' }, theme: 'light', mcpServers: { a: { command: 'a' }, b: { command: 'b' } } };
    // Built on our write (which lacked their edit): it added k3 and changed theme itself.
    const later = `{
  "foreign": { "k1": 1, "gone": true, "same": "x", "k3": 3 },
  "theme": "solarized",
  "mcpServers": { "a": { "command": "a" }, "mcp-tray-products": { "command": "ours" } }
}
`;
    const merged = JSON.parse(carryOver(base, theirs, later, format, fmt));
    expect(merged).toEqual({
      foreign: { k1: 1, same: 'x', k3: 3, k2: 2 },
      theme: 'solarized', // the later change wins
      mcpServers: { a: { command: 'a' }, 'mcp-tray-products': { command: 'ours' }, b: { command: 'b' } },
    });
  });

  it('never touches our own entries', () => {
    const base = { mcpServers: { 'mcp-tray-weather': { command: 'old' } } };
    const theirs = { mcpServers: {} };
    const later = '{"mcpServers": {"mcp-tray-weather": {"command": "new"}}}';
    expect(carryOver(base, theirs, later, format, fmt)).toBe(later);
  });
});

describe('3. duplicate keys are refused, bytes untouched', () => {
  const cases: Array<[string, string, RegExp]> = [
    // Issue 23.3: the duplicate is what to fix, not the first one's kind (the person may be looking at the second).
    [
      'mcpServers twice, first not an object',
      '{"mcpServers": [1], "mcpServers": {}}',
      /line 1, column 21: the key "mcpServers" appears twice in the same object \(both on line 1\)/,
    ],
    [
      'mcpServers twice on two lines, first not an object',
      '{\n  "mcpServers": [1],\n  "mcpServers": {}\n}',
      /line 3, column 3: the key "mcpServers" appears twice in the same object \(on lines 2 and 3\)/,
    ],
    [
      'our entry twice, first not an object',
      '{"mcpServers": {\n  "mcp-tray-products": 1,\n  "mcp-tray-products": {"command": "new"}\n}}',
      /line 3, column 3: the key "mcp-tray-products" appears twice in the same object \(on lines 2 and 3\)/,
    ],
    [
      'mcpServers twice',
      '{\n  "mcpServers": {},\n  "mcpServers": {"x": {"command": "a"}}\n}',
      /line 3, column 3: the key "mcpServers" appears twice/,
    ],
    [
      'one entry name twice',
      '{"mcpServers": {\n  "mcp-tray-products": {"command": "old"},\n  "mcp-tray-products": {"command": "new"}\n}}',
      /line 3, column 3: the key "mcp-tray-products" appears twice/,
    ],
    ['someone else’s entry twice', '{"mcpServers": {"git": {"command": "a"}, "git": {"command": "b"}}}', /the key "git" appears twice/],
    [
      'a key twice inside our entry',
      '{"mcpServers": {"mcp-tray-weather": {"command": "a", "command": "b", "args": []}}}',
      /the key "command" appears twice/,
    ],
  ];
  it.each(cases)('%s', async (_label, content, message) => {
    const { connectors, file } = setup();
    write(file, content);
    await expect(connectors.connect('claude-desktop')).rejects.toThrow(message);
    await expect(connectors.disconnect('claude-desktop')).rejects.toThrow(ConfigParseError);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
    expect(connectors.status('claude-desktop')).toMatchObject({ state: 'error', detail: expect.stringMatching(message) });
  });

  it('a duplicate deep inside someone else’s settings is theirs to have', async () => {
    const { connectors, file } = setup();
    write(file, '{"projects": {"a": {"x": 1, "x": 2}}, "mcpServers": {}}');
    await connectors.connect('claude-desktop');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{"projects": \{"a": \{"x": 1, "x": 2\}\}, "mcpServers": \{\n/);
  });
});

describe('4. bytes that are not UTF-8', () => {
  const latin1 = Buffer.concat([
    Buffer.from('{\n  "mcpServers": {\n    "docs": { "command": "/Users/Ren'),
    Buffer.from([0xe9]), // é in Latin-1
    Buffer.from('/bin/docs" }\n  }\n}\n'),
  ]);

  it('are refused with where and why; the file is left byte for byte', async () => {
    const { connectors, file } = setup();
    write(file, latin1);
    await expect(connectors.connect('claude-desktop')).rejects.toThrow(/line 3, column 37: byte 0xE9 is not UTF-8/);
    expect(fs.readFileSync(file).equals(latin1)).toBe(true);
    expect(connectors.status('claude-desktop').state).toBe('error');
  });

  it('a restore puts the backup’s exact bytes back', async () => {
    const { connectors, file, dataDir } = setup();
    write(file, USER);
    const name = makeBackup(file, latin1, path.join(dataDir, 'backups', 'claude-desktop'));
    await connectors.restore('claude-desktop', name);
    expect(fs.readFileSync(file).equals(latin1)).toBe(true);
  });
});

describe('5. VS Code’s mcp.json is JSON with comments', () => {
  const JSONC = `{
  // Servers I use at work
  "servers": {
    /* the GitHub one */
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/", // remote
    },
  },
  "inputs": [],
}
`;
  it('connect keeps comments and trailing commas; connect + disconnect gives the file back byte for byte', async () => {
    const { connectors } = setup();
    const file = connectors.configPath('vscode');
    write(file, JSONC);
    const r = await connectors.connect('vscode');
    expect(r.status.state).toBe('connected');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('// Servers I use at work');
    expect(text).toContain('/* the GitHub one */');
    expect(text).toContain('"url": "https://api.githubcopilot.com/mcp/", // remote');
    expect(text).toContain('"mcp-tray-products": {\n      "type": "stdio"');
    expect(connectors.status('vscode').state).toBe('connected');
    await connectors.disconnect('vscode');
    expect(fs.readFileSync(file, 'utf8')).toBe(JSONC);
  });

  it('Claude Desktop still refuses comments, as its own parser does', async () => {
    const { connectors, file } = setup();
    write(file, '{\n  // mine\n  "mcpServers": {}\n}\n');
    await expect(connectors.connect('claude-desktop')).rejects.toThrow(/line 2, column 3: comments are not allowed/);
  });
});

describe('6. an entry that is not an object', () => {
  it('is refused by name; Claude Desktop would reject the whole file', async () => {
    const { connectors, file } = setup();
    const content = '{\n  "mcpServers": {\n    "a": 5\n  }\n}\n';
    write(file, content);
    await expect(connectors.connect('claude-desktop')).rejects.toThrow(/line 3, column 5: the entry "a" in "mcpServers" must be an object/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });
});

describe('7. hostile sizes and timing', () => {
  it('5,000 levels of nesting: a plain error, from the API and from the CLI (one line, exit 1)', async () => {
    const { connectors, file } = setup();
    const deep = `{"mcpServers": {}, "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    write(file, deep);
    await expect(connectors.connect('claude-desktop')).rejects.toThrow(/nests deeper than 256 levels/);
    const home = tempDir('mcp-tray-home-');
    const r = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'bin', 'mcp-tray.js'), 'connect', 'claude-desktop', '--config', file, '--data-dir', tempDir()],
      { env: { ...process.env, HOME: home } },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    const stderr = (r as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/nests deeper than 256 levels/);
    expect(fs.readFileSync(file, 'utf8')).toBe(deep);
  });

  it('backups made in the same millisecond get distinct names', () => {
    const dir = tempDir();
    const names = Array.from({ length: 40 }, (_, i) => makeBackup('/x/claude_desktop_config.json', Buffer.from(String(i)), dir));
    expect(new Set(names).size).toBe(40);
    // The newest 30 are kept, and each holds what it was given.
    expect(fs.readdirSync(dir)).toHaveLength(30);
  });

  it('one click parses the file once, however many states are shown after it', async () => {
    const { connectors, file } = setup();
    write(file, USER);
    const before = parseStats.scans;
    await connectors.connect('claude-desktop');
    connectors.list();
    connectors.status('claude-desktop');
    expect(parseStats.scans - before).toBe(1);
    await connectors.disconnect('claude-desktop');
    connectors.list();
    expect(parseStats.scans - before).toBe(2);
  });
});
