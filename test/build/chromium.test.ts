// Issue 14, item 8: `npm test` finds the browser a developer has, or says in one line how to get one.
import { describe, expect, it } from 'vitest';
import { NO_BROWSER, findChromium } from '../../build/chromium.mjs';

const only =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('finding a browser for the browser tests', () => {
  it('CHROMIUM_PATH first, and a wrong one is named', () => {
    expect(
      findChromium({ platform: 'linux', env: { CHROMIUM_PATH: '/opt/c/chrome' }, exists: only('/opt/c/chrome', '/usr/bin/chromium') }),
    ).toBe('/opt/c/chrome');
    expect(() => findChromium({ platform: 'linux', env: { CHROMIUM_PATH: '/nope' }, exists: only('/usr/bin/chromium') })).toThrow(
      'CHROMIUM_PATH is set to /nope, which does not exist.',
    );
  });

  it("Debian's chromium (CI), then Ubuntu's and Google Chrome", () => {
    expect(findChromium({ platform: 'linux', env: {}, exists: only('/usr/bin/chromium', '/usr/bin/google-chrome') })).toBe(
      '/usr/bin/chromium',
    );
    expect(findChromium({ platform: 'linux', env: {}, exists: only('/snap/bin/chromium') })).toBe('/snap/bin/chromium');
    expect(findChromium({ platform: 'linux', env: {}, exists: only('/usr/bin/google-chrome-stable') })).toBe(
      '/usr/bin/google-chrome-stable',
    );
  });

  it('Chrome or Edge where a Mac or Windows laptop has them', () => {
    expect(
      findChromium({
        platform: 'darwin',
        env: { HOME: '/Users/ann' },
        exists: only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      }),
    ).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findChromium({ platform: 'win32', env: { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' }, exists: only(edge) })).toBe(edge);
  });

  it("Playwright's downloaded browser, and otherwise one line that says how to get one", () => {
    const pw = '/home/ann/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';
    expect(findChromium({ platform: 'linux', env: {}, exists: only(pw), playwrightPath: pw })).toBe(pw);
    expect(() => findChromium({ platform: 'linux', env: {}, exists: only(), playwrightPath: pw })).toThrow(NO_BROWSER);
    expect(NO_BROWSER.split('\n')).toHaveLength(1);
    expect(NO_BROWSER).toMatch(/apt-get install chromium.*playwright-core install chromium.*CHROMIUM_PATH/);
  });
});
