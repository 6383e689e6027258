// Issue 27 (the apps whose settings are YAML or TOML): Continue (an item of the mcpServers list),
// Goose (extensions.<name>) and Codex ([mcp_servers.<name>] tables). Their files are edited in place:
// only our entries' lines change, comments, blank lines, quoting and flow collections stay, connect
// then disconnect gives the file back byte for byte; a broken file or a duplicate key is refused
// untouched with its line and column; an entry the app dropped is put back.
import fs from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clientDef } from '../../electron/core/clients/registry.js';
import type { ClientId } from '../../electron/core/contract.js';
import { expectRepair, fakePlatform, useConnectors, writeFileIn } from '../helpers/host.js';

const connectorsSetup = useConnectors();
const write = writeFileIn;

const CONTINUE = `name: My Config
version: 1.0.0
schema: v1

# the models I use
models:
  - name: Claude
    provider: anthropic
    model: claude-sonnet-4-5
    apiKey: \${{ secrets.ANTHROPIC_API_KEY }}

mcpServers:
  - name: SQLite   # my local database
    command: npx
    args: ["-y", "mcp-sqlite", "/path/to/your/database.db"]
  - name: Memory
    command: npx
    args:
      - "-y"
      - "@modelcontextprotocol/server-memory"

context:
  - provider: code
`;

const GOOSE = `# Goose configuration
GOOSE_PROVIDER: anthropic
GOOSE_MODEL: claude-sonnet-4-5   # the model
extensions:
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin

  github:
    cmd: npx
    args: [ -y, "@modelcontextprotocol/server-github" ]
    enabled: false
    envs: { GITHUB_TOKEN: "x" }
    name: github
    timeout: 300
    type: stdio
# the end
`;

const CODEX = `# Codex settings
model = "gpt-5-codex"
approval_policy = "on-request"   # ask first

[mcp_servers.context7]
command = "npx"
args = ["-y", "@upstash/context7-mcp"]

[mcp_servers.figma]
url = "https://mcp.figma.com/mcp"
bearer_token_env_var = "FIGMA_OAUTH_TOKEN"

[profiles.fast]
model = "gpt-5-mini"
`;

const APPS: Array<{ id: ClientId; fixture: string; read: (text: string) => Record<string, Record<string, unknown>> }> = [
  {
    id: 'continue',
    fixture: CONTINUE,
    read: (t) =>
      Object.fromEntries(
        ((parseYaml(t) as { mcpServers: Array<Record<string, unknown>> }).mcpServers ?? []).map(({ name, ...rest }) => [
          String(name),
          rest,
        ]),
      ),
  },
  { id: 'goose', fixture: GOOSE, read: (t) => (parseYaml(t) as { extensions: Record<string, Record<string, unknown>> }).extensions },
  { id: 'codex', fixture: CODEX, read: (t) => parseToml(t).mcp_servers as Record<string, Record<string, unknown>> },
];

