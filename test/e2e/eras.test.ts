// Issue 28: the window shows which protocol each connected app speaks — a 2026-07-28 client (the
// official v2 client, pinned) beside a 2025 one, both real server processes over the shell's data.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { screenshot, useServedBrowser } from '../helpers/browser.js';
import { call, connect, serverScript } from '../helpers/servers.js';

describe('Live connections name each app’s protocol era (headless shell, real browser)', () => {
  const env = useServedBrowser();

  it('Claude Code on 2026-07-28 and Claude Desktop on 2025, side by side on the Servers page', async () => {
    const modern = new Client({ name: 'claude-code', version: '2.1.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await modern.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [serverScript('products'), '--data-dir', env.app.dataDir],
        env: { ...getDefaultEnvironment(), MCP_TRAY_CACHE_DIR: path.join(env.app.dataDir, '.cache') },
        stderr: 'pipe',
      }),
    );
    const legacy = await connect('weather', env.app.dataDir, { clientName: 'claude-ai' });
    try {
      await modern.callTool({ name: 'query_products', arguments: { limit: 1 } });
      await call(legacy.client, 'list_cities');
      const page = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await page.goto(env.app.url);
      await page.goto(`${env.app.base}#/servers`);
      const live = page.getByRole('region', { name: 'Live connections' });
      await expect
        .poll(async () => (await live.locator('li').allTextContents()).sort())
        .toEqual([
          expect.stringMatching(/^Claude Code is using Product catalogMCP 2026 — last asked .*\(Find products\)$/),
          expect.stringMatching(/^Claude Desktop is using WeatherMCP 2025 — last asked .*\(List saved cities\)$/),
        ]);
      await screenshot(page, 'screenshots/servers-live-connections-eras.png');
      await page.context().close();
    } finally {
      await modern.close();
      await legacy.close();
    }
  });
});
