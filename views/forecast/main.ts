/**
 * The forecast view (ui://weather/forecast): current conditions (asked of get_weather_summary
 * through the host) and a small chart of the coming days' highs and lows, in the unit of the
 * result, with the same numbers in a table for screen readers and keyboards.
 */
import type { App } from '@modelcontextprotocol/ext-apps';
import { connectView, h, resultText, showError } from '../shared/app.js';

interface Forecast {
  city_id: string;
  city: string;
  unit: 'celsius' | 'fahrenheit';
  days: Array<{ date: string; conditions: string; high: number; low: number }>;
  source: 'local' | 'open-meteo';
  note?: string;
}
interface Current {
  temperature: number;
  unit: 'celsius' | 'fahrenheit';
  conditions: string;
  humidity: number;
  wind_speed: number;
  wind_unit: string;
}

const SVG = 'http://www.w3.org/2000/svg';
const sym = (u: string) => (u === 'fahrenheit' ? '°F' : '°C');
const toUnit = (v: number, from: string, to: string) =>
  from === to ? v : to === 'fahrenheit' ? Math.round(((v * 9) / 5 + 32) * 10) / 10 : Math.round((((v - 32) * 5) / 9) * 10) / 10;
const day = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', timeZone: 'UTC' });

function chart(f: Forecast): SVGSVGElement {
  const w = 320;
  const hgt = 120;
  const pad = 22;
  const values = f.days.flatMap((d) => [d.high, d.low]);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const x = (i: number) => pad + (f.days.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (f.days.length - 1));
  const y = (v: number) => hgt - pad - ((v - min) / span) * (hgt - 2 * pad);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Highs and lows for ${f.city}, ${f.days.length} days`);
  const line = (key: 'high' | 'low', cls: string) => {
    const path = document.createElementNS(SVG, 'polyline');
    path.setAttribute('points', f.days.map((d, i) => `${x(i)},${y(d[key])}`).join(' '));
    path.setAttribute('class', cls);
    svg.append(path);
    f.days.forEach((d, i) => {
      const t = document.createElementNS(SVG, 'text');
      t.setAttribute('x', String(x(i)));
      t.setAttribute('y', String(y(d[key]) + (key === 'high' ? -6 : 14)));
      t.setAttribute('class', `label ${cls}`);
      t.textContent = `${Math.round(d[key])}°`;
      svg.append(t);
    });
  };
  line('high', 'high');
  line('low', 'low');
  return svg;
}

function render(f: Forecast, current: Current | null) {
  const root = document.getElementById('app')!;
  const now = current
    ? h(
        'p',
        { class: 'now' },
        h('span', { class: 'temp' }, `${Math.round(toUnit(current.temperature, current.unit, f.unit) * 10) / 10}${sym(f.unit)}`),
        h('span', {}, ` ${current.conditions} · humidity ${current.humidity}% · wind ${current.wind_speed} ${current.wind_unit}`),
      )
    : h('p', { class: 'now muted' }, 'Current conditions are not available.');
  const table = h(
    'table',
    {},
    h('caption', {}, `Forecast for ${f.city} in ${sym(f.unit)}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Day'),
        h('th', { scope: 'col' }, 'Conditions'),
        h('th', { scope: 'col', class: 'num' }, 'High'),
        h('th', { scope: 'col', class: 'num' }, 'Low'),
      ),
    ),
    h(
      'tbody',
      {},
      ...f.days.map((d) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, day(d.date)),
          h('td', {}, d.conditions),
          h('td', { class: 'num' }, `${Math.round(d.high * 10) / 10}${sym(f.unit)}`),
          h('td', { class: 'num' }, `${Math.round(d.low * 10) / 10}${sym(f.unit)}`),
        ),
      ),
    ),
  );
  root.replaceChildren(
    h('h1', {}, f.city),
    now,
    f.days.length ? chart(f) : h('p', { class: 'muted' }, 'No forecast days.'),
    table,
    h(
      'p',
      { class: 'muted small' },
      f.source === 'open-meteo' ? 'Live data from Open-Meteo.' : 'From the cities you keep in MCP Tray.',
      f.note ? ` ${f.note}` : '',
    ),
  );
}

async function currentFor(app: App, cityId: string): Promise<Current | null> {
  try {
    const r = await app.callServerTool({ name: 'get_weather_summary', arguments: { city_id: cityId } });
    return r.isError ? null : ((r.structuredContent as unknown as Current | undefined) ?? null);
  } catch {
    return null;
  }
}

connectView('MCP Tray forecast', (result, app) => {
  if (result.isError || !result.structuredContent) {
    showError(resultText(result) || 'The forecast could not be read.');
    return;
  }
  const f = result.structuredContent as unknown as Forecast;
  render(f, null);
  void currentFor(app, f.city_id).then((c) => render(f, c));
});
document.getElementById('app')!.replaceChildren(h('p', { class: 'muted' }, 'Waiting for the forecast…'));
