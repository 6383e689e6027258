// Issue 12: the MCP Apps views in a real browser. The app's Try it panel is the host page: it loads
// each view in a sandboxed iframe with the ext-apps AppBridge and delivers a real tool result from
// the real stdio server (the tray's own instance). An inline stock change made in the view goes
// through the bridge to update_stock and lands in SQLite and in the change history.
import path from 'node:path';
import Database from 'better-sqlite3';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchBrowser, serve, type Served } from '../helpers/browser.js';

describe('MCP Apps views in the Try it panel (headless shell, real browser)', () => {
  let app: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    app = await serve();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // No view may reach the network: every request stays on the app's own address.
    context.on('request', (r) => {
      if (!r.url().startsWith(app.base) && !r.url().startsWith('data:') && r.url() !== 'about:srcdoc') foreign.push(r.url());
    });
    await page.goto(app.url);
    await page.goto(`${app.base}#/servers`);
    await page.locator('[data-server="products"] [data-state="running"]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** The tools tried here, by the names the window shows. */
  const TITLES: Record<string, string> = { query_products: 'Find products', get_forecast: 'Weather forecast' };

  async function tryTool(server: string, tool: string, fill: Record<string, string> = {}): Promise<FrameLocator> {
    const card = page.locator(`[data-server="${server}"]`);
    const summary = card.locator('summary', { hasText: 'What AI apps can do' });
    // (An open <details> has open="": test for the attribute being there, not for its value.)
    if ((await card.locator('details').first().getAttribute('open')) === null) await summary.click();
    await card.getByRole('button', { name: `Try it: ${TITLES[tool]}` }).click();
    const dialog = page.getByRole('dialog', { name: `Try ${TITLES[tool]}` });
    for (const [label, value] of Object.entries(fill)) {
      const field = dialog.getByLabel(new RegExp(`^${label}( \\*)?$`));
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await dialog.getByRole('button', { name: `Call ${tool}` }).click();
    const frame = dialog.locator('iframe.view-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    return dialog.frameLocator('iframe.view-frame');
  }

  const shoot = async (name: string) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(150); // the host sends the new theme to the view
      await page.locator('iframe.view-frame').screenshot({ path: artifact(`screenshots/view-${name}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };

  it('the catalog view shows the result as a table with stock badges, and an inline stock change is recorded', async () => {
    const view = await tryTool('products', 'query_products', { 'Low stock below': '100' });
    const rows = view.locator('tbody tr');
    await rows.first().waitFor();
    const db = new Database(path.join(app.dataDir, 'products.db'), { readonly: true });
    const expected = db.prepare('SELECT id, name, stock FROM products WHERE stock < 100 ORDER BY name LIMIT 20').all() as Array<{
      id: number;
      name: string;
      stock: number;
    }>;
    db.close();
    expect(await rows.count()).toBe(expected.length);
    expect(await view.locator('tbody tr th').allTextContents()).toEqual(expected.map((p) => p.name));
    const badges = await view.locator('tbody .badge').allTextContents();
    expect(badges).toEqual(expected.map((p) => (p.stock === 0 ? 'Out' : p.stock < 100 ? 'Low' : 'In stock')));
    await expect(view.locator('.summary').textContent()).resolves.toMatch(new RegExp(`^${expected.length} matching`));

    // Sorting by a column header: real table semantics (aria-sort).
    await view.getByRole('button', { name: 'Stock' }).click();
    await expect(view.locator('th[aria-sort="ascending"]').textContent()).resolves.toMatch(/Stock/);
    await shoot('catalog');

    // Change one product's stock in place.
    const target = expected[0]!;
    const input = view.getByLabel(`Stock of ${target.name}`);
    await input.fill('77');
    await input.press('Enter');
    await view.locator('#status', { hasText: `Saved: ${target.name} — stock 77` }).waitFor();
    const after = new Database(path.join(app.dataDir, 'products.db'), { readonly: true });
    expect(after.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(target.id)).toBe(77);
    after.close();
    // In the change history, undoable like any other change.
    const history = (await page.evaluate(`(async () => {
      const res = await fetch('./api/listChanges', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('mcp-tray-token') },
        body: '{"limit": 5}',
      });
      return (await res.json()).result;
    })()`)) as Array<{ productId: number; tool: string | null; before: { stock: number } | null; after: { stock: number } | null }>;
    expect(history[0]).toMatchObject({ productId: target.id, tool: 'update_stock', before: { stock: target.stock }, after: { stock: 77 } });

    // Issue 23.4.13: a teammate's newer change (here through the window's API) is never overwritten from the chat.
    await page.evaluate(`(async () => {
      const res = await fetch('./api/updateProduct', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('mcp-tray-token') },
        body: JSON.stringify({ id: ${target.id}, patch: { stock: 5 } }),
      });
      if (!res.ok) throw new Error(await res.text());
    })()`);
    const price = view.getByLabel(`Price of ${target.name}`);
    await price.fill('12.34');
    await price.press('Enter');
    await view.locator('#status.error', { hasText: /Someone else changed .* after you read it.*Nothing was saved/ }).waitFor();
    const kept = new Database(path.join(app.dataDir, 'products.db'), { readonly: true });
    expect(kept.prepare('SELECT stock, price_cents FROM products WHERE id = ?').get(target.id)).toMatchObject({ stock: 5 });
    expect(kept.prepare('SELECT price_cents FROM products WHERE id = ?').pluck().get(target.id)).not.toBe(1234);
    kept.close();

    // A bad value is refused in the view, and nothing changes.
    await input.fill('-3');
    await input.press('Enter');
    await view.locator('#status', { hasText: 'Stock must be a whole number, 0 or more.' }).waitFor();

    const axe = await new AxeBuilder({ page }).include('iframe.view-frame').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.getByRole('dialog', { name: 'Try Find products' }).getByRole('button', { name: 'Close' }).click();
  });

  it("the catalog view shows the catalog's own fields as columns: the first three, the rest behind a toggle", async () => {
    await page.evaluate(`(async () => {
      const call = async (method, args) => {
        const res = await fetch('./api/' + method, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('mcp-tray-token') },
          body: JSON.stringify(args),
        });
        if (!res.ok) throw new Error(await res.text());
      };
      await call('addField', { label: 'Colour', type: 'text' });
      await call('addField', { label: 'Weight (kg)', type: 'number' });
      await call('addField', { label: 'In season', type: 'yes-no' });
      await call('addField', { label: 'Supplier', type: 'text' });
      await call('updateProduct', { id: 1, patch: { fields: { colour: 'red', weight_kg: 2.5, in_season: true, supplier: 'Acme' } } });
    })()`);
    const view = await tryTool('products', 'query_products', { Sort: 'id' });
    const row = view.locator('tbody tr[data-id="1"]');
    await row.waitFor();
    const heads = () => view.locator('thead th').allTextContents();
    await expect.poll(heads).toEqual(expect.arrayContaining(['Colour', 'Weight (kg)', 'In season']));
    expect(await heads()).not.toContain('Supplier');
    await expect(row.locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['red', '2.5', 'Yes']));
    await view.getByRole('button', { name: 'Show all 4 fields' }).click();
    expect((await heads()).slice(-4)).toEqual(['Colour', 'Weight (kg)', 'In season', 'Supplier']);
    await expect(row.locator('td').last().textContent()).resolves.toBe('Acme');
    await shoot('catalog-fields');
    await page.getByRole('dialog', { name: 'Try Find products' }).getByRole('button', { name: 'Close' }).click();
  });

  it('the forecast view shows current conditions and a chart of the days, in the unit asked for', async () => {
    const view = await tryTool('weather', 'get_forecast', { City: 'tokyo', Days: '3', Unit: 'fahrenheit' });
    await view.locator('svg polyline.high').waitFor();
    expect(await view.locator('tbody tr').count()).toBe(3);
    for (const cell of await view.locator('tbody td.num').allTextContents()) expect(cell).toMatch(/°F$/);
    await expect(view.locator('h1').textContent()).resolves.toBe('Tokyo');
    // Current conditions come from get_weather_summary, called by the view through the host.
    await view.locator('.now .temp').waitFor();
    await expect(view.locator('.now .temp').textContent()).resolves.toMatch(/°F$/);
    await shoot('forecast');
    await page.getByRole('dialog', { name: 'Try Weather forecast' }).getByRole('button', { name: 'Close' }).click();
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
