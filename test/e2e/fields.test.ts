// Issue 25 in the window: a person adds their own fields, edits them in the grid with the editor
// each type needs, filters on one, fills them in when adding a product, imports a file whose new
// columns become fields, exports them, changes a field's kind, and removes one and puts it back.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { artifact, launchBrowser, serve, type Served, screenshot } from '../helpers/browser.js';

describe("the catalog's own fields in a real browser", () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const db = () => new Database(path.join(app.dataDir, 'products.db'), { readonly: true });
  const extra = (id: number) => {
    const d = db();
    try {
      return JSON.parse(d.prepare('SELECT extra FROM products WHERE id = ?').pluck().get(id) as string) as Record<string, unknown>;
    } finally {
      d.close();
    }
  };
  const fieldsTab = () => page.getByRole('tab', { name: /^Your fields/ });
  const productsTab = () => page.getByRole('tab', { name: 'Products' });

  beforeAll(async () => {
    app = await serve();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('adds fields of three kinds from the Fields tab; a wrong one says why', async () => {
    await page.goto(`${app.base}#/catalog/fields`);
    await page.getByText('No fields of your own yet').waitFor();
    const add = async (name: string, kind: string, choices?: string) => {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Kind of value').selectOption({ label: kind });
      if (choices) await page.getByLabel('Choices, separated by commas').fill(choices);
      await page.getByRole('button', { name: 'Add field' }).click();
    };
    await add('Weight (kg)', 'Number');
    await page.getByRole('rowheader', { name: /Weight \(kg\)/ }).waitFor();
    await add('Colour', 'Choice from a list', 'Red, Green, Blue');
    await page.getByRole('rowheader', { name: /Colour/ }).waitFor();
    await add('In season', 'Yes / no');
    await page.getByRole('rowheader', { name: /In season/ }).waitFor();
    await add('Price', 'Number');
    await page
      .getByRole('alert')
      .getByText(/"Price" would be called price, which the catalog already uses/)
      .waitFor();
    await expect(fieldsTab().textContent()).resolves.toBe('Your fields (3)');
  });

  it('edits each field in the grid with its own editor, and the file has the values', async () => {
    await productsTab().click();
    const cell = (col: string) => page.locator(`.ag-row[row-id="1"] .ag-cell[col-id="field:${col}"]`);
    await cell('weight_kg').waitFor();
    await cell('weight_kg').dblclick();
    await cell('weight_kg').locator('input').fill('2.5');
    await cell('weight_kg').locator('input').press('Enter');
    await page.getByText('Saved Widget A').first().waitFor();
    await expect.poll(() => extra(1)).toEqual({ weight_kg: 2.5 });

    await cell('colour').dblclick();
    // The choice editor: a list of the field's options.
    await cell('colour').getByRole('combobox').click();
    await page.getByRole('option', { name: 'Green' }).click();
    await expect.poll(() => extra(1)).toEqual({ weight_kg: 2.5, colour: 'Green' });

    await cell('in_season').locator('input[type="checkbox"]').click();
    await expect.poll(() => extra(1)).toEqual({ weight_kg: 2.5, colour: 'Green', in_season: true });
  });

  it('filters the list on a field: a range of a number, a choice', async () => {
    const count = page.locator('.toolbar .count');
    await page.getByLabel('Filter on a field').selectOption({ label: 'Weight (kg)' });
    await page.getByLabel('Weight (kg) from').fill('2');
    await expect.poll(() => count.textContent()).toBe('1 product');
    await page.getByLabel('Weight (kg) from').fill('3');
    await expect.poll(() => count.textContent()).toBe('0 products');
    await page.getByLabel('Filter on a field').selectOption({ label: 'Colour' });
    await page.getByLabel('Colour is').selectOption('Green');
    await expect.poll(() => count.textContent()).toBe('1 product');
    await page.getByLabel('Filter on a field').selectOption({ label: 'Any field' });
    await expect.poll(() => count.textContent()).toBe('5 products');
  });

  it('fills in the fields when adding a product', async () => {
    await page.getByRole('button', { name: 'Add product' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a product' });
    await dialog.getByLabel('Name *').fill('Lantern');
    await dialog.getByLabel('Price *').fill('12');
    await dialog.getByLabel('Category *').fill('Lights');
    await dialog.getByLabel('Weight (kg)').fill('0.8');
    await dialog.getByLabel('Colour').selectOption('Red');
    await dialog.getByLabel('In season').selectOption('no');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await page.getByText(/^Added Lantern/).waitFor();
    const d = db();
    const row = d.prepare(`SELECT extra FROM products WHERE name = 'Lantern'`).pluck().get() as string;
    d.close();
    expect(JSON.parse(row)).toEqual({ weight_kg: 0.8, colour: 'Red', in_season: false });
  });

  it('imports a file with new columns, listed with their kinds and added as fields; the export carries them back', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.locator('#import-file').setInputFiles({
      name: 'shop.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'name,price,category,sku,Colour,Supplier,Arrives\nKite,20,Toys,K-1,blue,Sky & Co,2026-12-24\nBall,3,Toys,B-1,red,Round Ltd,\n',
      ),
    });
    const preview = page.getByTestId('import-preview');
    await preview.getByText(/Supplier \(text\), Arrives \(date\)/).waitFor();
    await page.getByRole('button', { name: 'Import 2 products' }).click();
    await page.getByText('Imported: 2 added, 0 updated').waitFor();
    await page.locator('.ag-header-cell[col-id="field:supplier"]').waitFor();
    await page.locator('.ag-row[row-id="1"] .ag-cell[col-id="field:colour"]', { hasText: 'Green' }).waitFor();
    await page.screenshot({ path: artifact('screenshots/catalog-with-fields-light.png') });

    await page.getByRole('button', { name: 'Export' }).click();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menu', { name: 'Export' }).getByRole('menuitem', { name: 'CSV file (.csv)' }).click(),
    ]);
    const records = parse(fs.readFileSync((await csv.path())!), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['Weight (kg)', 'Colour', 'In season', 'Supplier', 'Arrives']));
    expect(records.find((r) => r.sku === 'K-1')).toMatchObject({ Colour: 'Blue', Supplier: 'Sky & Co', Arrives: '2026-12-24' });
  });

  it('changes a kind only when every value converts, naming the products that stop it', async () => {
    await fieldsTab().click();
    await page
      .getByRole('row', { name: /Supplier/ })
      .getByRole('button', { name: 'Change kind' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Change what Supplier holds' });
    await dialog.getByLabel('Kind of value').selectOption({ label: 'Number' });
    await dialog.getByRole('button', { name: 'Change' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/Supplier cannot become a number: 2 products have values that are not — Kite \(K-1\)/)
      .waitFor();
    await dialog.getByLabel('Kind of value').selectOption({ label: 'Choice from a list' });
    await dialog.getByRole('button', { name: 'Change' }).click();
    await page.getByText('Supplier is now choice from a list; 0 values converted').waitFor();
    await page
      .getByRole('row', { name: /Supplier/ })
      .getByText('Sky & Co, Round Ltd')
      .waitFor();
  });

  it('moves a field, removes one (saying how many products lose a value) and puts it back', async () => {
    await page.getByRole('button', { name: 'Move In season up' }).click();
    await expect
      .poll(() => page.locator('.fields-table tbody th').allTextContents())
      .toEqual([
        expect.stringMatching(/^Weight \(kg\)/),
        expect.stringMatching(/^In season/),
        expect.stringMatching(/^Colour/),
        expect.stringMatching(/^Supplier/),
        expect.stringMatching(/^Arrives/),
      ]);
    await page
      .getByRole('row', { name: /Colour/ })
      .getByRole('button', { name: 'Remove' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Remove Colour?' });
    await confirm.getByText('4 products have a value for it, which goes with it.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Removed Colour').waitFor();
    await expect.poll(() => extra(1)).toEqual({ weight_kg: 2.5, in_season: true });
    await screenshot(page, 'screenshots/catalog-fields-light.png');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'screenshots/catalog-fields-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('region', { name: 'Removed fields' }).getByRole('button', { name: 'Put back' }).click();
    await page.getByText('Colour is back, with its values on 4 products').waitFor();
    await expect.poll(() => extra(1)).toEqual({ weight_kg: 2.5, in_season: true, colour: 'Green' });
  });

  it('logged no console errors (but the refused requests the tests made)', () => {
    expect(consoleErrors.filter((e) => !/status of (400|409)/.test(e))).toEqual([]);
  });
});
