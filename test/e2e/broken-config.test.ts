// Issue 26, item 1, in the window: a broken Claude config is shown where it breaks (the line marked)
// and its sure fix offered with the lines after it; one click fixes it (a backup kept) and Connect
// works. At 1280×800 and 900×700, light and dark; axe finds no serious problem.
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchBrowser, serve, type Served } from '../helpers/browser.js';
import { tempDir } from '../helpers/servers.js';

const CONFIG = '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y"] }\n  },\n  "globalShortcut": "Alt+Space",\n}\n';

describe('fixing a broken Claude config from the Apps page', () => {
  let app: Served;
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    const home = tempDir('mcp-tray-home-');
    file = path.join(home, '.config', 'Claude', 'claude_desktop_config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, CONFIG);
    app = await serve({ home });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const [width, height] of [
    [1280, 800],
    [900, 700],
  ] as const) {
    it(`shows the broken line and its fix (${width}×${height}, light and dark)`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      await page.goto(app.url);
      await page.goto(`${app.base}#/apps`);
      const card = page.locator('[data-client="claude-desktop"]');
      await card
        .getByText(
          'The file does not read at line 6, column 1: a property name was expected (is there a trailing comma?). It was left exactly as it is.',
        )
        .waitFor();
      await expect(card.locator('.file-lines').first().locator('.marked').textContent()).resolves.toContain('}');
      await card.getByText('MCP Tray can fix this:').waitFor();
      await expect(card.locator('.file-lines').nth(1).textContent()).resolves.toContain('"globalShortcut": "Alt+Space"\n');
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await card.screenshot({ path: artifact(`screenshots/apps-broken-config-${width}x${height}-${scheme}.png`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
      const results = await new AxeBuilder({ page }).include('[data-client="claude-desktop"]').analyze();
      expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      await page.context().close();
    });
  }

  it('one click fixes it, a backup is kept, and Connect then works', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(app.url);
    await page.goto(`${app.base}#/apps`);
    const card = page.locator('[data-client="claude-desktop"]');
    await card.getByRole('button', { name: 'Fix it (a backup is kept)' }).click();
    await page
      .getByText(/Take out the comma at the end of line 5: claude_desktop_config\.json reads again/)
      .first()
      .waitFor();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ globalShortcut: 'Alt+Space' });
    const backups = fs.readdirSync(path.join(app.dataDir, 'backups', 'claude-desktop'));
    expect(backups.map((b) => fs.readFileSync(path.join(app.dataDir, 'backups', 'claude-desktop', b), 'utf8'))).toContain(CONFIG);
    await card.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => card.locator('.pill').textContent()).toBe('Connected');
    // The backups say what made them and what restoring each would do (not byte counts).
    await card.getByRole('button', { name: 'Backups…' }).click();
    await expect
      .poll(() => card.getByLabel('Restore the file as it was').locator('option').allTextContents())
      .toEqual([
        expect.stringMatching(/^Before Connect, .*: restoring it removes mcp-tray-products, mcp-tray-weather$/),
        expect.stringMatching(/^Before Fix it, .*: restoring it puts back a file that did not read as settings$/),
      ]);
    await page.context().close();
  });
});
