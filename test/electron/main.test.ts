import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAlive, tempDir, until } from '../helpers/servers.js';

vi.mock('electron', () => import('../helpers/fake-electron.js'));
vi.mock('electron-store', () => ({
  default: class {
    data = new Map<string, unknown>([['notifications', true]]);
    get(k: string) {
      return this.data.get(k);
    }
    set(k: string, v: unknown) {
      this.data.set(k, v);
    }
  },
}));

const electron = await import('../helpers/fake-electron.js');
const { main } = await import('../../electron/main/main.js');
type Handle = NonNullable<Awaited<ReturnType<typeof main>>>;

describe('desktop shell wiring (against a mocked electron module)', () => {
  let handle: Handle;
  const home = tempDir('mcp-tray-home-');

  beforeAll(async () => {
    process.env.MCP_TRAY_DATA_DIR = tempDir();
    process.env.HOME = home; // connectors read client configs under HOME
    process.env.XDG_CONFIG_HOME = path.join(home, '.config');
    electron.app.appPath = process.cwd();
    handle = (await main())!;
  });
  afterAll(async () => {
    await handle?.quit();
  });
  beforeEach(() => {
    electron.calls.quit = 0;
  });

  it('starts the host with its servers, opens a secure window on app://, and builds the tray', async () => {
    expect(handle.host.state().servers.map((s) => s.state)).toEqual(['running', 'running']);
    const win = electron.BrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join(process.cwd(), 'dist', 'electron', 'preload.cjs'),
    });
    expect(win.webContents.url).toBe('app://mcp-tray/index.html#/servers');
    await until(() => win.visible, 'window shown when ready');
    const tray = electron.Tray.instances[0]!;
    expect(tray.menu.map((i) => i.label)).toEqual(expect.arrayContaining(['Open MCP Tray', 'Connect to Claude Desktop', 'Quit MCP Tray']));
    expect(electron.session.defaultSession.permissionCheck!()).toBe(false);
    let granted: boolean | undefined;
    electron.session.defaultSession.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('serves the UI from the packaged files with the CSP, and nothing outside them', async () => {
    const handler = electron.calls.protocolHandlers.get('app')!;
    const page = await handler(new Request('app://mcp-tray/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
    expect((await handler(new Request('app://mcp-tray/..%2f..%2fpackage.json'))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('answers IPC from its own window and refuses any other sender', async () => {
    const win = electron.BrowserWindow.instances[0]!;
    const getState = electron.ipcMain.handlers.get('host:getState')!;
    const own = { sender: { id: win.webContents.id }, senderFrame: { url: 'app://mcp-tray/index.html#/servers', parent: null } };
    expect(await getState(own, {})).toMatchObject({ ok: true, result: { shell: 'electron' } });
    const stranger = { sender: { id: 999 }, senderFrame: { url: 'app://mcp-tray/index.html', parent: null } };
    expect(await getState(stranger, {})).toMatchObject({ ok: false, error: expect.stringMatching(/Refused/) });
    const subframe = { ...own, senderFrame: { url: 'app://mcp-tray/x', parent: {} } };
    expect(await getState(subframe, {})).toMatchObject({ ok: false });
    const bad = await electron.ipcMain.handlers.get('host:createProduct')!(own, { name: 'X', price: -3, category: 'Y' });
    expect(bad).toEqual({ ok: false, code: 'invalid', error: 'price must not be negative' });
  });

  it('forwards host events to the window (no polling)', async () => {
    const win = electron.BrowserWindow.instances[0]!;
    win.webContents.sent.length = 0;
    await handle.host.api.createProduct({ name: 'Evented', price: 1, category: 'E' });
    expect(win.webContents.sent.some(([ch, e]) => ch === 'host:event' && (e as { type: string }).type === 'data-changed')).toBe(true);
  });

  it('hides the window on close and keeps running', () => {
    const win = electron.BrowserWindow.instances[0]!;
    expect(win.userClose()).toBe(true);
    expect(win.visible).toBe(false);
    expect(electron.calls.quit).toBe(0);
  });

  it('focuses the existing window on a second launch', () => {
    const win = electron.BrowserWindow.instances[0]!;
    const before = win.focused;
    electron.app.emit('second-instance');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(before + 1);
    expect(electron.BrowserWindow.instances).toHaveLength(1);
  });

  it('toggles a server from the tray menu; the menu follows the status events', async () => {
    const tray = electron.Tray.instances[0]!;
    const item = () => tray.menu.find((i) => String(i.label).startsWith('Weather'))!;
    expect(item().label).toBe('Weather — running');
    (item().click as () => void)();
    await until(() => item().label === 'Weather — off', 'tray shows weather off');
    // The label follows the switch at once; the process stops a moment later.
    await until(() => handle.host.state().servers[1]!.state === 'stopped', 'weather stopped');
    (item().click as () => void)();
    await until(() => item().label === 'Weather — running', 'tray shows weather running');
  });

  it('connects Claude Desktop from the tray and says so in a notification', async () => {
    const tray = electron.Tray.instances[0]!;
    (tray.menu.find((i) => i.label === 'Connect to Claude Desktop')!.click as () => void)();
    await until(() => electron.calls.notifications.some((n) => n.title === 'Claude Desktop'), 'notification');
    await until(() => tray.menu.some((i) => i.label === 'Claude Desktop: connected'), 'tray shows connected');
  });

  it('remembers the notification preference from the tray menu', () => {
    const tray = electron.Tray.instances[0]!;
    const item = () => tray.menu.find((i) => i.label === 'Show notifications')!;
    expect(item().checked).toBe(true);
    (item().click as () => void)();
    expect(item().checked).toBe(false);
    (item().click as () => void)();
    expect(item().checked).toBe(true);
  });

  it('re-applies start at login only when that setting changes', async () => {
    const entry = path.join(home, '.config', 'autostart', 'mcp-tray.desktop');
    await handle.host.api.updateSettings({ startAtLogin: true });
    await until(() => fs.existsSync(entry), 'autostart entry written');
    fs.rmSync(entry); // the person removed it in their desktop's settings
    await handle.host.api.updateSettings({ clients: { autoRepair: true } });
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.existsSync(entry)).toBe(false); // an unrelated change does not rewrite it
    await handle.host.api.updateSettings({ startAtLogin: false });
    await handle.host.api.updateSettings({ startAtLogin: true });
    await until(() => fs.existsSync(entry), 'autostart entry written again');
    await handle.host.api.updateSettings({ startAtLogin: false, clients: { autoRepair: false } });
    await until(() => !fs.existsSync(entry), 'autostart entry removed');
  });

  it('Quit stops every server before the app exits', async () => {
    const pids = handle.host.state().servers.map((s) => s.pid!);
    expect(pids.every(isAlive)).toBe(true);
    const tray = electron.Tray.instances[0]!;
    (tray.menu.find((i) => i.label === 'Quit MCP Tray')!.click as () => void)();
    await until(() => electron.Tray.instances[0]!.destroyed, 'tray destroyed after shutdown');
    expect(pids.some(isAlive)).toBe(false);
    expect(electron.calls.quit).toBeGreaterThanOrEqual(1);
    // and the window may now really close
    expect(electron.BrowserWindow.instances[0]!.userClose()).toBe(false);
  });
});

describe('single instance', () => {
  it('a second copy quits at once and starts nothing', async () => {
    electron.app.singleInstance = false;
    const windows = electron.BrowserWindow.instances.length;
    electron.calls.quit = 0;
    expect(await main()).toBeUndefined();
    expect(electron.calls.quit).toBe(1);
    expect(electron.BrowserWindow.instances.length).toBe(windows);
    electron.app.singleInstance = true;
  });
});
