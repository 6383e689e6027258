import fs from 'node:fs';
import path from 'node:path';
import { Notification, app, ipcMain, session, shell } from 'electron';
import { Host } from '../core/host.js';
import { makeRuntime, type Runtime } from '../core/runtime.js';
import type { ClientStatus, HostEvent, ServerName, ServerState } from '../core/contract.js';
import { createDesktopStore } from './desktop-store.js';
import { registerHostIpc } from './ipc.js';
import { resolveAppPaths } from './paths.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { AppTray } from './tray.js';
import { notificationFor, type TrayAction } from './tray-menu.js';
import { setupAutoUpdate } from './updater.js';
import { applyLinuxAutostart } from './login-item.js';
import { MainWindow } from './window.js';

const log = (message: string) => process.stderr.write(`mcp-tray: ${message}\n`);

/** Deny every permission a page might ask for (camera, notifications, geolocation, …). */
function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** macOS: move the app out of a disk image or App Translocation into /Applications (Electron relaunches it from there). */
async function moveToApplications(): Promise<{ moved: boolean; message: string }> {
  if (app.isInApplicationsFolder()) return { moved: false, message: 'MCP Tray is already in the Applications folder.' };
  try {
    // On success Electron quits this copy and opens the moved one; the entries are repaired from there.
    const moved = app.moveToApplicationsFolder({ conflictHandler: (kind) => kind === 'exists' });
    return moved
      ? { moved: true, message: 'MCP Tray moved to Applications and is reopening from there.' }
      : { moved: false, message: 'MCP Tray was not moved.' };
  } catch (err) {
    return { moved: false, message: `Could not move MCP Tray: ${(err as Error).message}. Drag it to Applications in the Finder instead.` };
  }
}

export interface MainHandle {
  host: Host;
  window: MainWindow;
  tray: AppTray;
  quit: () => Promise<void>;
}

/**
 * Wires the desktop shell: single instance, the host core, the window, the tray, IPC and quit.
 * Everything with logic lives in the modules it calls; this only connects them.
 */
