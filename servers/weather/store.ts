import { immediate, nowIso, openDatabase, type Db, type Migration } from '../shared/db.js';
import { StoreError } from '../shared/errors.js';
import { slugify, type LiveStatus, type City, type CityInput, type CityPatch, type ForecastDay, type ForecastDayInput } from './schema.js';

export type { City, ForecastDay, LiveStatus };

const migrations: Migration[] = [
  {
    name: 'cities and local forecasts',
    up: (db) =>
      db.exec(`
        CREATE TABLE cities (
          id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 80),
          name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
          country TEXT NOT NULL DEFAULT '',
          latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
          longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
          temperature REAL NOT NULL,
          unit TEXT NOT NULL CHECK (unit IN ('celsius', 'fahrenheit')),
          conditions TEXT NOT NULL,
          humidity INTEGER NOT NULL CHECK (humidity BETWEEN 0 AND 100),
          wind_speed REAL NOT NULL CHECK (wind_speed >= 0),
          wind_unit TEXT NOT NULL DEFAULT 'mph' CHECK (wind_unit IN ('mph', 'km/h')),
          updated_at TEXT NOT NULL
        );
        CREATE INDEX cities_name ON cities(name COLLATE NOCASE);
        CREATE TABLE forecast_days (
          city_id TEXT NOT NULL REFERENCES cities(id) ON DELETE CASCADE ON UPDATE CASCADE,
          day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 16),
          conditions TEXT NOT NULL,
          high REAL NOT NULL,
          low REAL NOT NULL,
          PRIMARY KEY (city_id, day)
        ) WITHOUT ROWID;
      `),
  },
  {
    // How the live service last answered, whichever process asked (the Weather page shows it).
    name: 'live weather: the last outcome',
    up: (db) =>
      db.exec(`
        CREATE TABLE live_status (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          ok INTEGER NOT NULL,
          at TEXT NOT NULL,
          since TEXT NOT NULL,
          reason TEXT
        );
      `),
  },
];

/** The seed guide's three cities, with a few days of sample forecast so get_forecast works offline. */
export const SEED_CITIES: ReadonlyArray<CityInput & { id: string; forecast: ForecastDay[] }> = [
  {
    id: 'new-york',
    name: 'New York',
    country: 'United States',
    latitude: 40.71427,
    longitude: -74.00597,
    temperature: 72,
    unit: 'fahrenheit',
    conditions: 'Partly cloudy',
    humidity: 65,
    wind_speed: 12,
    wind_unit: 'mph',
    forecast: [
      { day: 1, conditions: 'Sunny', high: 75, low: 61 },
      { day: 2, conditions: 'Partly cloudy', high: 73, low: 60 },
      { day: 3, conditions: 'Slight rain', high: 68, low: 58 },
    ],
  },
  {
    id: 'london',
    name: 'London',
    country: 'United Kingdom',
    latitude: 51.50853,
    longitude: -0.12574,
    temperature: 18,
    unit: 'celsius',
    conditions: 'Rainy',
    humidity: 85,
    wind_speed: 8,
    wind_unit: 'mph',
    forecast: [
      { day: 1, conditions: 'Slight rain', high: 19, low: 12 },
      { day: 2, conditions: 'Overcast', high: 18, low: 11 },
      { day: 3, conditions: 'Partly cloudy', high: 20, low: 12 },
    ],
  },
  {
    id: 'tokyo',
    name: 'Tokyo',
    country: 'Japan',
    latitude: 35.6895,
    longitude: 139.69171,
    temperature: 28,
    unit: 'celsius',
    conditions: 'Sunny',
    humidity: 55,
    wind_speed: 5,
    wind_unit: 'mph',
    forecast: [
      { day: 1, conditions: 'Sunny', high: 30, low: 23 },
      { day: 2, conditions: 'Mainly clear', high: 29, low: 22 },
      { day: 3, conditions: 'Thunderstorm', high: 27, low: 22 },
    ],
  },
];

export function openWeatherDb(file: string): Db {
  return openDatabase(file, {
    migrations,
    seed: (db) => {
      const store = new WeatherStore(db);
      for (const { forecast, ...city } of SEED_CITIES) {
        store.insertCity(city);
        store.writeForecast(city.id, forecast);
      }
    },
  });
}

export class WeatherStore {
  constructor(readonly db: Db) {}

  liveStatus(): LiveStatus | null {
    const r = this.db.prepare('SELECT ok, at, since, reason FROM live_status WHERE id = 1').get() as
      { ok: number; at: string; since: string; reason: string | null } | undefined;
    return r ? { ok: r.ok === 1, at: r.at, since: r.since, reason: r.reason } : null;
  }

