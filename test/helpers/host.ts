import fs from 'node:fs';
import { afterEach, expect } from 'vitest';
import type { ClientId } from '../../electron/core/contract.js';
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

/** Connectors for a test file, each closed after its test (vitest's afterEach). */
export function useConnectors(): (platform?: PlatformInfo) => ReturnType<typeof connectorsSetup> {
  const made: Connectors[] = [];
  afterEach(() => {
    for (const c of made.splice(0)) c.close();
  });
  return (platform) => connectorsSetup(made, platform);
}

/** Writes a file, its folder made first. */
export function writeFileIn(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/**
 * The repair promise for one app: connected, the app rewrites its file without our entries
 * (`fixture`), the state says so, and Connect puts them back.
 */
export async function expectRepair(setup: ReturnType<typeof connectorsSetup>, id: ClientId, file: string, fixture: string): Promise<void> {
  const { connectors, settings } = setup;
  writeFileIn(file, fixture);
  await connectors.connect(id);
  await settings.update({ clients: { connected: [id] } });
  writeFileIn(file, fixture);
  expect(connectors.status(id).state).toBe('entry-missing');
  expect((await connectors.connect(id)).status.state).toBe('connected');
}
