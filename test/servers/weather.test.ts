import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolErrorCode, type ProtocolError } from '@modelcontextprotocol/client';
import { call, connect, readJson, tempDir, text, until, writeSettings, type Connected } from '../helpers/servers.js';
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../helpers/fake-open-meteo.js';
import { openWeatherDb, WeatherStore } from '../../servers/weather/store.js';

describe('weather server over stdio (local data)', () => {
  let dir: string;
  let s: Connected;
  beforeAll(async () => {
    dir = tempDir();
    s = await connect('weather', dir);
  });
  afterAll(async () => s?.close());

  it('lists the seed tools, the current-weather template and the weather_report prompt', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['convert_temperature', 'get_forecast', 'get_weather_summary', 'list_cities']);
    for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['weather://{city_id}/current']);
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([
      'ui://weather/forecast',
      'weather://london/current',
      'weather://new-york/current',
      'weather://tokyo/current',
    ]);
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['weather_report']);
  });

  it.each([
    [100, 'celsius', 'fahrenheit', 212],
    [72, 'fahrenheit', 'celsius', 22.22],
    [0, 'kelvin', 'celsius', -273.15],
    [-40, 'celsius', 'fahrenheit', -40],
    [300, 'kelvin', 'fahrenheit', 80.33],
    [18, 'celsius', 'celsius', 18],
  ])('convert_temperature %s %s → %s = %s', async (temperature, from_unit, to_unit, expected) => {
    const r = await call(s.client, 'convert_temperature', { temperature, from_unit, to_unit });
    expect((r.structuredContent as { temperature: number }).temperature).toBe(expected);
  });

  it('refuses temperatures below absolute zero and unknown units', async () => {
    const cold = await call(s.client, 'convert_temperature', { temperature: -300, from_unit: 'celsius', to_unit: 'kelvin' });
    expect(cold.isError).toBe(true);
    expect(text(cold)).toMatch(/below absolute zero/);
    const unit = await call(s.client, 'convert_temperature', { temperature: 1, from_unit: 'rankine', to_unit: 'kelvin' });
    expect(unit.isError).toBe(true);
    expect(text(unit)).toMatch(/from_unit/);
  });

  it('summarises the seed cities as the seed guide had them', async () => {
    const ny = await call(s.client, 'get_weather_summary', { city_id: 'new-york' });
    expect(ny.structuredContent).toMatchObject({
      city: 'New York',
      temperature: 72,
      unit: 'fahrenheit',
      conditions: 'Partly cloudy',
      humidity: 65,
      wind_speed: 12,
      source: 'local',
    });
    expect(text(ny)).toMatch(/^Weather in New York, United States: 72°F \(22\.2°C\), Partly cloudy\. Humidity 65%, wind 12 mph\./);
    const london = await call(s.client, 'get_weather_summary', { city_id: 'london' });
    expect(london.structuredContent).toMatchObject({ temperature: 18, unit: 'celsius', conditions: 'Rainy', humidity: 85, wind_speed: 8 });
    const tokyo = await call(s.client, 'get_weather_summary', { city_id: 'tokyo' });
    expect(tokyo.structuredContent).toMatchObject({ temperature: 28, unit: 'celsius', conditions: 'Sunny', humidity: 55, wind_speed: 5 });
  });

  it('says which cities exist when asked for an unknown one, and rejects a malformed id', async () => {
    const r = await call(s.client, 'get_weather_summary', { city_id: 'atlantis' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/Unknown city "atlantis"\. Known cities: london, new-york, tokyo/);
    const bad = await call(s.client, 'get_weather_summary', { city_id: 'New York' });
    expect(text(bad)).toMatch(/lower-case slug/);
  });

  it('forecasts from the saved days and says when fewer are saved than asked', async () => {
    const r = await call(s.client, 'get_forecast', { city_id: 'london', days: 2 });
    const f = r.structuredContent as {
      days: Array<{ conditions: string; high: number; low: number; date: string }>;
      source: string;
      note?: string;
    };
    expect(f.source).toBe('local');
    expect(f.days.map((d) => [d.conditions, d.high, d.low])).toEqual([
      ['Slight rain', 19, 12],
      ['Overcast', 18, 11],
    ]);
    expect(f.days[0]!.date > new Date().toISOString().slice(0, 10)).toBe(true);
    expect(f.note).toBeUndefined();
    const more = await call(s.client, 'get_forecast', { city_id: 'tokyo', days: 7 });
    expect((more.structuredContent as { note: string }).note).toMatch(/Only 3 of 7 days are saved for Tokyo/);
    const tooMany = await call(s.client, 'get_forecast', { city_id: 'tokyo', days: 30 });
    expect(text(tooMany)).toMatch(/days must be at most 16/);
  });

  it('reads weather://{city_id}/current as JSON and errors on an unknown city', async () => {
    const r = await s.client.readResource({ uri: 'weather://tokyo/current' });
    expect(r.contents[0]!.mimeType).toBe('application/json');
    expect(await readJson(s.client, 'weather://tokyo/current')).toMatchObject({ city_id: 'tokyo', temperature: 28 });
    const err = await s.client.readResource({ uri: 'weather://atlantis/current' }).catch((e: unknown) => e);
    expect((err as ProtocolError).code).toBe(ProtocolErrorCode.InvalidParams);
  });

  it('completes city names for the weather_report prompt and the resource template', async () => {
    const c = await s.client.complete({ ref: { type: 'ref/prompt', name: 'weather_report' }, argument: { name: 'city', value: 'lo' } });
    expect(c.completion.values).toEqual(['London']);
    const r = await s.client.complete({
      ref: { type: 'ref/resource', uri: 'weather://{city_id}/current' },
      argument: { name: 'city_id', value: 'n' },
    });
    expect(r.completion.values).toEqual(['new-york']);
    const p = await s.client.getPrompt({ name: 'weather_report', arguments: { city: 'London' } });
    expect((p.messages[0]!.content as { text: string }).text).toMatch(/weather report for London[\s\S]*18°C/);
    expect(p.messages[1]!.content).toMatchObject({ type: 'resource', resource: { uri: 'weather://london/current' } });
  });

  it('tells subscribers when a city is edited elsewhere, and list_changed when one is added', async () => {
    const updated: string[] = [];
    let listChanged = 0;
    s.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    s.client.setNotificationHandler('notifications/resources/list_changed', () => void listChanged++);
    await s.client.subscribeResource({ uri: 'weather://london/current' });
    const db = openWeatherDb(path.join(dir, 'weather.db'));
    const store = new WeatherStore(db);
    store.update('london', { temperature: 21 });
    await until(() => updated.includes('weather://london/current'), 'resources/updated for london');
    const now = await readJson(s.client, 'weather://london/current');
    expect(now.temperature).toBe(21);
    store.add({ name: 'Reykjavík', temperature: 2, unit: 'celsius', conditions: 'Snow', humidity: 80, wind_speed: 20, wind_unit: 'km/h' });
    await until(() => listChanged > 0, 'resources/list_changed');
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('weather://reykjavik/current');
    db.close();
  });
});

