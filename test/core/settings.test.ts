// settings.json is shared by the app, the CLI and the servers (issue 9, item 8): every write merges
// into what is on disk now, and the app follows changes made by others.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings.js';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { ROOT, tempDir, until } from '../helpers/servers.js';
import { startHost } from '../helpers/host.js';
import { bundleForNode } from '../../bench/bundle.mjs';

const exec = promisify(execFile);
const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

describe('settings shared between processes', () => {
  it('a toggle in one store keeps what another store wrote meanwhile', async () => {
    const dir = tempDir();
    const app = new SettingsStore(dir);
    const cli = new SettingsStore(dir);
    app.get(); // the app has read its settings at start
    await cli.update({ clients: { connected: ['claude-desktop'] } });
    await app.update({ clients: { autoRepair: true } });
    const disk = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'));
    expect(disk.clients).toEqual({ connected: ['claude-desktop'], autoRepair: true });
    expect(app.get().clients.connected).toEqual(['claude-desktop']);
  });

  it('keys a newer version wrote are kept through our writes', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ startAtLogin: true, fromTheFuture: { x: 1 } }));
    await new SettingsStore(dir).update({ clients: { autoRepair: true } });
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
    await new SettingsStore(host.dataDir).update({ servers: { products: { allowWrites: false } } });
    await until(() => events.some((e) => e.type === 'settings' && !e.settings.servers.products.allowWrites), 'settings event');
    expect((await host.api.getSettings()).servers.products.allowWrites).toBe(false);
  });

  it('an invalid change is refused and nothing is written', async () => {
    const dir = tempDir();
    const s = new SettingsStore(dir);
    await s.update({ startAtLogin: true });
    const before = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    await expect(s.update({ http: { port: 70_000 } })).rejects.toThrow(/Invalid settings: http\.port/);
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(before);
  });

  // Issue 23.4.10: the wait for another process's lock blocked the whole app (a synchronous sleep), and
  // breaking a stale lock could let two waiters in.
  it("waiting for another process's lock leaves this process free to work, and gives up after 5 s saying why", async () => {
    const dir = tempDir();
    const s = new SettingsStore(dir);
    await s.update({ startAtLogin: true });
    // Another process holds the lock (and keeps it fresh) for as long as it runs.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');fs.mkdirSync(process.argv[1]);fs.writeFileSync(process.argv[1]+'/owner','other');console.log('held');setInterval(()=>{const t=new Date();fs.utimesSync(process.argv[1],t,t)},200)`,
        `${path.join(dir, 'settings.json')}.lock`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const waiting = s.update({ startAtLogin: false });
      await new Promise((r) => setTimeout(r, 300));
      clearInterval(ticker);
      expect(ticks).toBeGreaterThan(5); // the event loop ran while the update waited
      await expect(waiting).rejects.toThrow(/another MCP Tray process has been writing settings\.json for over 5 s; nothing was changed/);
      expect(s.get().startAtLogin).toBe(true);
    } finally {
      holder.kill();
    }
  });

  it('of several processes that find a stale lock, exactly one at a time gets in; every write is kept', async () => {
    const dir = tempDir();
    const lock = `${path.join(dir, 'settings.json')}.lock`;
    await new SettingsStore(dir).update({ startAtLogin: false });
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), 'crashed');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    // Six processes, each adding its own entries to a list through a settings store of its own.
    const bundle = await bundleForNode(ROOT, path.join(ROOT, 'electron', 'core', 'settings.ts'), 'settings-test');
    const script = `
      import(${JSON.stringify(pathToFileURL(bundle).href)}).then(async ({ SettingsStore }) => {
        const s = new SettingsStore(process.argv[1]);
        for (let i = 0; i < 5; i++) await s.mutate((cur) => ({ clients: { connected: [...cur.clients.connected, process.argv[2] + '-' + i] } }));
      }).catch((e) => { console.error(e); process.exit(1); });`;
    const runs = Array.from(
      { length: 6 },
      (_, k) =>
        new Promise<number | null>((resolve) =>
          spawn(process.execPath, ['-e', script, dir, `p${k}`], { stdio: 'inherit' }).on('exit', resolve),
        ),
    );
    expect(await Promise.all(runs)).toEqual(Array(6).fill(0));
    const connected = JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).clients.connected as string[];
    expect(connected).toHaveLength(30); // a lost update would drop some
    expect(fs.existsSync(lock)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.includes('.stale-'))).toEqual([]);
  }, 60_000);
});
