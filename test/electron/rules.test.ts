import path from 'node:path';
import fs from 'node:fs';
import { applyLinuxAutostart, linuxAutostartEntry } from '../../electron/main/login-item.js';
import { describe, expect, it } from 'vitest';
import { FuseV1Options } from '@electron/fuses';
import {
  APP_ORIGIN,
  isTrustedSender,
  navigationAllowed,
  onWindowClose,
  pageFromUrl,
  safeExternalUrl,
  windowOptions,
} from '../../electron/main/security.js';
import { notificationFor, trayMenuModel, trayTooltip } from '../../electron/main/tray-menu.js';
import { resolveAppPaths } from '../../electron/main/paths.js';
import { tempDir } from '../helpers/servers.js';
import type { ClientStatus, ServerStatus } from '../../electron/core/contract.js';
import { serverStatus } from '../helpers/status.js';

const server = (name: 'products' | 'weather', state: ServerStatus['state'], enabled = true) => serverStatus({ name, state, enabled });
const client = (state: ClientStatus['state']): ClientStatus => ({
  id: 'claude-desktop',
  name: 'Claude Desktop',
  state,
  configPath: '/x',
  entries: {},
  expected: {},
  extensions: [],
  installLinks: [],
  problem: null,
  detail: null,
  nextStep: '',
});

describe('window security', () => {
  it('builds every BrowserWindow with the security checklist on', () => {
    const o = windowOptions('/app/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o.show).toBe(false);
  });

  it('allows navigation only within app://mcp-tray', () => {
    expect(navigationAllowed(`${APP_ORIGIN}/index.html#/catalog`)).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'http://127.0.0.1:3000/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(navigationAllowed(url), url).toBe(false);
    }
  });

  it('opens externally only https links to sites we link to', () => {
    expect(safeExternalUrl('https://modelcontextprotocol.io/docs')).toBe('https://modelcontextprotocol.io/docs');
    // The apps' install links (the Apps page's second way), and nothing else of their schemes.
    expect(safeExternalUrl('cursor://anysphere.cursor-deeplink/mcp/install?name=a&config=e30=')).toBe(
      'cursor://anysphere.cursor-deeplink/mcp/install?name=a&config=e30=',
    );
    expect(safeExternalUrl('vscode:mcp/install?%7B%7D')).toBe('vscode:mcp/install?%7B%7D');
    expect(safeExternalUrl('vscode://file/etc/passwd')).toBeNull();
    expect(safeExternalUrl('lmstudio://add_mcp?name=a&config=e30= x')).toBeNull();
    expect(safeExternalUrl('https://docs.github.com/x')).toBe('https://docs.github.com/x');
    for (const url of [
      'http://modelcontextprotocol.io',
      'https://evil.example',
      'https://github.com.evil.example/',
      'file:///bin/sh',
      'smb://server/share',
      'https://user:pw@github.com/',
    ]) {
      expect(safeExternalUrl(url), url).toBeNull();
    }
  });

  it('accepts IPC only from our window’s main frame showing our page', () => {
    const ok = { webContentsId: 7, frameUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true };
    expect(isTrustedSender(ok, 7)).toBe(true);
    expect(isTrustedSender({ ...ok, webContentsId: 8 }, 7)).toBe(false);
    expect(isTrustedSender({ ...ok, isMainFrame: false }, 7)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, 7)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: undefined }, 7)).toBe(false);
    expect(isTrustedSender(ok, undefined)).toBe(false);
  });

  it('hides on close unless quitting, and remembers only real pages', () => {
    expect(onWindowClose(false)).toBe('hide');
    expect(onWindowClose(true)).toBe('close');
    expect(pageFromUrl(`${APP_ORIGIN}/index.html#/catalog`)).toBe('catalog');
    expect(pageFromUrl(`${APP_ORIGIN}/index.html#/../../x`)).toBeUndefined();
    expect(pageFromUrl(undefined)).toBeUndefined();
  });
});

