// Renders the app and tray icons from SVG with headless Chromium: `node build/make-icons.mjs`.
// The PNGs are committed; run this again only when the artwork changes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icons');
fs.mkdirSync(out, { recursive: true });

// App icon: a tray (rounded tub) holding a plug-shaped dot on an indigo tile.
const app = (size) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 1024 1024">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6366f1"/><stop offset="1" stop-color="#3730a3"/></linearGradient></defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#g)"/>
  <path d="M236 600h552v70a90 90 0 0 1-90 90H326a90 90 0 0 1-90-90z" fill="#fff"/>
  <path d="M330 600V430a182 182 0 0 1 364 0v170" fill="none" stroke="#fff" stroke-width="72" stroke-linecap="round"/>
  <circle cx="512" cy="330" r="52" fill="#c7d2fe"/>
</svg>`;

// Tray icon: the same tray shape; black on transparent for macOS templates.
const tray = (size, color) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">
  <path d="M4 18h24v4a4 4 0 0 1-4 4H8a4 4 0 0 1-4-4z" fill="${color}"/>
  <path d="M9 18v-6a7 7 0 0 1 14 0v6" fill="none" stroke="${color}" stroke-width="3" stroke-linecap="round"/>
  <circle cx="16" cy="9" r="2" fill="${color}"/>
</svg>`;

const browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
const page = await browser.newPage();
async function render(svg, size, file) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: path.join(out, file), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}
await render(app(1024), 1024, 'icon.png');
for (const s of [16, 32, 48, 64, 128, 256, 512]) await render(app(s), s, `${s}x${s}.png`);
await render(tray(16, '#000'), 16, 'trayTemplate.png');
await render(tray(32, '#000'), 32, 'trayTemplate@2x.png');
await render(tray(32, '#4f46e5'), 32, 'tray.png');
await browser.close();
console.log(`icons written to ${out}`);
