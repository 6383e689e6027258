// Issue 27 (the apps whose settings are JSON): Zed, Cline, LM Studio, Gemini CLI, Copilot CLI,
// OpenCode and Kiro keep the promises the first five keep. Each app's realistic settings (comments
// where the app allows them, other servers, keys MCP Tray knows nothing of): only our entries change,
// in the app's own shape; connect then disconnect gives the file back byte for byte; a broken file or
// a duplicate key is refused untouched, saying where; an entry the app dropped is put back.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENTS, clientDef } from '../../electron/core/clients/registry.js';
import { CLIENT_IDS, type ClientId } from '../../electron/core/contract.js';
import { friendlyClientName } from '../../servers/shared/clients.js';
import { expectRepair, fakePlatform, useConnectors, writeFileIn } from '../helpers/host.js';

const connectorsSetup = useConnectors();
const write = writeFileIn;

/** Each app's settings as a person's might be, and where our entries' first lines should appear. */
const APPS: Array<{ id: ClientId; fixture: string; shape: (e: Record<string, unknown>) => void }> = [
  {
    id: 'zed',
    fixture: `// Zed settings
//
// For information on how to configure Zed, see the Zed documentation.
{
  "theme": { "mode": "system", "light": "One Light", "dark": "One Dark" },
  "vim_mode": true,
  "context_servers": {
    // my notes server
    "notes": { "source": "custom", "command": "notes-mcp", "args": [], "env": {} },
  },
  "languages": { "Python": { "tab_size": 4 } },
}
`,
    shape: (e) => expect(e).toMatchObject({ source: 'custom', command: expect.any(String), args: expect.any(Array) }),
  },
  {
    id: 'cline',
    fixture: `{
  "mcpServers": {
    "github.com/modelcontextprotocol/servers/tree/main/src/github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x" },
      "disabled": false,
      "autoApprove": []
    }
  }
}`,
    shape: (e) => expect(Object.keys(e)).toEqual(['command', 'args']),
  },
  {
    id: 'lm-studio',
    fixture: '{\r\n\t"mcpServers": {\r\n\t\t"hf-mcp-server": {\r\n\t\t\t"url": "https://huggingface.co/mcp"\r\n\t\t}\r\n\t}\r\n}\r\n',
    shape: (e) => expect(Object.keys(e)).toEqual(['command', 'args']),
  },
  {
    id: 'gemini-cli',
    fixture: `{
  // my Gemini CLI settings
  "theme": "GitHub",
  "selectedAuthType": "oauth-personal",
  "mcpServers": {
    "pythonTools": {
      "command": "python",
      "args": ["-m", "my_mcp_server", "--port", "8080"],
      "cwd": "./mcp-servers/python",
      "timeout": 15000
    }
  }
}
`,
    shape: (e) => expect(Object.keys(e)).toEqual(['command', 'args']),
  },
  {
    id: 'copilot-cli',
    fixture: `{
  "mcpServers": {
    "playwright": {
      "type": "local",
      "command": "npx",
      "args": ["@playwright/mcp@latest"],
      "tools": ["*"]
    }
  }
}
`,
    shape: (e) => expect(e).toMatchObject({ type: 'local', command: expect.any(String), args: expect.any(Array), tools: ['*'] }),
  },
  {
    id: 'opencode',
    fixture: `{
  "$schema": "https://opencode.ai/config.json",
  // the model I use
  "model": "anthropic/claude-sonnet-4-5",
  "mcp": {
    "jira": { "type": "remote", "url": "https://jira.example.com/mcp", "enabled": true },
  },
}
`,
    shape: (e) => {
      expect(e).toMatchObject({ type: 'local', enabled: true });
      expect(e.command).toEqual([expect.any(String), expect.stringMatching(/(products|weather)\.c?js$/), '--data-dir', expect.any(String)]);
      expect(e).not.toHaveProperty('args');
    },
  },
  {
    id: 'kiro',
    fixture: `{
  "mcpServers": {
    "fetch": {
      "command": "uvx",
      "args": ["mcp-server-fetch"],
      "env": {},
      "disabled": false,
      "autoApprove": []
    }
  }
}
`,
    shape: (e) => expect(Object.keys(e)).toEqual(['command', 'args']),
  },
];

it('the contract lists every app of the registry, these seven among them', () => {
  expect(CLIENT_IDS).toEqual(CLIENTS.map((c) => c.id));
  for (const { id } of APPS) expect(CLIENT_IDS).toContain(id);
});