describe('tray menu', () => {
  it('shows each server with its state and a toggle, then Open, Connect and Quit', () => {
    const items = trayMenuModel([server('products', 'running'), server('weather', 'stopped', false)], client('not-connected'));
    expect(items.map((i) => i.label)).toEqual([
      'Product catalog — running',
      'Weather — off',
      '',
      'Open MCP Tray',
      'Connect to Claude Desktop',
      '',
      'Show notifications',
      'Quit MCP Tray',
    ]);
    expect(items.find((i) => i.label === 'Show notifications')).toMatchObject({
      checked: true,
      action: { type: 'toggle-notifications', enabled: false },
    });
    expect(trayMenuModel([], undefined, { notifications: false }).find((i) => i.label === 'Show notifications')!.checked).toBe(false);
    expect(items[0]).toMatchObject({
      type: 'checkbox',
      checked: true,
      action: { type: 'toggle-server', server: 'products', enabled: false },
    });
    expect(items[1]).toMatchObject({ checked: false, action: { type: 'toggle-server', server: 'weather', enabled: true } });
    expect(items.at(-1)!.action).toEqual({ type: 'quit' });
  });

  it('offers a restart for a server in crash-loop, and repair when Claude dropped us', () => {
    const items = trayMenuModel([server('products', 'crash-loop')], client('entry-missing'));
    expect(items.map((i) => i.label)).toContain('Restart Product catalog');
    expect(items.map((i) => i.label)).toContain('Repair Claude Desktop connection');
    const connected = trayMenuModel([server('products', 'running')], client('connected'));
    expect(connected.find((i) => i.label === 'Claude Desktop: connected')!.enabled).toBe(false);
    expect(trayTooltip([server('products', 'running'), server('weather', 'crash-loop')])).toBe(
      'MCP Tray — 1 of 2 servers running, 1 need attention',
    );
  });

  it("starts with the Home page's one line about Claude, which opens Home", () => {
    const items = trayMenuModel(
      [server('products', 'running')],
      client('connected'),
      undefined,
      "Claude Desktop: can't start MCP Tray — open for details",
    );
    expect(items[0]).toEqual({ label: "Claude Desktop: can't start MCP Tray — open for details", action: { type: 'open', page: 'home' } });
    expect(items[1]!.type).toBe('separator');
    expect(trayMenuModel([server('products', 'running')], client('connected'))[0]!.label).toBe('Product catalog — running');
  });

  it('with automatic repair on, says "restart Claude" once after the repair instead of "dropped, repair it"', () => {
    const seen = { servers: new Map(), clients: new Map() };
    notificationFor(seen, { type: 'clients', clients: [client('connected')] }, { autoRepair: true });
    expect(notificationFor(seen, { type: 'clients', clients: [client('entry-missing')] }, { autoRepair: true })).toEqual([]);
    expect(notificationFor(seen, { type: 'repaired', client: 'claude-desktop', message: 'put back' }, { autoRepair: true })).toEqual([
      { title: 'Restart Claude Desktop to use MCP Tray again', body: 'put back' },
    ]);
  });

  it('notifies once when a server enters crash-loop or a client drops our entries', () => {
    const seen = { servers: new Map(), clients: new Map() };
    expect(notificationFor(seen, { type: 'server-status', status: server('weather', 'crashed') })).toEqual([]);
    expect(notificationFor(seen, { type: 'server-status', status: server('weather', 'crash-loop') })).toEqual([
      { title: 'Weather keeps crashing', body: expect.stringMatching(/restart/) },
    ]);
    expect(notificationFor(seen, { type: 'server-status', status: server('weather', 'crash-loop') })).toEqual([]);
    expect(notificationFor(seen, { type: 'clients', clients: [client('connected')] })).toEqual([]);
    expect(notificationFor(seen, { type: 'clients', clients: [client('entry-missing')] })).toEqual([
      { title: 'Claude Desktop dropped MCP Tray', body: expect.any(String) },
    ]);
  });
});

