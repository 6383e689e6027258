// Issue 11: the Apps page's second route into Claude Desktop, in a real browser against
// `mcp-tray serve`: the bundle downloads (the headless shell cannot hand it to Claude's installer),
// one route is recommended, and installing the extension replaces the config entry by itself.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serve, type Served, screenshot } from '../helpers/browser.js';
import { ROOT, tempDir } from '../helpers/servers.js';

const exec = promisify(execFile);
const MCPB = path.join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

describe('Install as a Claude extension (headless shell, real browser)', () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const claudeDir = () => path.join(app.home, '.config', 'Claude');
  const row = () => page.locator('li.client[data-client="claude-desktop"]');

  beforeAll(async () => {
    app = await serve();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(app.url);
    await page.goto(`${app.base}#/apps`);
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('downloads a bundle the official tool reads', async () => {
    await row().getByText('Other way: install as Claude extensions').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row().getByRole('button', { name: 'Install Product catalog as Claude extension' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mcp-tray-products.mcpb');
    const saved = path.join(tempDir(), 'mcp-tray-products.mcpb');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe('PK');
    const info = await exec(process.execPath, [MCPB, 'info', saved]);
    expect(info.stdout).toMatch(/File: mcp-tray-products\.mcpb/);
    // The file the page saved is the one the host built for this install.
    expect(fs.readFileSync(saved)).toEqual(fs.readFileSync(path.join(app.dataDir, 'extensions', 'mcp-tray-products.mcpb')));
  });

  it('recommends one route with its reason; installing the extension replaces the config entry by itself, and the card says so', async () => {
    const route = row().getByTestId('claude-route');
    await expect(route.textContent()).resolves.toMatch(/^Recommended: Connect\. One click, nothing to confirm in Claude/);
    await row().getByRole('button', { name: 'Connect' }).click();
    await row().locator('[data-state="connected"]').waitFor();
    // What Claude leaves when a person installs the products bundle.
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const dir = path.join(claudeDir(), 'Claude Extensions', 'local.mcpb.mcp-tray.mcp-tray-products');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ name: 'mcp-tray-products', version }));

    await page.getByText(/^Product catalog now runs as a Claude extension, so MCP Tray removed its entry/).waitFor();
    const config = JSON.parse(fs.readFileSync(path.join(claudeDir(), 'claude_desktop_config.json'), 'utf8'));
    expect(Object.keys(config.mcpServers)).toEqual(['mcp-tray-weather']);
    await expect
      .poll(() => route.textContent())
      .toMatch(/^Product catalog runs as a Claude extension .* To use Connect instead, remove the extension there/);
    await row().locator('[data-state="connected"]').waitFor();
    await expect(row().locator('[data-testid="both-routes"]').count()).resolves.toBe(0);
    await row().getByText('Other way: install as Claude extensions').click();
    await expect(row().locator('li[data-extension="products"]').textContent()).resolves.toMatch(/installed in Claude Desktop/);
    await screenshot(page, 'screenshots/apps-extension-route.png');
    expect(errors).toEqual([]);
  });
});
