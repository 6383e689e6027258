// Builds better-sqlite3 for Electron's ABI into .electron-native/, for running the desktop shell
// from a checkout (`npm start` calls this when Electron is installed). The checkout's own copy in
// node_modules stays built for Node, so tests and the headless shell keep working side by side;
// main.ts hands the Electron build to better-sqlite3 through MCP_TRAY_SQLITE_BINDING.
// Packaged apps do not need this: electron-builder rebuilds native modules for Electron (npmRebuild).
// Needs the network (Electron headers or a prebuilt binary), so it cannot run on our CI machines.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const target = path.join(root, '.electron-native', 'better_sqlite3.node');
const stamp = `${target}.version`;
if (fs.existsSync(target) && fs.readFileSync(stamp, 'utf8').trim() === electronVersion) process.exit(0);

const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tray-native-'));
fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
console.log(`Building better-sqlite3 for Electron ${electronVersion}…`);
try {
  run('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]);
} catch {
  run('npx', [
    '--yes',
    'node-gyp',
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
fs.writeFileSync(stamp, electronVersion);
fs.rmSync(work, { recursive: true, force: true });
console.log(`Wrote ${path.relative(root, target)}`);
