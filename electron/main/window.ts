import { BrowserWindow, app, shell } from 'electron';
import { EVENT_CHANNEL } from '../core/methods.js';
import type { HostEvent } from '../core/contract.js';
import { appUrl, navigationAllowed, onWindowClose, pageFromUrl, safeExternalUrl, windowOptions, type Bounds } from './security.js';

export interface WindowDeps {
  preload: string;
  iconPath?: string;
  loadState: () => { bounds?: Bounds; lastPage?: string };
  saveState: (s: { bounds?: Bounds; lastPage?: string }) => void;
  isQuitting: () => boolean;
}

/** The one app window: created on demand, hidden (not closed) when the person closes it. */
export class MainWindow {
  private win: BrowserWindow | undefined;

  constructor(private readonly deps: WindowDeps) {}

  get webContentsId(): number | undefined {
    return this.win && !this.win.isDestroyed() ? this.win.webContents.id : undefined;
  }

  open(page?: string): BrowserWindow {
    if (this.win && !this.win.isDestroyed()) {
      if (page) void this.win.loadURL(appUrl(page));
      if (this.win.isMinimized()) this.win.restore();
      this.win.show();
      this.win.focus();
      app.dock?.show();
      return this.win;
    }
    const state = this.deps.loadState();
    const win = new BrowserWindow(windowOptions(this.deps.preload, state.bounds, this.deps.iconPath));
    this.win = win;
    const contents = win.webContents;
    // Never navigate away from our own page; open safe https links in the browser instead.
    contents.on('will-navigate', (e, url) => {
      if (!navigationAllowed(url)) {
        e.preventDefault();
        const safe = safeExternalUrl(url);
        if (safe) void shell.openExternal(safe);
      }
    });
    contents.on('will-redirect', (e, url) => {
      if (!navigationAllowed(url)) e.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      const safe = safeExternalUrl(url);
      if (safe) void shell.openExternal(safe);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    win.once('ready-to-show', () => win.show());
    win.on('close', (e) => {
      this.deps.saveState({ bounds: win.getNormalBounds(), lastPage: pageFromUrl(contents.getURL()) });
      if (onWindowClose(this.deps.isQuitting()) === 'hide') {
        e.preventDefault();
        win.hide();
        app.dock?.hide();
      }
    });
    win.on('closed', () => {
      this.win = undefined;
    });
    void win.loadURL(appUrl(page ?? state.lastPage));
    return win;
  }

  send(event: HostEvent): void {
    if (this.win && !this.win.isDestroyed()) this.win.webContents.send(EVENT_CHANNEL, event);
  }
}
