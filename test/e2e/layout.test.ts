// Issue 26, item 7: the layout holds at common window sizes. At 900 px the sidebar keeps only its
// icons (each still named), the catalog's name, price and stock stay on screen without scrolling
// sideways (the id column is hidden, dates are relative), and the weather table has no column that
// breaks a word letter by letter. Every page at 1280×800 and 900×700, light and dark, axe clean.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServedBrowser, screenshot } from '../helpers/browser.js';

const PAGES = ['home', 'activity', 'servers', 'catalog', 'weather', 'apps', 'settings'] as const;

describe('layout at 1280×800 and 900×700', () => {
  const env = useServedBrowser();

  const open = async (width: number, height: number): Promise<Page> => {
    const page = await (await env.browser.newContext({ viewport: { width, height } })).newPage();
    await page.goto(env.app.url);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    return page;
  };

  it('900×700: the sidebar shows icons, each link still named; the catalog shows name, price and stock in full', async () => {
    const page = await open(900, 700);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect((await nav.boundingBox())!.width).toBeLessThan(80);
    for (const label of ['Home', 'Activity', 'Servers', 'Catalog', 'Weather', 'Apps', 'Settings'])
      await expect(nav.getByRole('link', { name: label }).count()).resolves.toBe(1);
    await nav.getByRole('link', { name: 'Catalog' }).click();
    await page.locator('.ag-row').first().waitFor();
    const grid = (await page.getByTestId('catalog-grid').boundingBox())!;
    for (const col of ['name', 'price', 'stock']) {
      const box = (await page.locator(`.ag-header-cell[col-id="${col}"]`).boundingBox())!;
      expect(box.x + box.width, col).toBeLessThanOrEqual(grid.x + grid.width + 1);
    }
    await expect(page.locator('.ag-header-cell[col-id="id"]').count()).resolves.toBe(0);
    await expect(page.locator('.ag-row[row-id="1"] .ag-cell[col-id="updated_at"]').textContent()).resolves.toMatch(/ago$|^just now$/);
    await page.context().close();
  });

  it('900×700: the weather table keeps each city on a line or two (no ID column breaking letter by letter)', async () => {
    const page = await open(900, 700);
    await page.goto(`${env.app.base}#/weather`);
    const row = page.getByRole('table', { name: 'Cities' }).locator('tbody tr').first();
    await row.waitFor();
    await expect(page.getByRole('columnheader', { name: 'ID', exact: true }).count()).resolves.toBe(0);
    expect((await row.boundingBox())!.height).toBeLessThan(90);
    await page.context().close();
  });

  for (const [width, height] of [
    [1280, 800],
    [900, 700],
  ] as const) {
    it(`every page at ${width}×${height}, light and dark: a screenshot each, axe finds no serious problem`, async () => {
      const page = await open(width, height);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const id of PAGES) {
          await page.goto(`${env.app.base}#/${id}`);
          await page.locator('main h1').waitFor();
          await expect.poll(() => page.getByText(/Loading [^…]*…/).count()).toBe(0);
          if (id === 'catalog') await page.locator('.ag-row').first().waitFor();
          await screenshot(page, `screenshots/${width}x${height}/${id}-${scheme}.png`);
          // Nothing reaches past the window's width (the page would scroll sideways).
          const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
            "({ scroll: document.querySelector('main').scrollWidth, client: document.querySelector('main').clientWidth })",
          );
          expect(scroll, `${id} at ${width}: main is ${scroll} px wide in ${client}`).toBeLessThanOrEqual(client);
          if (scheme === 'light') {
            const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
              (v) => v.impact === 'serious' || v.impact === 'critical',
            );
            expect(serious.map((v) => `${id}: ${v.id}`)).toEqual([]);
          }
        }
      }
      await page.context().close();
    });
  }
});
