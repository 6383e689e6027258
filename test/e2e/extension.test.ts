// Issue 11: the Apps page's second route into Claude Desktop, in a real browser against
// `mcp-tray serve`: the bundle downloads (the headless shell cannot hand it to Claude's installer),
// and a server found on both routes is put right with one click.
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
    await row().getByText('Or install as a Claude extension').click();
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

  it('connected both ways: says Claude shows the tools twice, and one click removes the config entry', async () => {
    await row().getByRole('button', { name: 'Connect' }).click();
    await row().locator('[data-state="connected"]').waitFor();
    // What Claude leaves when a person installs the products bundle.
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const dir = path.join(claudeDir(), 'Claude Extensions', 'local.mcpb.mcp-tray.mcp-tray-products');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ name: 'mcp-tray-products', version }));

    await page.reload();
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
    const warning = row().locator('[data-testid="both-routes"]');
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toMatch(
      /Product catalog is both in Claude Desktop's settings file and installed as a Claude extension/,
    );
    await expect(row().locator('li[data-extension="products"]').textContent()).resolves.toMatch(/installed in Claude Desktop/);
    await screenshot(page, 'screenshots/apps-extension-both-routes.png');

    await warning.getByRole('button', { name: 'Remove the config entries' }).click();
    await warning.waitFor({ state: 'detached' });
    const config = JSON.parse(fs.readFileSync(path.join(claudeDir(), 'claude_desktop_config.json'), 'utf8'));
    expect(Object.keys(config.mcpServers)).toEqual(['mcp-tray-weather']);
    await row().locator('[data-state="connected"]').waitFor();
    expect(errors).toEqual([]);
  });
});