export async function main(): Promise<MainHandle | undefined> {
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  let quitting = false;
  let stopped = false;
  // Filled in once the app is ready; shutdown may run before that.
  /** What shutdown stops; `summaryEvery`: the tray summary's refresh (its "2 min ago" ages). */
  const live: { host?: Host; tray?: AppTray; summaryEvery?: NodeJS.Timeout } = {};

  const layout = resolveAppPaths({
    isPackaged: app.isPackaged,
    platform: process.platform,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    execPath: process.execPath,
    env: process.env,
  });
  const icons = path.join(app.getAppPath(), 'build', 'icons');
  const store = createDesktopStore();
  const window = new MainWindow({
    preload: layout.preload,
    iconPath: path.join(icons, 'icon.png'),
    loadState: () => ({ bounds: store.get('bounds'), lastPage: store.get('lastPage') }),
    saveState: (s) => {
      if (s.bounds) store.set('bounds', s.bounds);
      if (s.lastPage) store.set('lastPage', s.lastPage);
    },
    isQuitting: () => quitting,
  });

  const shutdown = async () => {
    if (stopped) return;
    quitting = true;
    clearInterval(live.summaryEvery);
    // Awaited: every server is stopped before the process goes (an async will-quit would not be waited for).
    await live.host?.close().catch((err: Error) => log(`while stopping: ${err.message}`));
    live.tray?.destroy();
    stopped = true;
    app.quit();
  };

  app.on('second-instance', () => window.open());
  app.on('activate', () => window.open());
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (e) => {
    if (stopped) return;
    e.preventDefault();
    void shutdown();
  });

  await app.whenReady();
  hardenSessions();
  serveRenderer(layout.rendererDir);

  // Development: the checkout's better-sqlite3 is built for Node (tests); Electron loads a copy built for its ABI.
  const devBinding = path.join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  const binding = !app.isPackaged && fs.existsSync(devBinding) ? devBinding : undefined;
  if (binding) process.env.MCP_TRAY_SQLITE_BINDING = binding;
  const runtime: Runtime = {
    ...makeRuntime({ distDir: layout.distDir, execPath: layout.command, shell: 'electron' }),
    rendererDir: layout.rendererDir,
    env: { ELECTRON_RUN_AS_NODE: '1', ...(binding ? { MCP_TRAY_SQLITE_BINDING: binding } : {}) },
    ...(process.platform === 'darwin' && app.isPackaged ? { relocate: moveToApplications } : {}),
    // A .mcpb opened with the OS goes to Claude Desktop's installer (Claude registers the file type).
    openPath: (file) => shell.openPath(file),
  };
  const dataDir = process.env.MCP_TRAY_DATA_DIR || app.getPath('userData');
  const h = await Host.create({ dataDir, runtime });
  live.host = h;
  if (layout.note) h.startupNotice({ level: 'warning', message: layout.note });

  registerHostIpc({ ipcMain, dispatch: (method, args) => h.dispatch(method, args), ownWebContentsId: () => window.webContentsId });

  const claude = async () => (await h.api.listClients({})).find((c) => c.id === 'claude-desktop');
  const onAction = (action: TrayAction) => {
    const run = (p: Promise<unknown>) => p.catch((err: Error) => h.emit('event', { type: 'notice', level: 'error', message: err.message }));
    switch (action.type) {
      case 'open':
        window.open(action.page);
        break;
      case 'toggle-server':
        void run(h.api.setServerEnabled({ server: action.server, enabled: action.enabled }));
        break;
      case 'restart-server':
        void run(h.api.restartServer({ server: action.server }));
        break;
      case 'connect-claude':
        void run(
          h.api
            .connectClient({ client: 'claude-desktop' })
            .then((r) => new Notification({ title: 'Claude Desktop', body: r.message }).show()),
        );
        break;
      case 'toggle-notifications':
        store.set('notifications', action.enabled);
        live.tray?.update();
        break;
      case 'quit':
        void shutdown();
        break;
    }
  };
  const tray = new AppTray({
    iconPath: path.join(icons, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    onAction,
    prefs: () => ({ notifications: store.get('notifications') !== false }),
  });
  live.tray = tray;
  tray.update(h.state().servers, await claude());
  // The tray's first line is the Home page's summary: refreshed on the events that change it, and
  // once a minute so "2 min ago" ages.
  let summaryTimer: NodeJS.Timeout | undefined;
  const refreshSummary = () => {
    clearTimeout(summaryTimer);
    summaryTimer = setTimeout(() => {
      void h.api.getSetup({}).then(
        (s) => tray.update(undefined, s.claude, s.summary),
        () => {},
      );
    }, 250);
  };
  refreshSummary();
  live.summaryEvery = setInterval(refreshSummary, 60_000);
  live.summaryEvery.unref();
  // The release workflow's smoke test (Playwright's Electron support) checks the tray from here.
  if (process.env.MCP_TRAY_SMOKE === '1') (globalThis as { __mcpTraySmoke?: unknown }).__mcpTraySmoke = { tray: true };

  const seen = { servers: new Map<ServerName, ServerState>(), clients: new Map<string, ClientStatus['state']>() };
  for (const c of await h.api.listClients({})) seen.clients.set(c.id, c.state);
  const applyLoginItem = (open: boolean) => {
    if (process.platform !== 'linux') return app.setLoginItemSettings({ openAtLogin: open, openAsHidden: true, args: ['--hidden'] });
    // An AppImage's own path (APPIMAGE) survives restarts; the mounted binary's does not.
    const exec = process.env.APPIMAGE || (app.isPackaged ? process.execPath : `${process.execPath} ${app.getAppPath()}`);
    try {
      applyLinuxAutostart(open, { configHome: process.env.XDG_CONFIG_HOME || path.join(app.getPath('home'), '.config'), exec });
    } catch (err) {
      log(`could not change start-at-login: ${(err as Error).message}`);
    }
  };
  // Start at login is re-applied only when that setting changes, not on every settings change.
  let openAtLogin = (await h.api.getSettings({})).startAtLogin;
  applyLoginItem(openAtLogin);
  h.on('event', (e: HostEvent) => {
    window.send(e);
    if (e.type === 'server-status') tray.update(h.state().servers);
    if (e.type === 'clients')
      tray.update(
        undefined,
        e.clients.find((c) => c.id === 'claude-desktop'),
      );
    if (['clients', 'activity', 'claude-logs', 'server-status', 'repaired'].includes(e.type)) refreshSummary();
    if (e.type === 'settings' && e.settings.startAtLogin !== openAtLogin) {
      openAtLogin = e.settings.startAtLogin;
      applyLoginItem(openAtLogin);
    }
    if (
      (e.type === 'server-status' || e.type === 'clients' || e.type === 'repaired') &&
      store.get('notifications') &&
      Notification.isSupported()
    ) {
      for (const n of notificationFor(seen, e, { autoRepair: h.state().settings.clients.autoRepair })) new Notification(n).show();
    }
  });

  const startedHidden = process.argv.includes('--hidden') || app.getLoginItemSettings().wasOpenedAtLogin;
  if (!startedHidden) window.open();
  void setupAutoUpdate(log);
  return { host: h, window, tray, quit: shutdown };
}
