import path from 'node:path';

export interface LayoutInput {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** app.getAppPath(): the checkout in development, …/resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath */
  resourcesPath: string;
  /** process.execPath: the Electron binary in development, the app's executable when packaged. */
  execPath: string;
  env: NodeJS.ProcessEnv;
}

export interface AppPaths {
  /** dist/ holding servers/ — outside the asar when packaged, so a plain process can run the files. */
  distDir: string;
  /** The built UI (may be inside the asar: the app:// protocol reads it through Electron's fs). */
  rendererDir: string;
  preload: string;
  /** What client configs run: the app's own executable with ELECTRON_RUN_AS_NODE=1. */
  command: string;
  /** Set where the executable's path does not survive a restart (an AppImage's mount point): what to tell the person. */
  note?: string;
}

/**
 * Where everything is, for development and for packaged macOS, Windows and Linux layouts.
 * One tested function, so the tray's own children and the entries written into client configs
 * agree on the same files.
 */
export function resolveAppPaths(i: LayoutInput): AppPaths {
  const p = i.platform === 'win32' ? path.win32 : path.posix;
  if (!i.isPackaged) {
    const dist = p.join(i.appPath, 'dist');
    return {
      distDir: dist,
      rendererDir: p.join(dist, 'renderer'),
      preload: p.join(dist, 'electron', 'preload.cjs'),
      command: i.execPath,
    };
  }
  const unpacked = p.join(i.resourcesPath, 'app.asar.unpacked');
  const asar = p.join(i.resourcesPath, 'app.asar');
  const base = {
    distDir: p.join(unpacked, 'dist'),
    rendererDir: p.join(asar, 'dist', 'renderer'),
    preload: p.join(asar, 'dist', 'electron', 'preload.cjs'),
    command: i.execPath,
  };
  if (i.platform === 'linux' && i.env.APPIMAGE) {
    return {
      ...base,
      note:
        'MCP Tray is running from an AppImage, whose files live in a temporary folder while it runs. Apps you connect can only start ' +
        'the servers while MCP Tray is open. Install the .deb package for connections that always work.',
    };
  }
  return base;
}
