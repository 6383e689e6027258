import fs from 'node:fs';
import path from 'node:path';
import { Host, type HostOptions } from '../../electron/core/host.js';
import { makeRuntime } from '../../electron/core/runtime.js';
import type { PlatformInfo } from '../../electron/core/clients/registry.js';
import { Connectors } from '../../electron/core/clients/connectors.js';
import { SettingsStore } from '../../electron/core/settings.js';
import { ROOT, tempDir } from './servers.js';

export const testRuntime = () => makeRuntime({ distDir: path.join(ROOT, 'dist'), execPath: process.execPath, shell: 'headless' });

/** A platform whose home is a temp folder, so no test ever touches a real client config. */
export function fakePlatform(
  home = tempDir('mcp-tray-home-'),
  platform: NodeJS.Platform = 'linux',
  env: NodeJS.ProcessEnv = {},
): PlatformInfo {
  return { platform, home, env, exists: (p) => fs.existsSync(p) };
}

export async function startHost(opts: Partial<HostOptions> = {}): Promise<Host> {
  return Host.create({ dataDir: tempDir(), runtime: testRuntime(), platform: fakePlatform(), clientWatchMs: 0, ...opts });
}

/** Connectors on a temp data folder and a temp home; `made` collects them for the file's afterEach to close. */
export function connectorsSetup(made: Connectors[], platform: PlatformInfo = fakePlatform(), watchMs = 0) {
  const dataDir = tempDir();
  const settings = new SettingsStore(dataDir);
  const connectors = new Connectors({ runtime: testRuntime(), dataDir, settings, platform, watchMs });
  made.push(connectors);
  return { dataDir, settings, connectors, file: connectors.configPath('claude-desktop'), platform };
}
