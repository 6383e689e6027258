import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The UI is served from this custom protocol, never from the network or file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mcp-tray';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const appUrl = (page = 'servers') => `${APP_ORIGIN}/index.html#/${page}`;

/** Electron's security checklist, in one place so a test can hold us to it. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: true,
  };
}

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export function windowOptions(preload: string, bounds?: Bounds, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1180,
    height: bounds?.height ?? 800,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'MCP Tray',
    backgroundColor: '#f7f7fb',
    autoHideMenuBar: true,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: secureWebPreferences(preload),
  };
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** In-app navigation only; anything else is refused (and maybe opened outside, if safe). */
export const navigationAllowed = (url: string) => isAppUrl(url);

/** Links we let the system browser open: https, to sites we link to ourselves. */
export const EXTERNAL_HOSTS = [
  'modelcontextprotocol.io',
  'open-meteo.com',
  'claude.ai',
  'github.com',
  'code.visualstudio.com',
  'cursor.com',
  'windsurf.com',
];

/** The apps' own install links the Apps page offers (each app asks the person before it adds anything). */
export const INSTALL_LINK_PREFIXES = ['cursor://anysphere.cursor-deeplink/mcp/install?', 'vscode:mcp/install?', 'lmstudio://add_mcp?'];

export function safeExternalUrl(url: string): string | null {
  if (INSTALL_LINK_PREFIXES.some((p) => url.startsWith(p)) && !/[\s<>"]/.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || u.username || u.password) return null;
    const ok = EXTERNAL_HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
    return ok ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Whether an IPC call comes from our own window's top frame showing our own page. Anything else
 * (another window, a subframe, a page that navigated away) is refused.
 */
export function isTrustedSender(
  sender: { webContentsId: number; frameUrl: string | undefined; isMainFrame: boolean },
  ownWebContentsId: number | undefined,
): boolean {
  return (
    ownWebContentsId !== undefined &&
    sender.webContentsId === ownWebContentsId &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    isAppUrl(sender.frameUrl)
  );
}

/** What closing the window does: a tray app hides it and keeps running, unless it is quitting. */
export function onWindowClose(quitting: boolean): 'hide' | 'close' {
  return quitting ? 'close' : 'hide';
}

/** The page to reopen on ("#/catalog" → "catalog"), limited to pages that exist. */
export function pageFromUrl(url: string | undefined): string | undefined {
  const m = /#\/([a-z]+)$/.exec(url ?? '');
  return m && ['servers', 'catalog', 'weather', 'apps', 'settings'].includes(m[1]!) ? m[1] : undefined;
}
