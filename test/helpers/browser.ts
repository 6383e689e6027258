import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, tempDir, until } from './servers.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../build/chromium.mjs';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export interface Served {
  url: string;
  base: string;
  dataDir: string;
  home: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Runs `mcp-tray serve` as a person would, with a temp HOME so no real client config is touched. */
export async function serve(opts: { dataDir?: string; home?: string; args?: string[] } = {}): Promise<Served> {
  const dataDir = opts.dataDir ?? tempDir();
  const home = opts.home ?? tempDir('mcp-tray-home-');
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'mcp-tray.js'), 'serve', '--no-open', '--data-dir', dataDir, ...(opts.args ?? [])],
    {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_CACHE_DIR: path.join(dataDir, '.cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.test(out), `serve to print its URL (output: ${out})`, 30_000);
  const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)![0];
  return {
    url,
    base: url.replace(/\?token=.*/, ''),
    dataDir,
    home,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const ARTIFACTS = path.join(ROOT, 'test-results');
export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/**
 * A screenshot of the whole page, below the fold too: the page scrolls inside the window (under the
 * notices' bar), so for the picture the document is let scroll instead (styles.css, .full-page).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate("document.documentElement.classList.add('full-page')");
  try {
    await page.screenshot({ path: artifact(name), fullPage: true });
  } finally {
    await page.evaluate("document.documentElement.classList.remove('full-page')");
  }
}

/**
 * A headless shell (`mcp-tray serve`) and a browser for a describe block, started before its tests
 * and stopped after: `env.app` and `env.browser` once they run.
 */
export function useServedBrowser(opts: Parameters<typeof serve>[0] = {}): { app: Served; browser: Browser } {
  const env = {} as { app: Served; browser: Browser };
  beforeAll(async () => {
    env.app = await serve(opts);
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.stop();
  });
  return env;
}