describe.each(APPS)('$id', ({ id, fixture, read }) => {
  const setup = () => {
    const s = connectorsSetup();
    return { ...s, file: s.connectors.configPath(id) };
  };

  it("connect adds our entries in the app's shape, every other byte kept; disconnect gives the file back byte for byte", async () => {
    const { connectors, file } = setup();
    write(file, fixture);
    const before = read(fixture);
    const r = await connectors.connect(id);
    expect(r.status.state).toBe('connected');
    const text = fs.readFileSync(file, 'utf8');
    // The file as it was, with our lines added: every one of its lines is there, in order.
    const lines = text.split('\n');
    let at = 0;
    for (const line of fixture.split('\n')) {
      at = lines.indexOf(line, at);
      expect(at, `kept: ${line}`).toBeGreaterThanOrEqual(0);
    }
    const after = read(text);
    for (const [name, entry] of Object.entries(before)) expect(after[name]).toEqual(entry);
    expect(after['mcp-tray-products']).toEqual(r.status.expected['mcp-tray-products']);
    if (id === 'goose')
      expect(after['mcp-tray-weather']).toMatchObject({ type: 'stdio', name: 'mcp-tray-weather', enabled: true, timeout: 300 });
    expect(connectors.status(id).state).toBe('connected');
    // Connecting again changes nothing.
    expect((await connectors.connect(id)).changed).toBe(false);
    await connectors.disconnect(id);
    expect(fs.readFileSync(file, 'utf8')).toBe(fixture);
  });

  it('a file whose last line has no line break: connect then disconnect gives it back byte for byte', async () => {
    const { connectors, file } = setup();
    const bare = fixture.replace(/\r?\n$/, '');
    write(file, bare);
    expect((await connectors.connect(id)).status.state).toBe('connected');
    expect(read(fs.readFileSync(file, 'utf8'))['mcp-tray-products']).toBeDefined();
    await connectors.disconnect(id);
    expect(fs.readFileSync(file, 'utf8')).toBe(bare);
  });

  it('a missing file is created with only our entries, and read back as connected', async () => {
    const { connectors, file } = setup();
    await connectors.connect(id);
    expect(Object.keys(read(fs.readFileSync(file, 'utf8'))).sort()).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    expect(connectors.status(id).state).toBe('connected');
  });

  it('a file that does not parse is refused untouched, with its line and column', async () => {
    const { connectors, file } = setup();
    const broken =
      id === 'codex'
        ? fixture.replace('args = ["-y", "@upstash/context7-mcp"]', 'args = ["-y", "@upstash/context7-mcp"')
        : fixture.replace(id === 'goose' ? '    cmd: npx\n' : '    command: npx\n', id === 'goose' ? '   cmd: npx\n' : '   command: npx\n');
    write(file, broken);
    await expect(connectors.connect(id)).rejects.toThrow(
      new RegExp(`is not valid ${id === 'codex' ? 'TOML' : 'YAML'} at line \\d+, column \\d+`),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(broken);
    expect(connectors.status(id).state).toBe('error');
  });

  it('a key written twice is refused untouched', async () => {
    const { connectors, file } = setup();
    const twice =
      id === 'codex'
        ? `${fixture}\n[mcp_servers.context7]\ncommand = "other"\n`
        : id === 'goose'
          ? fixture.replace('GOOSE_PROVIDER: anthropic\n', 'GOOSE_PROVIDER: anthropic\nGOOSE_PROVIDER: openai\n')
          : fixture.replace('schema: v1\n', 'schema: v1\nschema: v2\n');
    write(file, twice);
    await expect(connectors.connect(id)).rejects.toThrow(/at line \d+, column \d+: .*(twice|redefine|already)/);
    expect(fs.readFileSync(file, 'utf8')).toBe(twice);
  });

  it('entries the app dropped are noticed and put back by Repair', async () => {
    const s = setup();
    await expectRepair(s, id, s.file, fixture);
    expect(Object.keys(read(fs.readFileSync(s.file, 'utf8')))).toEqual(expect.arrayContaining(['mcp-tray-products', 'mcp-tray-weather']));
  });
});

describe('edge cases of the YAML and TOML files', () => {
  it('Continue: an empty list ([]) and a key with nothing after it take our entries on their own lines; disconnect leaves a valid file', async () => {
    for (const start of ['name: c\nmcpServers: []\n', 'name: c\nmcpServers:\nmodels: []\n']) {
      const { connectors } = connectorsSetup();
      const file = connectors.configPath('continue');
      write(file, start);
      await connectors.connect('continue');
      const text = fs.readFileSync(file, 'utf8');
      const value = parseYaml(text) as { mcpServers: Array<{ name: string }> };
      expect(value.mcpServers.map((s) => s.name).sort()).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
      await connectors.disconnect('continue');
      expect(parseYaml(fs.readFileSync(file, 'utf8'))).toMatchObject({ name: 'c' });
    }
  });

  it('an empty or comment-only YAML file is an empty settings file, not a broken one', async () => {
    for (const start of ['', '# my Continue settings\n']) {
      const { connectors } = connectorsSetup();
      const file = connectors.configPath('continue');
      write(file, start);
      expect((await connectors.connect('continue')).status.state).toBe('connected');
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith(start)).toBe(true);
      expect((parseYaml(text) as { mcpServers: Array<{ name: string }> }).mcpServers.map((s) => s.name)).toEqual([
        'mcp-tray-products',
        'mcp-tray-weather',
      ]);
    }
  });

  it('Goose: extensions last in a file whose last line has no line break: connect and disconnect keep it so', async () => {
    const { connectors } = connectorsSetup();
    const file = connectors.configPath('goose');
    const bare = 'GOOSE_MODEL: x\nextensions:\n  developer:\n    enabled: true\n    type: builtin';
    write(file, bare);
    await connectors.connect('goose');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(false);
    expect(Object.keys((parseYaml(text) as { extensions: object }).extensions)).toEqual([
      'developer',
      'mcp-tray-products',
      'mcp-tray-weather',
    ]);
    await connectors.disconnect('goose');
    expect(fs.readFileSync(file, 'utf8')).toBe(bare);
  });

  it('Goose: extensions written on one line are refused in words (nothing written)', async () => {
    const { connectors } = connectorsSetup();
    const file = connectors.configPath('goose');
    const flow = 'extensions: { developer: { type: builtin, enabled: true } }\n';
    write(file, flow);
    await expect(connectors.connect('goose')).rejects.toThrow(/written on one line/);
    expect(fs.readFileSync(file, 'utf8')).toBe(flow);
  });

  it('Codex: a file without a final line break, CRLF line endings, and our table written by hand elsewhere', async () => {
    const { connectors } = connectorsSetup();
    const file = connectors.configPath('codex');
    const crlf = 'model = "o3"\r\n\r\n[mcp_servers.a]\r\ncommand = "a"\r\n';
    write(file, crlf);
    await connectors.connect('codex');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/\r\n\[mcp_servers\.mcp-tray-products\]\r\ncommand = /);
    await connectors.disconnect('codex');
    expect(fs.readFileSync(file, 'utf8')).toBe(crlf);
    const dotted = 'mcp_servers.mcp-tray-products.command = "x"\n';
    write(file, dotted);
    await expect(connectors.connect('codex')).rejects.toThrow(/only edits its own \[mcp_servers\.mcp-tray-products\] tables/);
    expect(fs.readFileSync(file, 'utf8')).toBe(dotted);
  });

  it("each file is where the app's documentation says", () => {
    const linux = fakePlatform('/home/ann', 'linux');
    const win = fakePlatform('C:\\Users\\ann', 'win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' });
    expect(clientDef('continue').configPath(linux)).toBe('/home/ann/.continue/config.yaml');
    expect(clientDef('goose').configPath(linux)).toBe('/home/ann/.config/goose/config.yaml');
    expect(clientDef('goose').configPath(win)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Block\\goose\\config\\config.yaml');
    expect(clientDef('codex').configPath(linux)).toBe('/home/ann/.codex/config.toml');
    expect(clientDef('codex').configPath(fakePlatform('/home/ann', 'linux', { CODEX_HOME: '/srv/codex' }))).toBe('/srv/codex/config.toml');
  });
});
