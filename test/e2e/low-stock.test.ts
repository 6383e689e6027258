// Issue 26 (smaller): one "low stock" line, a setting. The window's Low filter, the catalog view's
// badges and the restock report all follow it.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useServedBrowser } from '../helpers/browser.js';

describe('the low-stock line is a setting (headless shell, real browser)', () => {
  const env = useServedBrowser();

  it('Settings changes it; the Catalog filter says it and filters by it', async () => {
    const page = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(env.app.url);
    await page.goto(`${env.app.base}#/catalog`);
    await page.locator('.ag-row').first().waitFor();
    const stock = page.locator('#catalog-stock');
    await expect(stock.locator('option[value="low"]').textContent()).resolves.toBe('Low (under 10)');

    await page.goto(`${env.app.base}#/settings`);
    await page.getByLabel('Low stock means fewer than').fill('50');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByText('Products with fewer than 50 in stock now count as low').waitFor();

    await page.goto(`${env.app.base}#/catalog`);
    await expect.poll(() => stock.locator('option[value="low"]').textContent()).toBe('Low (under 50)');
    await stock.selectOption('low');
    const db = new Database(path.join(env.app.dataDir, 'products.db'), { readonly: true });
    const expected = db.prepare('SELECT name FROM products WHERE stock > 0 AND stock < 50 ORDER BY name').pluck().all() as string[];
    db.close();
    expect(expected.length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await page.locator('.ag-row .ag-cell[col-id="name"]').allTextContents()).sort())
      .toEqual([...expected].sort());
    await page.context().close();
  });
});
