// Issue 16: a person's first ten minutes, in a real browser against `mcp-tray serve`: the first
// page leads to Connect; a failure Claude logs shows up by itself, quoted, with the next step; a
// working setup says so in one line.
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serve, type Served, screenshot } from '../helpers/browser.js';
import { call, connect, type Connected } from '../helpers/servers.js';

describe('the Home page (headless shell, real browser)', () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  let claude: Connected | undefined;
  const errors: string[] = [];
  const logs = () => path.join(app.home, '.config', 'Claude', 'logs');
  const config = () => path.join(app.home, '.config', 'Claude', 'claude_desktop_config.json');
  const iso = (ms = 0) => new Date(Date.now() + ms).toISOString();

  const shoot = async (name: string) => {
    // Toasts fade by themselves; for the picture, close them as a person would.
    for (const b of await page.getByRole('button', { name: 'Dismiss' }).all()) await b.click();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `screenshots/home-${name}-${scheme}.png`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const step = (id: string) => page.locator(`li[data-step="${id}"]`);

  beforeAll(async () => {
    app = await serve();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, permissions: [] });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(app.url);
  });
  afterAll(async () => {
    await claude?.close();
    await browser?.close();
    await app?.stop();
  });

  it('a fresh install opens on Home, and its first thing to do is Connect', async () => {
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await expect(step('data').getAttribute('data-state')).resolves.toBe('done');
    await expect(step('data').textContent()).resolves.toMatch(
      /5 sample products \(examples to try Claude with, not yours yet\), 3 cities · 2 of 2 servers running/,
    );
    await expect(step('connect').getAttribute('data-state')).resolves.toBe('todo');
    const button = page.getByRole('button', { name: 'Connect Claude Desktop' });
    await button.waitFor();
    await expect(page.locator('[data-testid="summary"]').textContent()).resolves.toMatch(/five steps/);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await shoot('fresh');

    await button.click();
    await page.locator('li[data-step="connect"][data-state="done"]').waitFor();
    const written = JSON.parse(fs.readFileSync(config(), 'utf8'));
    expect(Object.keys(written.mcpServers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    // Next: restart Claude, with the words for this OS.
    await expect(step('restart').getAttribute('data-state')).resolves.toBe('todo');
    await expect(step('restart').textContent()).resolves.toMatch(/Quit Claude Desktop from its tray icon/);
    // Example requests, each with a copy button.
    await expect(step('try').getByText('Which products are low on stock?')).toBeDefined();
    expect(await step('try').getByRole('button', { name: 'Copy' }).count()).toBeGreaterThanOrEqual(3);
  });

  it("after Claude logs a failure, the page shows Claude's line quoted and the next step, by itself", async () => {
    fs.mkdirSync(logs(), { recursive: true });
    fs.writeFileSync(
      path.join(logs(), 'mcp-server-mcp-tray-products.log'),
      `${iso(1000)} [mcp-tray-products] [info] Initializing server... { metadata: undefined }
${iso(1002)} [mcp-tray-products] [info] Server started and connected successfully { metadata: undefined }
Failed to spawn process: No such file or directory
${iso(1010)} [mcp-tray-products] [info] Server transport closed unexpectedly, this is likely due to the process exiting early. { metadata: undefined }
${iso(1010)} [mcp-tray-products] [error] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging) { metadata: { context: 'connection', stack: undefined } }
`,
    );
    // No reload: the host watches Claude's logs and the page follows its events.
    const problem = page.locator('.claude-problem[data-entry="mcp-tray-products"]');
    await problem.waitFor({ timeout: 15_000 });
    await expect(problem.locator('blockquote').textContent()).resolves.toBe('Failed to spawn process: No such file or directory');
    await expect(problem.textContent()).resolves.toMatch(
      /Claude Desktop can’t start Product catalog\..*Next: Quit Claude Desktop completely/,
    );
    await expect(step('restart').getAttribute('data-state')).resolves.toBe('problem');
    await shoot('failing');

    // The Apps page shows the same: the checks, and what Claude's log says.
    await page.goto(`${app.base}#/apps`);
    await page.locator('li[data-check="claude-logs"][data-ok="false"]').waitFor({ timeout: 20_000 });
    await expect(page.locator('li[data-check="claude-logs"]').textContent()).resolves.toMatch(
      /“Failed to spawn process: No such file or directory”/,
    );
    await expect(page.locator('.claude-says li[data-entry="mcp-tray-products"]').getAttribute('data-state')).resolves.toBe('failing');
    await screenshot(page, 'screenshots/apps-checks-failing.png');
  });

  it('after Claude starts the servers and uses them, it says everything works in one line', async () => {
    await page.goto(`${app.base}#/home`);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    fs.appendFileSync(
      path.join(logs(), 'mcp-server-mcp-tray-products.log'),
      `${iso(2000)} [mcp-tray-products] [info] Initializing server... { metadata: undefined }
${iso(2100)} [mcp-tray-products] [info] Message from server: {"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18"}} { metadata: undefined }
`,
    );
    // Claude Desktop's process (clientInfo "claude-ai") runs the server and calls a tool.
    claude = await connect('products', app.dataDir, { clientName: 'claude-ai' });
    await call(claude.client, 'query_products', { low_stock_below: 10 });
    // (It may say "ready", then "using products" for a moment first: Claude's log says it started, and the
    // connection is recorded, before the call is.)
    const line = page.locator('.all-good', { hasText: 'using products, just now' });
    await line.waitFor({ timeout: 15_000 });
    await expect(line.textContent()).resolves.toMatch(/Everything works\. Claude Desktop is using products, just now\./);
    expect(await page.locator('.claude-problem').count()).toBe(0);
    // The steps are still there, folded away.
    await page.getByText('Show the steps').click();
    await expect(step('using').textContent()).resolves.toMatch(/Claude Desktop has products open — last call just now \(query_products\)/);
    await shoot('working');
    expect(errors).toEqual([]);
  });
});
