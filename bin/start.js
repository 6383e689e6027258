#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, otherwise the headless shell — saying why.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const bin = require('electron'); // the package exports the binary's path, and throws if it is not installed
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const mainBundle = path.join(root, 'dist', 'electron', 'main.cjs');
const extra = process.argv.slice(2);

let command;
let args;
if (electron && hasDisplay && fs.existsSync(mainBundle)) {
  // The desktop shell needs better-sqlite3 built for Electron's ABI (see build/electron-native.mjs).
  const native = spawnSync(process.execPath, [path.join(root, 'build', 'electron-native.mjs')], { stdio: 'inherit' });
  if (native.status !== 0) {
    process.stderr.write('MCP Tray: could not build the SQLite module for Electron (see above).\n');
    process.exit(1);
  }
  command = electron;
  args = [root, ...extra];
} else {
  const why = !electron
    ? "Electron's binary is not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)"
    : !hasDisplay
      ? 'there is no display (no DISPLAY or WAYLAND_DISPLAY)'
      : 'the desktop shell is not built';
  process.stderr.write(`MCP Tray: ${why}, so it starts headless instead: the same app, in your browser.\n\n`);
  command = process.execPath;
  args = [path.join(root, 'bin', 'mcp-tray.js'), 'serve', ...extra];
}
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
