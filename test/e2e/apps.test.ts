// Issue 27 in the window: the apps found on this computer come first, with one action to connect
// them all (a JSON, a JSON-with-comments and a TOML app here); the others wait under "Other apps";
// an app with an install link offers it as the second way until it is connected.
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { parse as parseToml } from 'smol-toml';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serve, type Served, screenshot } from '../helpers/browser.js';
import { tempDir } from '../helpers/servers.js';

describe('the Apps page with several apps installed', () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let home: string;

  beforeAll(async () => {
    home = tempDir('mcp-tray-home-');
    // Cursor, Gemini CLI (settings with a comment) and Codex (a TOML file of its own) are installed.
    fs.mkdirSync(path.join(home, '.cursor'), { recursive: true });
    fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
    fs.writeFileSync(path.join(home, '.gemini', 'settings.json'), '{\n  // mine\n  "theme": "GitHub"\n}\n');
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    fs.writeFileSync(path.join(home, '.codex', 'config.toml'), '# my Codex\nmodel = "gpt-5-codex"\n');
    app = await serve({ home });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(app.url);
    await page.goto(`${app.base}#/apps`);
    await page.getByRole('heading', { name: 'Apps', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lists the found apps first, the rest under Other apps; Connect all connects the three', async () => {
    const found = page.getByRole('region', { name: 'On this computer' });
    await expect
      .poll(() => found.locator('[data-client]').evaluateAll((els) => els.map((e) => e.getAttribute('data-client'))))
      .toEqual(['cursor', 'gemini-cli', 'codex']);
    await expect(page.locator('details.other-apps > summary').textContent()).resolves.toMatch(/^Other apps \(12\)/);
    // Cursor offers its install link as the second way while it is not connected.
    await found.locator('[data-client="cursor"] details.other-way summary').click();
    await expect(
      found.locator('[data-client="cursor"] a', { hasText: 'Add mcp-tray-products to Cursor' }).getAttribute('href'),
    ).resolves.toMatch(/^cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?name=mcp-tray-products&config=/);
    await screenshot(page, 'screenshots/apps-found-light.png');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    await page.getByRole('button', { name: 'Connect all 3 found apps' }).click();
    await page.getByText(/^Connected Cursor, Gemini CLI, Codex\./).waitFor();
    await expect.poll(() => found.locator('[data-client] .pill').allTextContents()).toEqual(['Connected', 'Connected', 'Connected']);
    expect(await found.locator('[data-client="cursor"] details.other-way').count()).toBe(0);
    const codex = fs.readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8');
    expect(codex.startsWith('# my Codex\nmodel = "gpt-5-codex"\n')).toBe(true);
    expect(Object.keys((parseToml(codex) as { mcp_servers: object }).mcp_servers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    expect(fs.readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8')).toMatch(/^\{\n {2}\/\/ mine\n/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'screenshots/apps-found-dark.png');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
