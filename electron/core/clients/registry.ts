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

export interface ClientDef {
  id: ClientId;
  name: string;
  /** Top-level key holding the servers. */
  containerKey: 'mcpServers' | 'servers';
  /** The client reads its file as JSON with comments and trailing commas (VS Code): we accept and keep them. */
  jsonc: boolean;
  /** VS Code and Claude Code want "type": "stdio" in each entry. */
  typed: boolean;
  configPath: (p: PlatformInfo) => string;
  /** Whether the app seems to be installed (its config folder or the app itself exists). */
  installed: (p: PlatformInfo) => boolean;
  /** What to do after a change, in plain words. */
  restartHint: string;
}

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
    typed: false,
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
    typed: true,
    configPath: (p) => j(p, p.home, '.claude.json'),
    installed: (p) => p.exists(j(p, p.home, '.claude.json')) || p.exists(j(p, p.home, '.claude')),
    restartHint: 'Start a new Claude Code session (or run /mcp to check the servers).',
  },
  {
    id: 'cursor',
    jsonc: false,
    name: 'Cursor',
    containerKey: 'mcpServers',
    typed: false,
    configPath: (p) => j(p, p.home, '.cursor', 'mcp.json'),
    installed: (p) => p.exists(j(p, p.home, '.cursor')),
    restartHint: 'Open Cursor Settings → MCP and turn the servers on (or restart Cursor).',
  },
  {
    id: 'vscode',
    jsonc: true,
    name: 'VS Code',
    containerKey: 'servers',
    typed: true,
    configPath: (p) => j(p, vscodeUserDir(p), 'mcp.json'),
    installed: (p) => p.exists(vscodeUserDir(p)),
    restartHint: 'In VS Code run "MCP: List Servers" and start the MCP Tray servers (or reload the window).',
  },
  {
    id: 'windsurf',
    jsonc: false,
    name: 'Windsurf',
    containerKey: 'mcpServers',
    typed: false,
    configPath: (p) => j(p, p.home, '.codeium', 'windsurf', 'mcp_config.json'),
    installed: (p) => p.exists(j(p, p.home, '.codeium', 'windsurf')),
    restartHint: "Press the refresh button in Windsurf's MCP panel (or restart Windsurf).",
  },
];

export const clientDef = (id: ClientId): ClientDef => CLIENTS.find((c) => c.id === id)!;

/** Our entries are named mcp-tray-<server>: stable, and never confused with anyone else's. */
export const ENTRY_PREFIX = 'mcp-tray-';
export const entryName = (server: string) => `${ENTRY_PREFIX}${server}`;

/** How a client's config file is read and edited. */
export const configFormat = (def: ClientDef): ConfigFormat => ({
  containerKey: def.containerKey,
  jsonc: def.jsonc,
  isOurs: (name) => name.startsWith(ENTRY_PREFIX),
});
