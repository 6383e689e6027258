// Issue 26, item 2: a person's own changes can be undone like an AI app's. The notice after an edit
// or a delete has Undo; Recent changes lists the window's own changes as "You" beside the AI apps'.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serve, type Served, screenshot } from '../helpers/browser.js';
import { call, connect } from '../helpers/servers.js';

describe('undoing your own changes (headless shell, real browser)', () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const db = () => new Database(path.join(app.dataDir, 'products.db'), { readonly: true });
  const one = <T>(sql: string, ...args: unknown[]) => {
    const d = db();
    try {
      return d
        .prepare(sql)
        .pluck()
        .get(...args) as T;
    } finally {
      d.close();
    }
  };

  beforeAll(async () => {
    app = await serve();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(app.url);
    await page.goto(`${app.base}#/catalog`);
    await page.locator('.ag-row').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('an edit in the grid: the notice has Undo, and Undo puts the old value back', async () => {
    const cell = page.locator('.ag-row[row-id="2"] .ag-cell[col-id="price"]');
    await cell.dblclick();
    await cell.locator('input').fill('12.5');
    await cell.locator('input').press('Enter');
    const notice = page.locator('.toast', { hasText: 'Saved Widget B' });
    await notice.waitFor();
    expect(one<number>('SELECT price_cents FROM products WHERE id = 2')).toBe(1250);
    await notice.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Undone: your change to Widget B').waitFor();
    expect(one<number>('SELECT price_cents FROM products WHERE id = 2')).toBe(4999);
    await expect.poll(() => cell.textContent()).toBe('49.99');
  });

  it('a delete: the confirm says how to undo it, the notice has Undo, and the product comes back', async () => {
    await page.getByRole('button', { name: 'Delete Tool Y' }).click();
    await page
      .getByRole('dialog', { name: 'Delete product' })
      .getByText('You can undo it right after, or later from Recent changes.')
      .waitFor();
    await page.getByRole('dialog', { name: 'Delete product' }).getByRole('button', { name: 'Delete' }).click();
    const notice = page.locator('.toast', { hasText: 'Deleted Tool Y' });
    await notice.waitFor();
    expect(one<number>('SELECT count(*) FROM products WHERE id = 4')).toBe(0);
    await notice.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('Tool Y is back').waitFor();
    expect(one<string>('SELECT name FROM products WHERE id = 4')).toBe('Tool Y');
  });

  it("Recent changes lists yours as You beside an AI app's, each with Undo", async () => {
    const claude = await connect('products', app.dataDir, { clientName: 'claude-ai' });
    expect((await call(claude.client, 'update_stock', { product_id: 3, new_stock: 2 })).isError).toBeFalsy();
    await claude.close();
    const history = page.getByRole('region', { name: 'Recent changes' });
    await history.locator('li', { hasText: 'Claude Desktop changed Gadget X: stock 30 → 2' }).waitFor();
    await expect(history.locator('li', { hasText: /^You deleted Tool Y/ }).count()).resolves.toBe(1);
    await expect(history.locator('li', { hasText: /^You changed Widget B: price 49\.99 → 12\.5/ }).count()).resolves.toBe(1);
    // The edit was undone already: struck through, without Undo.
    const undone = history.locator('li.undone', { hasText: /^You changed Widget B/ });
    await expect(undone.getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0);
    await screenshot(page, 'screenshots/catalog-recent-changes-1280x800.png');
  });

  it('a value the catalog refuses (stock −5) is not dropped silently: the notice says why, and the old value stays', async () => {
    const cell = page.locator('.ag-row[row-id="5"] .ag-cell[col-id="stock"]');
    await cell.dblclick();
    await cell.locator('input').fill('-5');
    await cell.locator('input').press('Enter');
    await page.getByText('Not saved: stock must not be negative').waitFor();
    await expect.poll(() => cell.textContent()).toBe('500');
    expect(one<number>('SELECT stock FROM products WHERE id = 5')).toBe(500);
  });

  it('logged no console errors (but the refused request)', () => {
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