describe.each(APPS)('$id', ({ id, fixture, shape }) => {
  const setup = () => {
    const s = connectorsSetup();
    const file = s.connectors.configPath(id);
    return { ...s, file };
  };
  const key = () => clientDef(id).containerKey;

  it("connect writes our entries in the app's shape and nothing else; disconnect gives the file back byte for byte", async () => {
    const { connectors, file } = setup();
    write(file, fixture);
    expect(connectors.status(id).state).toBe('not-connected');
    const r = await connectors.connect(id);
    expect(r.status.state).toBe('connected');
    expect(r.backup).not.toBeNull();
    const text = fs.readFileSync(file, 'utf8');
    // Everything that was there is still there, as it was (comments, other servers, unknown keys).
    for (const line of fixture.split(/\r?\n/).filter((l) => l.trim() && !/^\s*[}\]],?$/.test(l))) expect(text).toContain(line);
    if (fixture.includes('\r\n')) expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const entries = r.status.entries as Record<string, Record<string, unknown>>;
    expect(Object.keys(entries).sort()).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    for (const e of Object.values(entries)) shape(e);
    expect(text).toContain(`"${key()}"`);
    await connectors.disconnect(id);
    expect(fs.readFileSync(file, 'utf8')).toBe(fixture);
  });

  it('a missing file is created with only our entries', async () => {
    const { connectors, file } = setup();
    await connectors.connect(id);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json)).toEqual([key()]);
    expect(Object.keys(json[key()]!).sort()).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
  });

  it('a file cut short is refused untouched, with its line and column', async () => {
    const { connectors, file } = setup();
    const broken = fixture.slice(0, fixture.lastIndexOf('}'));
    write(file, broken);
    await expect(connectors.connect(id)).rejects.toThrow(
      /is not valid JSON at line \d+, column \d+: (a closing \} is missing|a property name was expected)/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);
    expect(connectors.status(id).state).toBe('error');
  });

  it('a server named twice is refused untouched, naming both lines', async () => {
    const { connectors, file } = setup();
    const twice = `{\n  "${key()}": {\n    "a": { "command": "x" },\n    "a": { "command": "y" }\n  }\n}\n`;
    write(file, twice);
    await expect(connectors.connect(id)).rejects.toThrow(/the key "a" appears twice in the same object \(on lines 3 and 4\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe(twice);
  });

  it('entries the app dropped are noticed and put back by Repair', async () => {
    const s = setup();
    await expectRepair(s, id, s.file, fixture);
  });
});

it("an app's settings file is where its documentation says, on each system", () => {
  const linux = fakePlatform('/home/ann', 'linux');
  const mac = fakePlatform('/Users/ann', 'darwin');
  const win = fakePlatform('C:\\Users\\ann', 'win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' });
  const where = (id: ClientId) => [linux, mac, win].map((p) => clientDef(id).configPath(p));
  expect(where('zed')).toEqual([
    '/home/ann/.config/zed/settings.json',
    '/Users/ann/.config/zed/settings.json',
    'C:\\Users\\ann\\AppData\\Roaming\\Zed\\settings.json',
  ]);
  expect(where('cline')[0]).toBe('/home/ann/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json');
  expect(where('cline')[1]).toBe(
    '/Users/ann/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
  );
  expect(where('lm-studio')).toEqual([
    '/home/ann/.lmstudio/mcp.json',
    '/Users/ann/.lmstudio/mcp.json',
    'C:\\Users\\ann\\.lmstudio\\mcp.json',
  ]);
  expect(where('gemini-cli')[0]).toBe('/home/ann/.gemini/settings.json');
  expect(where('copilot-cli')[0]).toBe('/home/ann/.copilot/mcp-config.json');
  expect(where('opencode')[0]).toBe('/home/ann/.config/opencode/opencode.json');
  expect(where('kiro')[2]).toBe('C:\\Users\\ann\\.kiro\\settings\\mcp.json');
});

it('the names these apps send when they connect are told as the app', () => {
  for (const [sent, app] of [
    ['Zed', 'Zed'],
    ['gemini-cli-mcp-client', 'Gemini CLI'],
    ['codex-mcp-client', 'Codex'],
    ['opencode', 'OpenCode'],
    ['Cline', 'Cline'],
    ['github-copilot-cli', 'GitHub Copilot CLI'],
    ['lmstudio', 'LM Studio'],
    ['Kiro', 'Kiro'],
    ['claude-ai', 'Claude Desktop'],
    ['some-new-app', 'some-new-app'],
  ])
    expect(friendlyClientName(sent)).toBe(app);
});

it('Cursor, VS Code and LM Studio offer their install link as the second way, one per server, never once connected', async () => {
  const { connectors } = connectorsSetup();
  for (const id of ['cursor', 'vscode', 'lm-studio'] as const) {
    const links = connectors.status(id).installLinks;
    expect(links.map((l) => l.server)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    const expected = connectors.status(id).expected['mcp-tray-products'];
    const url = links[0]!.url;
    if (id === 'vscode') {
      expect(url.startsWith('vscode:mcp/install?')).toBe(true);
      expect(JSON.parse(decodeURIComponent(url.slice('vscode:mcp/install?'.length)))).toEqual({
        name: 'mcp-tray-products',
        ...(expected as object),
      });
    } else {
      const u = new URL(url);
      expect(u.searchParams.get('name')).toBe('mcp-tray-products');
      expect(JSON.parse(Buffer.from(u.searchParams.get('config')!, 'base64').toString('utf8'))).toEqual(expected);
    }
    await connectors.connect(id);
    expect(connectors.status(id).installLinks).toEqual([]);
  }
  expect(connectors.status('zed').installLinks).toEqual([]);
});
