// The Chromium that browser tests, the UI benchmark and the icon renderer drive, found the way people
// have one: CHROMIUM_PATH, Debian/Ubuntu's chromium (what CI uses), an installed Google Chrome,
// Chromium or Edge, or a browser Playwright downloaded. The flags suit this machine: no sandbox as
// root, no background network (the machine's closed network refuses it).
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where each platform keeps the browsers we can drive, in the order we prefer them. */
export function candidates(platform, env) {
  if (platform === 'darwin') {
    const apps = ['/Applications', path.posix.join(env.HOME ?? '', 'Applications')];
    return apps.flatMap((dir) => [
      `${dir}/Chromium.app/Contents/MacOS/Chromium`,
      `${dir}/Google Chrome.app/Contents/MacOS/Google Chrome`,
      `${dir}/Microsoft Edge.app/Contents/MacOS/Microsoft Edge`,
    ]);
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(Boolean);
    return [
      ...roots.map((r) => path.win32.join(r, 'Chromium', 'Application', 'chrome.exe')),
      ...roots.map((r) => path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe')),
      ...roots.map((r) => path.win32.join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')),
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
  ];
}

export const NO_BROWSER =
  'No Chromium-family browser found for the browser tests: install Chromium (Debian/Ubuntu: sudo apt-get install chromium), Google Chrome or Microsoft Edge, or run "npx playwright-core install chromium", or set CHROMIUM_PATH.';

/**
 * The browser to drive. `playwrightPath` is where Playwright keeps the browser it downloads (asked of
 * playwright-core by the caller); `exists` is injectable for tests.
 */
export function findChromium({ platform = process.platform, env = process.env, exists = fs.existsSync, playwrightPath } = {}) {
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist.`);
  }
  const found = [...candidates(platform, env), ...(playwrightPath ? [playwrightPath] : [])].find((p) => exists(p));
  if (!found) throw new Error(NO_BROWSER);
  return found;
}

let cached;
/** The browser for this machine (found once); throws one line that says how to get one. */
export async function chromiumPath() {
  if (cached) return cached;
  let playwrightPath;
  try {
    playwrightPath = (await import('playwright-core')).chromium.executablePath();
  } catch {
    /* no Playwright browser registry entry for this platform */
  }
  cached = findChromium({ playwrightPath });
  return cached;
}
