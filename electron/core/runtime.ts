import fs from 'node:fs';
import path from 'node:path';
import type { ServerName } from './contract.js';

/**
 * How a server is started: which executable, which script, which extra environment. The same
 * description is used for the tray's own children and for the entries written into client
 * configs, so what the app runs and what Claude runs are the same thing.
 */
export interface Runtime {
  shell: 'electron' | 'headless';
  /** Absolute path of the executable: node in development, the app binary when packaged. */
  command: string;
  /** Absolute path of a server's launcher script. */
  serverScript: (name: ServerName) => string;
  /** Extra environment a server needs from this runtime (ELECTRON_RUN_AS_NODE inside Electron). */
  env: Record<string, string>;
  /** The built renderer (index.html and assets), if there is one. */
  rendererDir: string;
  /** The Claude extension parts: launch.cjs (the bundle's entry point) and icon.png. */
  extensionDir: string;
  /** The desktop app on macOS can move itself to Applications (Electron's app.moveToApplicationsFolder). */
  relocate?: () => Promise<{ moved: boolean; message: string }>;
  /** The desktop app opens a file with the OS (a .mcpb goes to Claude's installer); resolves to an error message, or '' when it worked. */
  openPath?: (file: string) => Promise<string>;
}

export interface LayoutInput {
  /** Where dist/ is: the checkout in development, app.asar.unpacked in a packaged app. */
  distDir: string;
  execPath: string;
  shell: 'electron' | 'headless';
}

export function makeRuntime({ distDir, execPath, shell }: LayoutInput): Runtime {
  return {
    shell,
    command: execPath,
    serverScript: (name) => path.join(distDir, 'servers', `${name}.cjs`),
    env: shell === 'electron' ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    rendererDir: path.join(distDir, 'renderer'),
    extensionDir: path.join(distDir, 'extension'),
  };
}

/** Finds dist/ from a module's own location, bundled (dist/cli.mjs) or run from source (electron/core/*.ts). */
export function findDistDir(fromDir: string): string {
  for (const candidate of [fromDir, path.join(fromDir, 'dist'), path.join(fromDir, '..', 'dist'), path.join(fromDir, '..', '..', 'dist')]) {
    if (fs.existsSync(path.join(candidate, 'servers', 'products.cjs'))) return path.resolve(candidate);
  }
  return path.resolve(fromDir, '..', '..', 'dist');
}
