// Issue 26, item 10: the sample products are not "your data". Home says they are samples and offers
// to replace them: the import opens at once, and once the file is in the samples go (each removal
// recorded, undoable); Home then counts the person's own products.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useServedBrowser } from '../helpers/browser.js';

describe('replacing the sample products', () => {
  const env = useServedBrowser();

  it('Home labels the samples and Replace imports a file, then removes them', async () => {
    const page = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(env.app.url);
    await page.getByText(/5 sample products \(examples to try Claude with, not yours yet\)/).waitFor();
    await page.getByRole('link', { name: 'Replace the samples with my products' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import products from a file' });
    await expect(dialog.getByLabel(/Remove the sample products/).isChecked()).resolves.toBe(true);
    await page.locator('#import-file').setInputFiles({
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,price,category,sku\nTeapot,24,Kitchen,TP-1\nMug,6.5,Kitchen,MG-1\n'),
    });
    await dialog.getByRole('button', { name: 'Import 2 products' }).click();
    await page.getByText('Removed the 5 sample products (each can be undone in Recent changes)').waitFor();
    const db = new Database(path.join(env.app.dataDir, 'products.db'), { readonly: true });
    expect(db.prepare('SELECT name FROM products ORDER BY name').pluck().all()).toEqual(['Mug', 'Teapot']);
    db.close();
    await page
      .getByRole('region', { name: 'Recent changes' })
      .locator('li', { hasText: /^You deleted Widget A/ })
      .waitFor();
    await page.goto(`${env.app.base}#/home`);
    await page.getByText(/^2 products, 3 cities/).waitFor();
    await expect(page.getByRole('link', { name: 'Replace the samples with my products' }).count()).resolves.toBe(0);
    await page.context().close();
  });
});
