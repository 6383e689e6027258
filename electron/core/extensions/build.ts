import fs from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { VERSION } from '../../../servers/shared/version.js';
import type { ServerName } from '../contract.js';
import { SERVERS, SERVER_NAMES, SERVER_TITLES } from '../../../servers/registry.js';
import { entryName } from '../clients/registry.js';
import type { Runtime } from '../runtime.js';
import type { LauncherRuntime } from './launcher.js';
import { extensionDisplayName } from './installed.js';

/** What a server offers (its tools and prompts), from its definition. */
export function serverOffer(server: ServerName) {
  const def = SERVERS[server];
  return {
    tools: Object.entries(def.tools).map(([name, t]) => ({ name, description: t.description })),
    prompts: Object.entries(def.prompts).map(([name, p]) => ({ name, description: p.description, arguments: [...p.arguments] })),
  };
}

/**
 * Where the extension looks for MCP Tray: this install first (exactly what MCP Tray's own config
 * entries run), then where the installers put it, so moving it back or reinstalling keeps working.
 */
export function launcherCandidates(runtime: Runtime | null, server: ServerName, platform: NodeJS.Platform): LauncherRuntime['candidates'] {
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  const script = (resources: string, sep: string) => [resources, 'app.asar.unpacked', 'dist', 'servers', `${server}.cjs`].join(sep);
  const usual =
    platform === 'darwin'
      ? ['/Applications', '${HOME}/Applications'].map((dir) => ({
          command: `${dir}/MCP Tray.app/Contents/MacOS/MCP Tray`,
          script: script(`${dir}/MCP Tray.app/Contents/Resources`, '/'),
          env,
        }))
      : platform === 'win32'
        ? [
            {
              command: '${LOCALAPPDATA}\\Programs\\mcp-tray\\MCP Tray.exe',
              script: script('${LOCALAPPDATA}\\Programs\\mcp-tray\\resources', '\\'),
              env,
            },
          ]
        : [{ command: '/opt/MCP Tray/mcp-tray', script: script('/opt/MCP Tray/resources', '/'), env }];
  if (!runtime) return usual;
  const here = { command: runtime.command, script: runtime.serverScript(server), env: { ...runtime.env } };
  return [here, ...usual.filter((u) => u.command !== here.command)];
}

/** The installed app's data folder (Electron's userData for "MCP Tray"), as a manifest default Claude expands. */
export function installedDataDir(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '${HOME}/Library/Application Support/MCP Tray';
  if (platform === 'win32') return '${HOME}\\AppData\\Roaming\\MCP Tray';
  return '${HOME}/.config/MCP Tray';
}

export interface BuiltExtension {
  server: ServerName;
  file: string;
  bytes: number;
  manifest: Record<string, unknown>;
}

/** The manifest (MCPB spec 0.3) of one server's extension. */
export function extensionManifest(
  server: ServerName,
  offer: ReturnType<typeof serverOffer>,
  dataDir: string,
  platform: NodeJS.Platform,
): Record<string, unknown> {
  const d = SERVERS[server];
  return {
    manifest_version: '0.3',
    name: entryName(server),
    display_name: extensionDisplayName(server),
    version: VERSION,
    description: d.description,
    long_description: d.longDescription,
    author: { name: 'MCP Tray', url: 'https://github.com/mcp-tray/mcp-tray' },
    repository: { type: 'git', url: 'https://github.com/mcp-tray/mcp-tray.git' },
    homepage: 'https://github.com/mcp-tray/mcp-tray',
    support: 'https://github.com/mcp-tray/mcp-tray/issues',
    icon: 'icon.png',
    server: {
      type: 'node',
      entry_point: 'server/launch.cjs',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/server/launch.cjs', '--data-dir', '${user_config.data_dir}'],
      },
    },
    tools: offer.tools,
    prompts: offer.prompts.map((p) => ({
      name: p.name,
      description: p.description,
      arguments: p.arguments,
      text: `${p.description}${p.arguments.map((a) => `\n${a}: \${arguments.${a}}`).join('')}`,
    })),
    keywords: [...d.keywords],
    license: 'MIT',
    // Everything stays on this computer (the weather server asks Open-Meteo only when switched to live data in MCP Tray).
    privacy_policies: [],
    compatibility: {
      claude_desktop: '>=0.10.0',
      // The extension runs this computer's MCP Tray install: built for this OS.
      platforms: [platform],
      runtimes: { node: '>=16.0.0' },
    },
    user_config: {
      data_dir: {
        type: 'directory',
        title: 'MCP Tray data folder',
        description: 'The folder MCP Tray keeps its data in. Keep the default to share the catalog and cities with the MCP Tray window.',
        required: true,
        default: dataDir,
      },
    },
  };
}

/**
 * Writes one .mcpb per server into `outDir`: manifest.json, the icon, and the launcher that hands
 * the connection to this install's server. Returns what was written.
 */
export async function buildExtensions(opts: {
  runtime: Runtime;
  dataDir: string;
  outDir: string;
  platform: NodeJS.Platform;
  servers?: readonly ServerName[];
  /**
   * For the release downloads: no paths of the machine that builds them — the launcher looks only
   * where the installers put MCP Tray, and the data folder is the installed app's own.
   */
  release?: boolean;
}): Promise<BuiltExtension[]> {
  const launcher = path.join(opts.runtime.extensionDir, 'launch.cjs');
  const icon = path.join(opts.runtime.extensionDir, 'icon.png');
  for (const f of [launcher, icon]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: this MCP Tray install is incomplete (run the build, or reinstall)`);
  }
  fs.mkdirSync(opts.outDir, { recursive: true });
  const built: BuiltExtension[] = [];
  for (const server of opts.servers ?? SERVER_NAMES) {
    const offer = serverOffer(server);
    const manifest = extensionManifest(server, offer, opts.release ? installedDataDir(opts.platform) : opts.dataDir, opts.platform);
    const runtime: LauncherRuntime = {
      server: entryName(server),
      title: SERVER_TITLES[server],
      candidates: launcherCandidates(opts.release ? null : opts.runtime, server, opts.platform),
      tools: offer.tools,
      version: VERSION,
    };
    const file = (data: string | Uint8Array, mode = 0o644): Zippable[string] => [
      typeof data === 'string' ? Buffer.from(data) : data,
      { os: 3, attrs: mode << 16 },
    ];
    const zip = zipSync(
      {
        'manifest.json': file(`${JSON.stringify(manifest, null, 2)}\n`),
        'icon.png': file(fs.readFileSync(icon)),
        // Flat paths, no directory entries: mcpb's own unpacker (and Claude's) expect files only.
        'server/launch.cjs': file(fs.readFileSync(launcher), 0o755),
        'server/runtime.json': file(`${JSON.stringify(runtime, null, 2)}\n`),
      },
      { level: 9 },
    );
    const target = path.join(opts.outDir, `${entryName(server)}.mcpb`);
    // Written whole or not at all: Claude's installer may open it the moment it appears.
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, zip);
    fs.renameSync(tmp, target);
    built.push({ server, file: target, bytes: zip.length, manifest });
  }
  return built;
}
