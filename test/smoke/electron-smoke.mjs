// Smoke test of a packaged app (release workflow): `node test/smoke/electron-smoke.mjs <app executable>`.
// Launches it with Playwright's Electron support against temp folders and checks that the window
// opens, the tray exists, a server reaches running, and Connect writes a Claude Desktop config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';

const executablePath = process.argv[2];
if (!executablePath || !fs.existsSync(executablePath)) {
  console.error(`usage: node test/smoke/electron-smoke.mjs <path to the packaged app's executable> (got ${executablePath})`);
  process.exit(2);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tray-smoke-'));
const home = path.join(tmp, 'home');
const appData = path.join(home, 'AppData', 'Roaming');
fs.mkdirSync(appData, { recursive: true });
const env = {
  ...process.env,
  MCP_TRAY_SMOKE: '1',
  MCP_TRAY_DATA_DIR: path.join(tmp, 'data'),
  HOME: home,
  USERPROFILE: home,
  APPDATA: appData,
  LOCALAPPDATA: path.join(home, 'AppData', 'Local'),
  XDG_CONFIG_HOME: path.join(home, '.config'),
};
const step = (s) => console.log(`✓ ${s}`);

const app = await electron.launch({ executablePath, env, timeout: 60_000 });
try {
  const win = await app.firstWindow({ timeout: 60_000 });
  await win.getByRole('heading', { name: 'Servers', level: 1 }).waitFor({ timeout: 30_000 });
  step('the window opens on the Servers page');
  const tray = await app.evaluate(() => globalThis.__mcpTraySmoke?.tray === true);
  if (!tray) throw new Error('no tray icon');
  step('the tray icon exists');
  await win.locator('[data-server="products"] .pill[data-state="running"]').waitFor({ timeout: 60_000 });
  step('the products server reaches running (ELECTRON_RUN_AS_NODE child, Electron-ABI SQLite)');
  await win.goto(win.url().replace(/#.*$/, '#/apps'));
  const row = win.locator('[data-client="claude-desktop"]');
  await row.getByRole('button', { name: 'Connect' }).click();
  await row.locator('.pill[data-state="connected"]').waitFor({ timeout: 30_000 });
  const configPath = (await row.locator('.path code').textContent()).trim();
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  const entry = config.mcpServers['mcp-tray-products'];
  if (!entry || entry.env?.ELECTRON_RUN_AS_NODE !== '1' || !fs.existsSync(entry.command) || !fs.existsSync(entry.args[0])) {
    throw new Error(`unexpected entry: ${JSON.stringify(entry)}`);
  }
  step(`Connect wrote ${configPath} with an entry that runs the app's own executable`);
} finally {
  await app.close();
}
console.log('smoke test passed');
