// Issue 26, item 4: the Servers page in a person's words. Friendly names first (tool ids, resources,
// prompts, the process and its log under Details), Try it with pickers for what the person has (a
// city list, a category list, the products), answers in words, and errors as sentences.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useServedBrowser } from '../helpers/browser.js';

describe('Servers and Try it for a person (headless shell, real browser)', () => {
  const env = useServedBrowser();
  const open = async (width: number, height: number): Promise<Page> => {
    const page = await (await env.browser.newContext({ viewport: { width, height } })).newPage();
    await page.goto(env.app.url);
    await page.goto(`${env.app.base}#/servers`);
    await page.locator('[data-server="weather"] .pill[data-state="running"]').waitFor();
    return page;
  };

  it('shows friendly names and the state in words; ids, pids, resources and the log only under Details', async () => {
    const page = await open(1280, 800);
    const card = page.locator('[data-server="weather"]');
    await expect(card.locator('.server-summary').textContent()).resolves.toMatch(/^Running for \d+ s\./);
    await card.getByText(/^What AI apps can do: 4 of 4 tools on/).click();
    await expect(card.locator('.tool-list .switch-label').allTextContents()).resolves.toEqual([
      'Convert a temperature',
      'Current weather',
      'Weather forecast',
      'List saved cities',
    ]);
    // Nothing a developer reads is visible until Details is opened.
    for (const text of [/pid \d+/, /get_forecast/, /weather:\/\//, /Nothing logged yet|\[tray\]/])
      await expect(card.getByText(text).first().isVisible()).resolves.toBe(false);
    await card.getByText('Details for developers', { exact: true }).click();
    await expect(card.getByText(/^pid \d+, up/).isVisible()).resolves.toBe(true);
    await expect(card.getByText('get_forecast', { exact: true }).isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  it('Try it picks a city from the list and answers in words; a category from the catalog; a wrong value is a sentence', async () => {
    const page = await open(1280, 800);
    const weather = page.locator('[data-server="weather"]');
    await weather.getByText(/^What AI apps can do/).click();
    await weather.getByRole('button', { name: 'Try it: Weather forecast' }).click();
    let dialog = page.getByRole('dialog', { name: 'Try Weather forecast' });
    const city = dialog.getByLabel('City *');
    // A list from the start (disabled while it loads): the control never turns from a text box into
    // a list under the person's hand (a test typing into it once met a list instead).
    await expect(city.evaluate((el) => el.tagName)).resolves.toBe('SELECT');
    await expect
      .poll(() => city.locator('option').allTextContents())
      .toEqual(['choose…', 'London, United Kingdom', 'New York, United States', 'Tokyo, Japan']);
    await city.selectOption({ label: 'Tokyo, Japan' });
    await dialog.getByLabel('Days').fill('2');
    await dialog.getByRole('button', { name: 'Call get_forecast' }).click();
    const result = dialog.getByRole('region', { name: 'Result' });
    // The view shows it (this tool has one); the raw answer waits under Details.
    await dialog.locator('iframe.view-frame').waitFor();
    await expect(result.getByText(/"city_id": "tokyo"/).isVisible()).resolves.toBe(false);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await weather.getByRole('button', { name: 'Try it: Convert a temperature' }).click();
    dialog = page.getByRole('dialog', { name: 'Try Convert a temperature' });
    await dialog.getByLabel('Temperature *').fill('-500');
    await dialog.getByLabel('From unit *').selectOption('celsius');
    await dialog.getByLabel('To unit *').selectOption('kelvin');
    await dialog.getByRole('button', { name: 'Call convert_temperature' }).click();
    const error = dialog.getByRole('region', { name: 'Result' }).getByRole('alert');
    await expect.poll(() => error.textContent()).toBe('-500°C is below absolute zero (-273.15°C).');
    await expect(error.textContent()).resolves.not.toMatch(/_|MCP error|Invalid arguments for/);
    await dialog.getByRole('button', { name: 'Close' }).click();

    const products = page.locator('[data-server="products"]');
    await products.getByText(/^What AI apps can do/).click();
    await products.getByRole('button', { name: 'Try it: Find products' }).click();
    dialog = page.getByRole('dialog', { name: 'Try Find products' });
    const category = dialog.getByLabel('Category', { exact: true });
    await expect.poll(() => category.locator('option').count()).toBeGreaterThan(1);
    await expect(category.locator('option').nth(1).textContent()).resolves.toMatch(/^\w.* \(\d+\)$/);
    await screenshot(page, 'screenshots/try-it-find-products-1280x800.png');
    await page.context().close();
  });

  for (const [width, height] of [
    [1280, 800],
    [900, 700],
  ] as const)
    it(`the Servers page at ${width}×${height}, light and dark: axe finds no serious problem`, async () => {
      const page = await open(width, height);
      for (const s of await page.locator('summary', { hasText: 'What AI apps can do' }).all()) await s.click();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `screenshots/servers-${width}x${height}-${scheme}.png`);
        const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious.map((v) => v.id)).toEqual([]);
      }
      await page.context().close();
    });
});
