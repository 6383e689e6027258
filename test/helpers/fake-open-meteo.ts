import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Open-Meteo's geocoding and forecast APIs, answering in their shapes
 * (no `results` key when nothing matches; HTTP 400 with { error: true, reason } on bad input).
 */
export interface FakeOpenMeteo {
  url: string;
  requests: URL[];
  mode: 'ok' | 'error' | 'hang';
  close: () => Promise<void>;
}

const PLACES: Record<
  string,
  { id: number; name: string; latitude: number; longitude: number; country: string; admin1: string; timezone: string }
> = {
  paris: {
    id: 2988507,
    name: 'Paris',
    latitude: 48.85341,
    longitude: 2.3488,
    country: 'France',
    admin1: 'Île-de-France',
    timezone: 'Europe/Paris',
  },
  london: {
    id: 2643743,
    name: 'London',
    latitude: 51.50853,
    longitude: -0.12574,
    country: 'United Kingdom',
    admin1: 'England',
    timezone: 'Europe/London',
  },
};

export async function startFakeOpenMeteo(): Promise<FakeOpenMeteo> {
  const fake: FakeOpenMeteo = { url: '', requests: [], mode: 'ok', close: async () => {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(url);
    if (fake.mode === 'hang') return; // never answers
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.mode === 'error') return send(400, { error: true, reason: 'Latitude must be in range of -90 to 90°. Given: 91.0.' });
    if (url.pathname === '/v1/search') {
      const place = PLACES[(url.searchParams.get('name') ?? '').toLowerCase()];
      return send(200, place ? { results: [place], generationtime_ms: 0.5 } : { generationtime_ms: 0.4 });
    }
    if (url.pathname === '/v1/forecast') {
      const f = url.searchParams.get('temperature_unit') === 'fahrenheit';
      const days = Number(url.searchParams.get('forecast_days') ?? 7);
      const t = (c: number) => (f ? Math.round((c * 9) / 5 + 32) : c);
      const dates = Array.from({ length: days }, (_, i) => new Date(Date.UTC(2026, 10, 25 + i)).toISOString().slice(0, 10));
      return send(200, {
        latitude: Number(url.searchParams.get('latitude')),
        longitude: Number(url.searchParams.get('longitude')),
        timezone: 'Europe/Paris',
        current_units: {
          temperature_2m: f ? '°F' : '°C',
          relative_humidity_2m: '%',
          wind_speed_10m: url.searchParams.get('wind_speed_unit') === 'mph' ? 'mp/h' : 'km/h',
        },
        current: {
          time: '2026-11-25T14:00',
          interval: 900,
          temperature_2m: t(11.3),
          relative_humidity_2m: 71,
          weather_code: 61,
          wind_speed_10m: 14.2,
        },
        daily_units: { temperature_2m_max: f ? '°F' : '°C' },
        daily: {
          time: dates,
          weather_code: dates.map((_, i) => [3, 2, 61, 95, 0][i % 5]),
          temperature_2m_max: dates.map((_, i) => t(12 + i)),
          temperature_2m_min: dates.map((_, i) => t(4 + i)),
        },
      });
    }
    send(404, { error: true, reason: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
