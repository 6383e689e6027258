import fs from 'node:fs';
import path from 'node:path';
import type { ServerName } from '../contract.js';
import { SERVER_NAMES, SERVER_TITLES } from '../../../servers/registry.js';
import { claudeDesktopDir, entryName, type PlatformInfo } from '../clients/registry.js';

/** The extension's name in Claude's Extensions settings, and in its logs (Claude names log lines after it). */
export const extensionDisplayName = (server: ServerName) => `${SERVER_TITLES[server]} (MCP Tray)`;

export interface InstalledExtension {
  server: ServerName;
  /** The folder Claude unpacked it into. */
  dir: string;
  version: string | null;
  /** From Claude's per-extension settings file; null when there is none to read. */
  enabled: boolean | null;
}

/**
 * Where Claude Desktop keeps installed extensions: "Claude Extensions" (unpacked bundles, one folder
 * each) and "Claude Extensions Settings" (one JSON per extension) in its data folder — the folders
 * behind its Settings → Extensions → Advanced buttons "Open Extensions Folder" / "Open Extension
 * Settings Folder" (named in anthropics/claude-code#27041 for Windows, both the classic and the
 * Microsoft Store install). Not verified against a running Claude Desktop here: found best effort.
 */
export const claudeExtensionsDir = (p: PlatformInfo) => path.join(claudeDesktopDir(p), 'Claude Extensions');
export const claudeExtensionSettingsDir = (p: PlatformInfo) => path.join(claudeDesktopDir(p), 'Claude Extensions Settings');

/** MCP Tray's extensions Claude has installed, recognised by their manifest's name (mcp-tray-<server>), whatever the folder is called. */
export function installedExtensions(p: PlatformInfo): InstalledExtension[] {
  const root = claudeExtensionsDir(p);
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root);
  } catch {
    return [];
  }
  const out: InstalledExtension[] = [];
  for (const d of dirs) {
    let manifest: { name?: unknown; version?: unknown };
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(root, d, 'manifest.json'), 'utf8')) as typeof manifest;
    } catch {
      continue; // not an extension folder, or not readable: not ours to judge
    }
    const server = SERVER_NAMES.find((s) => manifest.name === entryName(s));
    if (!server) continue;
    let enabled: boolean | null = null;
    try {
      const settings = JSON.parse(fs.readFileSync(path.join(claudeExtensionSettingsDir(p), `${d}.json`), 'utf8')) as {
        isEnabled?: unknown;
      };
      if (typeof settings.isEnabled === 'boolean') enabled = settings.isEnabled;
    } catch {
      /* no settings file: Claude treats a fresh install as on */
    }
    out.push({ server, dir: path.join(root, d), version: typeof manifest.version === 'string' ? manifest.version : null, enabled });
  }
  return out;
}

/** Servers Claude runs through an installed (and not switched-off) extension: their config entries would show every tool twice. */
export function extensionRoute(p: PlatformInfo): ServerName[] {
  return [
    ...new Set(
      installedExtensions(p)
        .filter((e) => e.enabled !== false)
        .map((e) => e.server),
    ),
  ];
}