describe('weather server with the live provider (a local Open-Meteo stand-in)', () => {
  let fake: FakeOpenMeteo;
  let dir: string;
  let s: Connected;
  beforeAll(async () => {
    fake = await startFakeOpenMeteo();
    dir = tempDir();
    writeSettings(dir, {
      weather: { provider: 'open-meteo', geocodingBaseUrl: fake.url, forecastBaseUrl: `${fake.url}/`, timeoutMs: 800 },
    });
    s = await connect('weather', dir);
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('uses saved coordinates and the city unit, and turns WMO codes into words', async () => {
    fake.mode = 'ok';
    fake.requests.length = 0;
    const r = await call(s.client, 'get_weather_summary', { city_id: 'new-york' });
    expect(r.structuredContent).toMatchObject({
      source: 'open-meteo',
      unit: 'fahrenheit',
      temperature: 52,
      conditions: 'Slight rain',
      humidity: 71,
      wind_unit: 'mph',
    });
    expect(fake.requests.map((u) => u.pathname)).toEqual(['/v1/forecast']);
    const q = fake.requests[0]!.searchParams;
    expect(q.get('latitude')).toBe('40.71427');
    expect(q.get('temperature_unit')).toBe('fahrenheit');
    expect(q.get('wind_speed_unit')).toBe('mph');
    expect(q.get('current')).toBe('temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m');
    expect(q.get('timezone')).toBe('auto');
  });

  it('geocodes a city that is not saved', async () => {
    fake.mode = 'ok';
    fake.requests.length = 0;
    const r = await call(s.client, 'get_weather_summary', { city_id: 'paris' });
    expect(r.structuredContent).toMatchObject({
      city: 'Paris',
      country: 'France',
      temperature: 11.3,
      unit: 'celsius',
      source: 'open-meteo',
    });
    expect(fake.requests[0]!.pathname).toBe('/v1/search');
    expect(fake.requests[0]!.searchParams.get('name')).toBe('Paris');
    expect(fake.requests[0]!.searchParams.get('count')).toBe('1');
    const nowhere = await call(s.client, 'get_weather_summary', { city_id: 'nowhere-at-all' });
    expect(nowhere.isError).toBe(true);
    expect(text(nowhere)).toMatch(/No place called "Nowhere At All" was found/);
  });

  it('forecasts the days ahead from the daily arrays', async () => {
    fake.mode = 'ok';
    const r = await call(s.client, 'get_forecast', { city_id: 'paris', days: 3 });
    const f = r.structuredContent as { days: Array<{ date: string; conditions: string; high: number; low: number }>; source: string };
    expect(f.source).toBe('open-meteo');
    expect(f.days).toEqual([
      { date: '2026-11-26', conditions: 'Partly cloudy', high: 13, low: 5 },
      { date: '2026-11-27', conditions: 'Slight rain', high: 14, low: 6 },
      { date: '2026-11-28', conditions: 'Thunderstorm', high: 15, low: 7 },
    ]);
    expect(fake.requests.at(-1)!.searchParams.get('forecast_days')).toBe('4');
  });

  it('falls back to saved data with a note when the service errors', async () => {
    fake.mode = 'error';
    const r = await call(s.client, 'get_weather_summary', { city_id: 'london' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ source: 'local', temperature: 18 });
    expect((r.structuredContent as { note: string }).note).toMatch(
      /Live weather is unavailable \(.* answered HTTP 400: Latitude must be in range/,
    );
    expect(text(r)).toMatch(/Note: Live weather is unavailable/);
    const unknown = await call(s.client, 'get_weather_summary', { city_id: 'paris' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/"paris" is not in the saved city list/);
  });

  it('does not block a tool call for long when the service hangs', async () => {
    fake.mode = 'hang';
    const r = await call(s.client, 'get_forecast', { city_id: 'tokyo', days: 2 });
    expect(r.structuredContent).toMatchObject({ source: 'local' });
    expect((r.structuredContent as { note: string }).note).toMatch(/no answer from 127\.0\.0\.1:\d+ within 0\.8 s/);
  });

  it('records how live weather last answered, for the Weather page: failing since the first failure, working again after an answer', async () => {
    const status = () => {
      const db = new Database(path.join(dir, 'weather.db'), { readonly: true });
      try {
        return db.prepare('SELECT ok, at, since, reason FROM live_status').all() as Array<{
          ok: number;
          at: string;
          since: string;
          reason: string;
        }>;
      } finally {
        db.close();
      }
    };
    fake.mode = 'ok';
    await call(s.client, 'get_weather_summary', { city_id: 'new-york' });
    expect(status()).toEqual([expect.objectContaining({ ok: 1, reason: null })]);
    fake.mode = 'error';
    await call(s.client, 'get_weather_summary', { city_id: 'london' });
    const [first] = status();
    expect(first).toMatchObject({ ok: 0, reason: expect.stringMatching(/answered HTTP 400: Latitude must be in range/) });
    await new Promise((r) => setTimeout(r, 5));
    await call(s.client, 'get_forecast', { city_id: 'london', days: 1 });
    const [second] = status();
    expect(second!.since).toBe(first!.since); // still failing since the first failure
    expect(second!.at > first!.at).toBe(true);
    fake.mode = 'ok';
    await call(s.client, 'get_forecast', { city_id: 'paris', days: 1 });
    expect(status()).toEqual([expect.objectContaining({ ok: 1, reason: null, since: expect.not.stringMatching(first!.since) })]);
  });

  it('falls back when the service cannot be reached at all', async () => {
    const dead = tempDir();
    writeSettings(dead, {
      weather: { provider: 'open-meteo', geocodingBaseUrl: 'http://127.0.0.1:9', forecastBaseUrl: 'http://127.0.0.1:9' },
    });
    const c = await connect('weather', dead);
    try {
      const r = await call(c.client, 'get_weather_summary', { city_id: 'tokyo' });
      expect((r.structuredContent as { note: string }).note).toMatch(/cannot reach 127\.0\.0\.1:9/);
    } finally {
      await c.close();
    }
  });
});
