/**
 * A stand-in for the 'electron' module (its binary cannot run here), in the manner of
 * electron/fiddle's tests: just enough behaviour to drive main.ts and observe what it does.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export const calls = {
  quit: 0,
  exit: 0,
  notifications: [] as Array<{ title: string; body: string }>,
  loginItem: [] as unknown[],
  openExternal: [] as string[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
};

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  url = '';
  sent: Array<[string, unknown]> = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  focused = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.webContents.url = url;
    queueMicrotask(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused++;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  /** What a click on the window's close button does. */
  userClose() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.destroyed = true;
      this.emit('closed');
    }
    return prevented;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  singleInstance = true;
  appPath = process.cwd();
  dock = { show: vi.fn(), hide: vi.fn() };
  requestSingleInstanceLock() {
    return this.singleInstance;
  }
  whenReady() {
    return Promise.resolve();
  }
  getAppPath() {
    return this.appPath;
  }
  getPath() {
    return process.env.MCP_TRAY_DATA_DIR ?? '/nonexistent';
  }
  quit() {
    calls.quit++;
    // Electron emits before-quit, which main may prevent to shut down first.
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('will-quit');
  }
  exit() {
    calls.exit++;
  }
  setLoginItemSettings(s: unknown) {
    calls.loginItem.push(s);
  }
  getLoginItemSettings() {
    return { wasOpenedAtLogin: false };
  }
}
export const app = new FakeApp();

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  menu: Array<Record<string, unknown>> = [];
  tooltip = '';
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    Tray.instances.push(this);
  }
  setContextMenu(menu: Array<Record<string, unknown>>) {
    this.menu = menu;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  destroy() {
    this.destroyed = true;
  }
}

export const Menu = { buildFromTemplate: (template: Array<Record<string, unknown>>) => template };
export const nativeImage = { createFromPath: () => ({ setTemplateImage: () => {} }) };

export class Notification {
  static isSupported() {
    return true;
  }
  constructor(readonly n: { title: string; body: string }) {}
  show() {
    calls.notifications.push(this.n);
  }
}

export const ipcMain = {
  handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(),
  handle(channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) {
    this.handlers.set(channel, fn);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const session = {
  defaultSession: {
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    setPermissionRequestHandler(h: (wc: unknown, p: string, cb: (ok: boolean) => void) => void) {
      this.permissionRequest = h;
    },
    setPermissionCheckHandler(h: () => boolean) {
      this.permissionCheck = h;
    },
  },
};

export const protocol = {
  privileged: [] as unknown[],
  registerSchemesAsPrivileged(s: unknown[]) {
    this.privileged.push(...s);
  },
  handle(scheme: string, fn: (req: Request) => Promise<Response>) {
    calls.protocolHandlers.set(scheme, fn);
  },
};

/** Electron's net.fetch reads file: URLs (Node's fetch does not). */
export const net = {
  fetch: async (url: string) => {
    try {
      return new Response(await fs.promises.readFile(fileURLToPath(url)), {
        status: 200,
        headers: { 'content-type': url.endsWith('.html') ? 'text/html' : 'application/octet-stream' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  },
};
export const shell = {
  openExternal: (url: string) => {
    calls.openExternal.push(url);
    return Promise.resolve();
  },
};
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(k: string, v: unknown) {
    this.exposed.set(k, v);
  },
};
export const ipcRenderer = {
  invoked: [] as Array<[string, unknown]>,
  reply: { ok: true, result: null } as unknown,
  invoke(channel: string, args: unknown) {
    this.invoked.push([channel, args]);
    return Promise.resolve(this.reply);
  },
  on: vi.fn(),
  removeListener: vi.fn(),
};

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  Notification,
  ipcMain,
  session,
  protocol,
  net,
  shell,
  contextBridge,
  ipcRenderer,
};
