import fs from 'node:fs';
import path from 'node:path';
import type { ClientId } from '../contract.js';
import type { ConfigFormat } from './config-file.js';

export interface PlatformInfo {
  platform: NodeJS.Platform;
  home: string;
  env: NodeJS.ProcessEnv;
  exists: (p: string) => boolean;
}

export const hostPlatform = (home: string, env: NodeJS.ProcessEnv = process.env): PlatformInfo => ({
  platform: process.platform,
  home,
  env,
  exists: (p) => fs.existsSync(p),
});

/** What runs one server: the same for every app, written in each app's own shape (ClientDef.entry). */
export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ClientDef {
  id: ClientId;
  name: string;
  /** Top-level key holding the servers. */
  containerKey: string;
  /** The client reads its file as JSON with comments and trailing commas (VS Code, Zed): we accept and keep them. */
  jsonc: boolean;
  /** YAML (Continue, Goose) or TOML (Codex); JSON when left out. */
  syntax?: 'yaml' | 'toml';
  /** The servers are a list of mappings named by this key (Continue), not a mapping by name. */
  list?: { nameKey: string };
  /** An entry as this app reads it (the app's documented shape); `name` is the entry's. */
  entry: (l: Launch, name: string) => Record<string, unknown>;
  configPath: (p: PlatformInfo) => string;
  /** Whether the app seems to be installed (its config folder or the app itself exists). */
  installed: (p: PlatformInfo) => boolean;
  /** What to do after a change, in plain words. */
  restartHint: string;
  /** The app's own install link for one entry (a deeplink it opens), where it has one. */
  installLink?: (name: string, entry: Record<string, unknown>) => string;
}

const base64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');

const j = (p: PlatformInfo, ...parts: string[]) => (p.platform === 'win32' ? path.win32.join(...parts) : path.posix.join(...parts));
const appData = (p: PlatformInfo) => p.env.APPDATA ?? j(p, p.home, 'AppData', 'Roaming');
const localAppData = (p: PlatformInfo) => p.env.LOCALAPPDATA ?? j(p, p.home, 'AppData', 'Local');
const xdgConfig = (p: PlatformInfo) =>
  p.env.XDG_CONFIG_HOME && path.isAbsolute(p.env.XDG_CONFIG_HOME) ? p.env.XDG_CONFIG_HOME : j(p, p.home, '.config');

