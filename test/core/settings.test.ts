// settings.json is shared by the app, the CLI and the servers (issue 9, item 8): every write merges
// into what is on disk now, and the app follows changes made by others.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings.js';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { ROOT, tempDir, until } from '../helpers/servers.js';
import { startHost } from '../helpers/host.js';

const exec = promisify(execFile);
const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

describe('settings shared between processes', () => {
  it('a toggle in one store keeps what another store wrote meanwhile', () => {
    const dir = tempDir();
    const app = new SettingsStore(dir);
    const cli = new SettingsStore(dir);
    app.get(); // the app has read its settings at start
    cli.update({ clients: { connected: ['claude-desktop'] } });
    app.update({ clients: { autoRepair: true } });
    const disk = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(disk.clients).toEqual({ connected: ['claude-desktop'], autoRepair: true });
    expect(app.get().clients.connected).toEqual(['claude-desktop']);
  });

  it('keys a newer version wrote are kept through our writes', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ startAtLogin: true, fromTheFuture: { x: 1 } }));
    new SettingsStore(dir).update({ clients: { autoRepair: true } });
    const disk = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(disk).toMatchObject({ startAtLogin: true, fromTheFuture: { x: 1 }, clients: { autoRepair: true } });
  });

  it('connect from a terminal while the app toggles settings: the app never erases it, and follows it', async () => {
    const home = tempDir('mcp-tray-home-');
    const host = await startHost({ autostart: false, settingsWatchMs: 50 });
    hosts.push(host);
    const events: HostEvent[] = [];
    host.on('event', (e) => events.push(e));
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
    const clis = (['claude-desktop', 'cursor', 'windsurf'] as const).map((id) =>
      exec(process.execPath, [path.join(ROOT, 'bin', 'mcp-tray.js'), 'connect', id, '--data-dir', host.dataDir], { env }),
    );
    let toggles = 0;
    let done = false;
    void Promise.all(clis).finally(() => (done = true));
    while (!done) {
      await host.api.updateSettings({ clients: { autoRepair: toggles++ % 2 === 0 } });
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(clis);
    await host.api.updateSettings({ startAtLogin: false, clients: { autoRepair: false } });
    expect(toggles).toBeGreaterThan(10);
    const disk = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8'));
    expect([...disk.clients.connected].sort()).toEqual(['claude-desktop', 'cursor', 'windsurf']);
    expect([...(await host.api.getSettings({})).clients.connected].sort()).toEqual(['claude-desktop', 'cursor', 'windsurf']);
    // The app was told, so its window shows it.
    await until(() => events.some((e) => e.type === 'settings' && e.settings.clients.connected.length === 3), 'settings event');
  }, 60_000);

  it('the app notices a change made by another process and tells its window', async () => {
    const host = await startHost({ autostart: false, settingsWatchMs: 50 });
    hosts.push(host);
    const events: HostEvent[] = [];
    host.on('event', (e) => events.push(e));
    new SettingsStore(host.dataDir).update({ servers: { products: { allowWrites: false } } });
    await until(() => events.some((e) => e.type === 'settings' && !e.settings.servers.products.allowWrites), 'settings event');
    expect((await host.api.getSettings()).servers.products.allowWrites).toBe(false);
  });

  it('an invalid change is refused and nothing is written', () => {
    const dir = tempDir();
    const s = new SettingsStore(dir);
    s.update({ startAtLogin: true });
    const before = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(() => s.update({ http: { port: 70_000 } })).toThrow(/Invalid settings: http\.port/);
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
  });
});
