// Issue 26, item 5: when live weather fails the Weather page says so — since when answers come from
// the saved cities, and why — instead of saying nothing; Check now asks the service again.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, serve, type Served } from '../helpers/browser.js';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../helpers/fake-open-meteo.js';
import { call, connect, tempDir, writeSettings } from '../helpers/servers.js';
import type { Browser } from 'playwright-core';

describe("live weather's state on the Weather page (headless shell, real browser, a local Open-Meteo stand-in)", () => {
  let fake: FakeOpenMeteo;
  let app: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenMeteo();
    const dataDir = tempDir();
    writeSettings(dataDir, {
      weather: { provider: 'open-meteo', geocodingBaseUrl: fake.url, forecastBaseUrl: fake.url, timeoutMs: 800 },
    });
    app = await serve({ dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(app.url);
    await page.goto(`${app.base}#/weather`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
  });

  it('says nothing is known before the first question, then that it fails (since when, why) once an AI app got a saved answer instead', async () => {
    const state = page.getByTestId('live-state');
    await expect.poll(() => state.textContent()).toMatch(/^Live weather has not been asked yet\./);
    fake.mode = 'error';
    const claude = await connect('weather', app.dataDir);
    try {
      const r = await call(claude.client, 'get_weather_summary', { city_id: 'london' });
      expect(r.structuredContent).toMatchObject({ source: 'local' });
    } finally {
      await claude.close();
    }
    await expect
      .poll(() => state.textContent())
      .toMatch(
        /^Live weather unavailable — answering from saved cities since \d{1,2}:\d\d.*\. Open-Meteo: 127\.0\.0\.1:\d+ answered HTTP 400: Latitude must be in range.*\. Last tried (just now|\d+ s ago)\./,
      );
    await expect(page.getByRole('alert').filter({ hasText: 'Live weather unavailable' }).count()).resolves.toBe(1);
    for (const [w, h] of [
      [1280, 800],
      [900, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await screenshot(page, `screenshots/weather-live-failing-${w}x${h}-${scheme}.png`);
        const serious = (await new AxeBuilder({ page }).analyze()).violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious.map((v) => v.id)).toEqual([]);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Check now asks the service again: once it answers, the page says live weather works', async () => {
    fake.mode = 'ok';
    await page.getByRole('button', { name: 'Check now' }).click();
    const state = page.getByTestId('live-state');
    await expect.poll(() => state.textContent()).toMatch(/^✓ Live weather works \(last answer (just now|\d+ s ago)\)\./);
    expect(fake.requests.at(-1)!.pathname).toBe('/v1/search');
    expect(errors).toEqual([]);
  });
});