/** Claude Desktop's folder: per OS, the Microsoft Store (MSIX) install on Windows, lower-case on some Linux builds. */
export function claudeDesktopDir(p: PlatformInfo): string {
  if (p.platform === 'darwin') return j(p, p.home, 'Library', 'Application Support', 'Claude');
  if (p.platform === 'win32') {
    const msix = j(p, localAppData(p), 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude');
    return p.exists(msix) ? msix : j(p, appData(p), 'Claude');
  }
  const upper = j(p, xdgConfig(p), 'Claude');
  const lower = j(p, xdgConfig(p), 'claude');
  return !p.exists(upper) && p.exists(lower) ? lower : upper;
}

/** The usual entry: command, args and env (Claude Desktop, Cursor, Windsurf, Cline, LM Studio, Gemini CLI, Kiro). */
const plain = (l: Launch) => ({ command: l.command, args: l.args, ...(l.env ? { env: l.env } : {}) });
/** With "type": "stdio" (VS Code, Claude Code). */
const stdio = (l: Launch) => ({ type: 'stdio', ...plain(l) });
const home = (p: PlatformInfo, ...parts: string[]) => j(p, p.home, ...parts);
/** Codex's folder: CODEX_HOME when set to an absolute path, else ~/.codex. */
const codexHome = (p: PlatformInfo) => (p.env.CODEX_HOME && path.isAbsolute(p.env.CODEX_HOME) ? p.env.CODEX_HOME : home(p, '.codex'));

const vscodeUserDir = (p: PlatformInfo) =>
  p.platform === 'darwin'
    ? j(p, p.home, 'Library', 'Application Support', 'Code', 'User')
    : p.platform === 'win32'
      ? j(p, appData(p), 'Code', 'User')
      : j(p, xdgConfig(p), 'Code', 'User');

export const CLIENTS: readonly ClientDef[] = [
  {
    id: 'claude-desktop',
    jsonc: false,
    name: 'Claude Desktop',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => j(p, claudeDesktopDir(p), 'claude_desktop_config.json'),
    installed: (p) =>
      p.exists(claudeDesktopDir(p)) ||
      (p.platform === 'darwin' && p.exists('/Applications/Claude.app')) ||
      (p.platform === 'win32' && p.exists(j(p, localAppData(p), 'AnthropicClaude'))),
    restartHint: 'Quit Claude Desktop completely (its menu-bar or tray icon → Quit, not just closing the window), then open it again.',
  },
  {
    id: 'claude-code',
    jsonc: false,
    name: 'Claude Code',
    containerKey: 'mcpServers',
    entry: stdio,
    configPath: (p) => j(p, p.home, '.claude.json'),
    installed: (p) => p.exists(j(p, p.home, '.claude.json')) || p.exists(j(p, p.home, '.claude')),
    restartHint: 'Start a new Claude Code session (or run /mcp to check the servers).',
  },
  {
    id: 'cursor',
    jsonc: false,
    name: 'Cursor',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => j(p, p.home, '.cursor', 'mcp.json'),
    installLink: (name, entry) => `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${base64(entry)}`,
    installed: (p) => p.exists(j(p, p.home, '.cursor')),
    restartHint: 'Open Cursor Settings → MCP and turn the servers on (or restart Cursor).',
  },
  {
    id: 'vscode',
    jsonc: true,
    name: 'VS Code',
    containerKey: 'servers',
    entry: stdio,
    configPath: (p) => j(p, vscodeUserDir(p), 'mcp.json'),
    installLink: (name, entry) => `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name, ...entry }))}`,
    installed: (p) => p.exists(vscodeUserDir(p)),
    restartHint: 'In VS Code run "MCP: List Servers" and start the MCP Tray servers (or reload the window).',
  },
  {
    id: 'windsurf',
    jsonc: false,
    name: 'Windsurf',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => j(p, p.home, '.codeium', 'windsurf', 'mcp_config.json'),
    installed: (p) => p.exists(j(p, p.home, '.codeium', 'windsurf')),
    restartHint: "Press the refresh button in Windsurf's MCP panel (or restart Windsurf).",
  },
  {
    id: 'zed',
    jsonc: true,
    name: 'Zed',
    containerKey: 'context_servers',
    entry: (l) => ({ source: 'custom', ...plain(l) }),
    configPath: (p) => (p.platform === 'win32' ? j(p, appData(p), 'Zed', 'settings.json') : j(p, xdgConfig(p), 'zed', 'settings.json')),
    installed: (p) =>
      p.exists(p.platform === 'win32' ? j(p, appData(p), 'Zed') : j(p, xdgConfig(p), 'zed')) ||
      (p.platform === 'darwin' && p.exists('/Applications/Zed.app')),
    restartHint: "Zed picks the servers up by itself; check them in the Agent panel's settings (or restart Zed).",
  },
  {
    id: 'cline',
    jsonc: false,
    name: 'Cline',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => j(p, vscodeUserDir(p), 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
    installed: (p) => p.exists(j(p, vscodeUserDir(p), 'globalStorage', 'saoudrizwan.claude-dev')),
    restartHint: "Open Cline's MCP Servers view in VS Code: the servers appear there (press Restart on each if they do not).",
  },
  {
    id: 'lm-studio',
    jsonc: false,
    name: 'LM Studio',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => home(p, '.lmstudio', 'mcp.json'),
    installLink: (name, entry) => `lmstudio://add_mcp?name=${encodeURIComponent(name)}&config=${base64(entry)}`,
    installed: (p) => p.exists(home(p, '.lmstudio')),
    restartHint: "LM Studio loads mcp.json by itself; turn the servers on in the chat's Program tab (or restart LM Studio).",
  },
  {
    id: 'gemini-cli',
    // Gemini CLI reads its settings.json with comments allowed.
    jsonc: true,
    name: 'Gemini CLI',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => home(p, '.gemini', 'settings.json'),
    installed: (p) => p.exists(home(p, '.gemini')),
    restartHint: 'Start a new Gemini CLI session (or run /mcp to check the servers).',
  },
  {
    id: 'copilot-cli',
    jsonc: false,
    name: 'GitHub Copilot CLI',
    containerKey: 'mcpServers',
    entry: (l) => ({ type: 'local', ...plain(l), tools: ['*'] }),
    configPath: (p) => home(p, '.copilot', 'mcp-config.json'),
    installed: (p) => p.exists(home(p, '.copilot')),
    restartHint: 'Start a new Copilot CLI session (or run /mcp show to check the servers).',
  },
  {
    id: 'opencode',
    jsonc: true,
    name: 'OpenCode',
    containerKey: 'mcp',
    // OpenCode's own shape: the command and its arguments in one list, "environment" for env.
    entry: (l) => ({ type: 'local', command: [l.command, ...l.args], ...(l.env ? { environment: l.env } : {}), enabled: true }),
    configPath: (p) => {
      const dir = j(p, xdgConfig(p), 'opencode');
      const jsonc = j(p, dir, 'opencode.jsonc');
      return !p.exists(j(p, dir, 'opencode.json')) && p.exists(jsonc) ? jsonc : j(p, dir, 'opencode.json');
    },
    installed: (p) => p.exists(j(p, xdgConfig(p), 'opencode')),
    restartHint: 'Start OpenCode again: it reads its servers when it starts.',
  },
  {
    id: 'kiro',
    jsonc: false,
    name: 'Kiro',
    containerKey: 'mcpServers',
    entry: plain,
    configPath: (p) => home(p, '.kiro', 'settings', 'mcp.json'),
    installed: (p) => p.exists(home(p, '.kiro')),
    restartHint: "Kiro reconnects by itself when mcp.json changes; check the MCP Servers tab in Kiro's panel.",
  },
  {
    id: 'continue',
    jsonc: false,
    syntax: 'yaml',
    name: 'Continue',
    containerKey: 'mcpServers',
    // An item of the mcpServers list: its name, then what runs it.
    list: { nameKey: 'name' },
    entry: plain,
    configPath: (p) => home(p, '.continue', 'config.yaml'),
    installed: (p) => p.exists(home(p, '.continue')),
    restartHint: 'Reload Continue (or the editor window): the servers show in its MCP tools (agent mode).',
  },
  {
    id: 'goose',
    jsonc: false,
    syntax: 'yaml',
    name: 'Goose',
    containerKey: 'extensions',
    entry: (l, name) => ({ type: 'stdio', name, cmd: l.command, args: l.args, envs: l.env ?? {}, enabled: true, timeout: 300 }),
    configPath: (p) =>
      p.platform === 'win32' ? j(p, appData(p), 'Block', 'goose', 'config', 'config.yaml') : j(p, xdgConfig(p), 'goose', 'config.yaml'),
    installed: (p) => p.exists(p.platform === 'win32' ? j(p, appData(p), 'Block', 'goose') : j(p, xdgConfig(p), 'goose')),
    restartHint: 'Start a new Goose session: the extensions load when it starts.',
  },
  {
    id: 'codex',
    jsonc: false,
    syntax: 'toml',
    name: 'Codex',
    containerKey: 'mcp_servers',
    entry: plain,
    // Shared by the Codex CLI, app and IDE extension (CODEX_HOME moves it).
    configPath: (p) => j(p, codexHome(p), 'config.toml'),
    installed: (p) => p.exists(codexHome(p)),
    restartHint: 'Start a new Codex session (the CLI, the app or the IDE extension): it reads config.toml when it starts.',
  },
];

export const clientDef = (id: ClientId): ClientDef => CLIENTS.find((c) => c.id === id)!;

/** Our entries are named mcp-tray-<server>: stable, and never confused with anyone else's. */
export const ENTRY_PREFIX = 'mcp-tray-';
export const entryName = (server: string) => `${ENTRY_PREFIX}${server}`;

/** How a client's config file is read and edited. */
export const configFormat = (def: ClientDef): ConfigFormat => ({
  syntax: def.syntax ?? 'json',
  ...(def.list ? { list: def.list } : {}),
  containerKey: def.containerKey,
  jsonc: def.jsonc,
  isOurs: (name) => name.startsWith(ENTRY_PREFIX),
});