  /** Records how the live service answered: `since` moves only when it starts or stops working. */
  noteLive(failure: string | null): void {
    const at = nowIso();
    this.db
      .prepare(
        `INSERT INTO live_status (id, ok, at, since, reason) VALUES (1, @ok, @at, @at, @reason)
         ON CONFLICT (id) DO UPDATE SET since = CASE WHEN ok = excluded.ok THEN since ELSE excluded.at END,
           ok = excluded.ok, at = excluded.at, reason = excluded.reason`,
      )
      .run({ ok: failure === null ? 1 : 0, at, reason: failure });
  }

  list(): City[] {
    return this.db.prepare('SELECT * FROM cities ORDER BY name COLLATE NOCASE').all() as City[];
  }

  get(id: string): City | undefined {
    return this.db.prepare('SELECT * FROM cities WHERE id = ?').get(id) as City | undefined;
  }

  /** Finds a city by id or by name ("New York", "new york", "new-york"). */
  find(idOrName: string): City | undefined {
    return (
      this.get(idOrName) ??
      this.get(slugify(idOrName)) ??
      (this.db.prepare('SELECT * FROM cities WHERE name = ? COLLATE NOCASE').get(idOrName.trim()) as City | undefined)
    );
  }

  require(id: string): City {
    const city = this.find(id);
    if (!city) {
      const known = this.list().map((c) => c.id);
      throw new StoreError(
        `Unknown city "${id}". Known cities: ${known.length ? known.join(', ') : '(none yet)'}. ` +
          'City ids are lower-case slugs like "new-york".',
        'not_found',
      );
    }
    return city;
  }

  /** Inside a caller's transaction; used by seeding and add(). */
  insertCity(input: CityInput & { id?: string }): City {
    const id = input.id ?? slugify(input.name);
    if (!id) throw new StoreError(`Cannot make a city id from the name "${input.name}"; give an id`, 'invalid');
    if (this.get(id)) throw new StoreError(`A city with id "${id}" already exists`, 'conflict');
    this.db
      .prepare(
        `INSERT INTO cities (id, name, country, latitude, longitude, temperature, unit, conditions, humidity, wind_speed, wind_unit, updated_at)
         VALUES (@id, @name, @country, @latitude, @longitude, @temperature, @unit, @conditions, @humidity, @wind_speed, @wind_unit, @updated_at)`,
      )
      .run({
        ...input,
        id,
        country: input.country ?? '',
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        wind_unit: input.wind_unit ?? 'mph',
        updated_at: nowIso(),
      });
    return this.get(id)!;
  }

  add(input: CityInput): City {
    return immediate(this.db, () => this.insertCity(input));
  }

  update(id: string, patch: CityPatch): City {
    return immediate(this.db, () => {
      const before = this.get(id);
      if (!before) throw new StoreError(`Unknown city "${id}"`, 'not_found');
      const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      this.db
        .prepare(
          `UPDATE cities SET name = @name, country = @country, latitude = @latitude, longitude = @longitude, temperature = @temperature,
             unit = @unit, conditions = @conditions, humidity = @humidity, wind_speed = @wind_speed, wind_unit = @wind_unit, updated_at = @updated_at
           WHERE id = @id`,
        )
        .run({ ...next, updated_at: nowIso() });
      return this.get(id)!;
    });
  }

  remove(id: string): City {
    return immediate(this.db, () => {
      const city = this.get(id);
      if (!city) throw new StoreError(`Unknown city "${id}"`, 'not_found');
      this.db.prepare('DELETE FROM cities WHERE id = ?').run(id);
      return city;
    });
  }

  forecast(cityId: string): ForecastDay[] {
    return this.db
      .prepare('SELECT day, conditions, high, low FROM forecast_days WHERE city_id = ? ORDER BY day')
      .all(cityId) as ForecastDay[];
  }

  /** Replaces a city's local forecast. Inside a caller's transaction or on its own. */
  writeForecast(cityId: string, days: readonly ForecastDayInput[]): void {
    const write = () => {
      if (!this.get(cityId)) throw new StoreError(`Unknown city "${cityId}"`, 'not_found');
      const seen = new Set<number>();
      for (const d of days) {
        if (seen.has(d.day)) throw new StoreError(`Forecast day ${d.day} is given twice`, 'invalid');
        if (d.low > d.high) throw new StoreError(`Forecast day ${d.day}: low (${d.low}) is above high (${d.high})`, 'invalid');
        seen.add(d.day);
      }
      this.db.prepare('DELETE FROM forecast_days WHERE city_id = ?').run(cityId);
      const insert = this.db.prepare('INSERT INTO forecast_days (city_id, day, conditions, high, low) VALUES (?, ?, ?, ?, ?)');
      for (const d of days) insert.run(cityId, d.day, d.conditions, d.high, d.low);
    };
    if (this.db.inTransaction) write();
    else immediate(this.db, write);
  }
}
