// Issue 26, item 8: what the AI changed has its own page. Activity counts the changes since the
// person last looked (beside it in the navigation), groups them by app and by conversation (one
// server process of the app, as Claude runs them), and undoes one change or a whole conversation's.
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, useServedBrowser } from '../helpers/browser.js';
import { call, connect } from '../helpers/servers.js';

/** One conversation of an AI app: its own server process, closed after its calls. */
async function conversation(dataDir: string, clientName: string, calls: Array<[string, Record<string, unknown>]>) {
  const c = await connect('products', dataDir, { clientName });
  try {
    for (const [tool, args] of calls) expect((await call(c.client, tool, args)).isError, tool).toBeFalsy();
  } finally {
    await c.close();
  }
}

describe('Activity: what AI apps changed, by app and conversation (headless shell, real browser, real server processes)', () => {
  const env = useServedBrowser();
  const one = <T>(sql: string) => {
    const d = new Database(path.join(env.app.dataDir, 'products.db'), { readonly: true });
    try {
      return d.prepare(sql).pluck().get() as T;
    } finally {
      d.close();
    }
  };
  const open = async (width: number, height: number, hash = ''): Promise<Page> => {
    const page = await (await env.browser.newContext({ viewport: { width, height } })).newPage();
    await page.goto(env.app.url);
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    if (hash) await page.goto(`${env.app.base}#/${hash}`);
    return page;
  };

  it('counts the new changes in the navigation, shows them grouped by conversation, and clears the count once seen', async () => {
    // Two conversations in Claude Desktop (two processes) and one in Cursor.
    await conversation(env.app.dataDir, 'claude-ai', [
      ['update_stock', { product_id: 1, new_stock: 3 }],
      ['update_stock', { product_id: 2, new_stock: 4 }],
      ['add_product', { name: 'Kite', price: 20, category: 'Toys', stock: 1 }],
    ]);
    await conversation(env.app.dataDir, 'claude-ai', [['update_stock', { product_id: 1, new_stock: 7 }]]);
    await conversation(env.app.dataDir, 'cursor-vscode', [['delete_product', { product_id: 5 }]]);

    const page = await open(1280, 800);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Activity 5 new' }).waitFor();
    await nav.getByRole('link', { name: /^Activity/ }).click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    await page.getByText('5 new changes since you last looked.').waitFor();
    const sessions = page.locator('section.session');
    await expect(sessions.count()).resolves.toBe(3);
    // Newest conversation first; each named by its app.
    await expect(sessions.locator('h2').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Cursor · conversation at /),
      expect.stringMatching(/^Claude Desktop · conversation at /),
      expect.stringMatching(/^Claude Desktop · conversation at /),
    ]);
    const first = sessions.nth(2);
    await expect(first.locator('li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^new added Kite/),
      expect.stringMatching(/^new changed Widget B: stock 75 → 4/),
      expect.stringMatching(/^new changed Widget A: stock \d+ → 3/),
    ]);
    // Seen: the count is gone from the navigation, and stays gone on another page.
    await expect.poll(() => nav.getByRole('link', { name: 'Activity' }).textContent()).toBe('◷Activity');
    await nav.getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await expect(nav.getByRole('link', { name: /new$/ }).count()).resolves.toBe(0);
    // A change while the person is elsewhere is counted again.
    await conversation(env.app.dataDir, 'cursor-vscode', [['update_stock', { product_id: 3, new_stock: 9 }]]);
    await nav.getByRole('link', { name: 'Activity 1 new' }).waitFor();
    await page.context().close();
  });

  it("Undo all of these undoes one conversation's changes, newest first, and names the one it cannot (changed since)", async () => {
    const page = await open(1280, 800, 'activity');
    const sessions = page.locator('section.session');
    await expect.poll(() => sessions.count()).toBe(4);
    // The first Claude conversation: Widget A's stock was changed again by the second since.
    const first = sessions.nth(3);
    await first.getByRole('button', { name: 'Undo all of these' }).click();
    const dialog = page.getByRole('dialog', { name: "Undo this conversation's changes?" });
    await dialog.getByText(/^Undo all 3 changes Claude Desktop made in this conversation/).waitFor();
    await dialog.getByRole('button', { name: 'Undo 3 changes' }).click();
    await page.getByText(/^Undid 2 of 3; 1 could not be undone: .*Widget A/).waitFor();
    expect(one<number>("SELECT count(*) FROM products WHERE name = 'Kite'")).toBe(0);
    expect(one<number>('SELECT stock FROM products WHERE id = 2')).toBe(75);
    expect(one<number>('SELECT stock FROM products WHERE id = 1')).toBe(7);
    await expect.poll(() => first.locator('li.undone').count()).toBe(2);
    // One change at a time: Cursor's delete comes back.
    const cursorDelete = page.locator('section.session li', { hasText: 'deleted' });
    await cursorDelete.getByRole('button', { name: /^Undo: deleted / }).click();
    await page.getByText(/^Undone: Cursor deleted /).waitFor();
    expect(one<number>('SELECT count(*) FROM products WHERE id = 5')).toBe(1);
    await page.context().close();
  });

  for (const [width, height] of [
    [1280, 800],
    [900, 700],
  ] as const)
    it(`reads at ${width}×${height}, light and dark, and axe finds no serious problem`, async () => {
      const page = await open(width, height, 'activity');
      await page.locator('section.session').first().waitFor();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `screenshots/activity-${width}x${height}-${scheme}.png`);
        const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
      // Nothing sideways: every session's Undo buttons are inside the window.
      for (const b of await page.getByRole('button', { name: /^Undo/ }).all()) {
        const box = (await b.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
      await page.context().close();
    });
});