describe('paths per layout', () => {
  it('development: the checkout', () => {
    expect(
      resolveAppPaths({
        isPackaged: false,
        platform: 'linux',
        appPath: '/src/mcp-tray',
        resourcesPath: '/x',
        execPath: '/src/mcp-tray/node_modules/electron/dist/electron',
        env: {},
      }),
    ).toEqual({
      distDir: '/src/mcp-tray/dist',
      rendererDir: '/src/mcp-tray/dist/renderer',
      preload: '/src/mcp-tray/dist/electron/preload.cjs',
      command: '/src/mcp-tray/node_modules/electron/dist/electron',
    });
  });

  it('packaged macOS: servers unpacked beside the asar, the app binary as the command', () => {
    const r = '/Applications/MCP Tray.app/Contents/Resources';
    const p = resolveAppPaths({
      isPackaged: true,
      platform: 'darwin',
      appPath: `${r}/app.asar`,
      resourcesPath: r,
      execPath: '/Applications/MCP Tray.app/Contents/MacOS/MCP Tray',
      env: {},
    });
    expect(p).toMatchObject({
      distDir: `${r}/app.asar.unpacked/dist`,
      rendererDir: `${r}/app.asar/dist/renderer`,
      command: '/Applications/MCP Tray.app/Contents/MacOS/MCP Tray',
    });
  });

  it('packaged Windows: backslashes throughout', () => {
    const r = 'C:\\Users\\ann\\AppData\\Local\\Programs\\MCP Tray\\resources';
    const p = resolveAppPaths({
      isPackaged: true,
      platform: 'win32',
      appPath: `${r}\\app.asar`,
      resourcesPath: r,
      execPath: 'C:\\Users\\ann\\AppData\\Local\\Programs\\MCP Tray\\MCP Tray.exe',
      env: {},
    });
    expect(p.distDir).toBe(`${r}\\app.asar.unpacked\\dist`);
    expect(p.preload).toBe(`${r}\\app.asar\\dist\\electron\\preload.cjs`);
    expect(p.command).toBe('C:\\Users\\ann\\AppData\\Local\\Programs\\MCP Tray\\MCP Tray.exe');
  });

  it('packaged Linux: stable from the .deb, flagged when run from an AppImage', () => {
    const deb = resolveAppPaths({
      isPackaged: true,
      platform: 'linux',
      appPath: '/opt/MCP Tray/resources/app.asar',
      resourcesPath: '/opt/MCP Tray/resources',
      execPath: '/opt/MCP Tray/mcp-tray',
      env: {},
    });
    expect(deb).toMatchObject({ distDir: '/opt/MCP Tray/resources/app.asar.unpacked/dist' });
    expect(deb.note).toBeUndefined();
    const appImage = resolveAppPaths({
      isPackaged: true,
      platform: 'linux',
      appPath: '/tmp/.mount_MCPabc/resources/app.asar',
      resourcesPath: '/tmp/.mount_MCPabc/resources',
      execPath: '/tmp/.mount_MCPabc/mcp-tray',
      env: { APPIMAGE: '/home/ann/MCP-Tray.AppImage' },
    });
    expect(appImage.note).toMatch(/AppImage/);
    expect(appImage.note).toMatch(/AppImage/);
  });
});

describe('start at login on Linux', () => {
  it('writes an XDG autostart entry that starts hidden, and removes it', () => {
    expect(linuxAutostartEntry('/opt/MCP Tray/mcp-tray')).toContain('Exec="/opt/MCP Tray/mcp-tray" --hidden\n');
    expect(linuxAutostartEntry('/home/ann/MCP-Tray.AppImage')).toContain('Exec=/home/ann/MCP-Tray.AppImage --hidden\n');
    // Desktop Entry Specification: % doubled; quoted with \ " ` $ escaped; then the string-level escape doubles each backslash.
    expect(linuxAutostartEntry('/home/ann/50%/mcp-tray')).toContain('Exec=/home/ann/50%%/mcp-tray --hidden\n');
    expect(linuxAutostartEntry('/home/ann/a\\b $HOME/`x`"q" 100%/tray')).toContain(
      'Exec="/home/ann/a\\\\\\\\b \\\\$HOME/\\\\`x\\\\`\\\\"q\\\\" 100%%/tray" --hidden\n',
    );
    const home = tempDir('mcp-tray-autostart-');
    applyLinuxAutostart(true, { configHome: home, exec: '/usr/bin/mcp-tray' });
    const file = path.join(home, 'autostart', 'mcp-tray.desktop');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\nName=MCP Tray/);
    applyLinuxAutostart(false, { configHome: home, exec: '/usr/bin/mcp-tray' });
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('Electron fuses set at packaging', () => {
  it('keeps RunAsNode (server entries need it) and turns off what the app does not use', () => {
    const yml = fs.readFileSync(path.join(process.cwd(), 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}\w+: \w+\n)+)/m.exec(yml)![1]!;
    const fuses = Object.fromEntries(
      block
        .trim()
        .split('\n')
        .map((l) => l.trim().split(': ') as [string, string]),
    );
    // Every fuse @electron/fuses knows is decided explicitly, none left to Electron's default.
    const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
    expect(Object.keys(fuses).sort()).toEqual(known.map((k) => k[0]!.toLowerCase() + k.slice(1)).sort());
    expect(fuses).toMatchObject({
      runAsNode: 'true',
      enableNodeCliInspectArguments: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      onlyLoadAppFromAsar: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      enableCookieEncryption: 'true',
    });
  });

  it('keeps the servers, the workers and the native module outside the asar', () => {
    const yml = fs.readFileSync(path.join(process.cwd(), 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(
      /asarUnpack:\n {2}- dist\/servers\/\*\*\n {2}- dist\/workers\/\*\*\n {2}- dist\/views\/\*\*\n {2}- node_modules\/better-sqlite3\/\*\*/,
    );
  });
});
