import type { WeatherProvider } from '../shared/settings.js';
import { convertTemperature, formatTemperature } from './convert.js';
import { LiveWeatherError, OpenMeteo, type OpenMeteoConfig } from './open-meteo.js';
import type { CurrentWeather, Forecast } from './schema.js';
import { StoreError } from '../shared/errors.js';
import type { City, WeatherStore } from './store.js';
import { describeWeatherCode } from './wmo.js';

/** A problem the model can act on (unknown city, nothing saved): becomes a tool error. */
export interface WeatherConfig extends OpenMeteoConfig {
  provider: WeatherProvider;
}

const addDays = (days: number) => {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const titleCase = (slug: string) => slug.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

/**
 * Current weather and forecasts from the local table (the default, offline) or from Open-Meteo,
 * falling back to the local table with a note that says why when the live service cannot answer.
 */
export class WeatherService {
  private readonly live: OpenMeteo;

  constructor(
    readonly store: WeatherStore,
    private readonly config: () => WeatherConfig,
  ) {
    this.live = new OpenMeteo(config);
  }

  /** Notes how the live service answered, for the Weather page (best effort: a busy or read-only file is no reason to fail the answer). */
  private note(failure: LiveWeatherError | null): void {
    try {
      this.store.noteLive(failure ? failure.message : null);
    } catch {
      /* the answer matters more than the record */
    }
  }

  /** Asks the live service something small (where London is) and records how it answered: the Weather page's Check now. */
  async checkLive(): Promise<void> {
    try {
      await this.live.geocode('London');
      this.note(null);
    } catch (err) {
      if (!(err instanceof LiveWeatherError)) throw err;
      this.note(err);
    }
  }

  private lookup(cityId: string): City | undefined {
    return this.store.find(cityId);
  }

  private requireLocal(cityId: string): City {
    return this.store.require(cityId);
  }

  private async place(cityId: string, local: City | undefined) {
    if (local?.latitude != null && local.longitude != null) {
      return { name: local.name, country: local.country, latitude: local.latitude, longitude: local.longitude };
    }
    const query = local?.name ?? titleCase(cityId);
    const found = await this.live.geocode(query);
    if (!found) return undefined;
    return { name: found.name, country: found.country ?? '', latitude: found.latitude, longitude: found.longitude };
  }

  async current(cityId: string): Promise<CurrentWeather> {
    const local = this.lookup(cityId);
    if (this.config().provider === 'local') return fromLocal(this.requireLocal(cityId));
    try {
      const place = await this.place(cityId, local);
      if (!place) {
        this.note(null);
        if (local) return fromLocal(local, `Open-Meteo does not know "${local.name}"; showing the saved local reading.`);
        throw new StoreError(
          `No place called "${titleCase(cityId)}" was found. Check the spelling, or use an id like "new-york".`,
          'not_found',
        );
      }
      const unit = local?.unit ?? 'celsius';
      const windUnit = local?.wind_unit ?? 'km/h';
      const answer = await this.live.forecast(place.latitude, place.longitude, { days: 1, unit, windUnit });
      if (!answer.current) throw new LiveWeatherError('the answer had no current conditions');
      this.note(null);
      return {
        city_id: local?.id ?? cityId,
        city: place.name,
        country: place.country,
        temperature: answer.current.temperature_2m,
        unit,
        conditions: describeWeatherCode(answer.current.weather_code),
        humidity: answer.current.relative_humidity_2m,
        wind_speed: answer.current.wind_speed_10m,
        wind_unit: windUnit,
        observed_at: answer.current.time,
        source: 'open-meteo',
      };
    } catch (err) {
      if (!(err instanceof LiveWeatherError)) throw err;
      this.note(err);
      if (!local) {
        throw new StoreError(`Live weather is unavailable (${err.message}) and "${cityId}" is not in the saved city list.`, 'not_found');
      }
      return fromLocal(local, `Live weather is unavailable (${err.message}); showing the saved local reading from ${local.updated_at}.`);
    }
  }

  async forecast(cityId: string, days: number): Promise<Forecast> {
    const local = this.lookup(cityId);
    if (this.config().provider === 'open-meteo') {
      try {
        const place = await this.place(cityId, local);
        if (place) {
          const unit = local?.unit ?? 'celsius';
          // Open-Meteo's first daily entry is today; we forecast the days ahead.
          const answer = await this.live.forecast(place.latitude, place.longitude, {
            days: days + 1,
            unit,
            windUnit: local?.wind_unit ?? 'km/h',
          });
          const daily = answer.daily;
          if (!daily) throw new LiveWeatherError('the answer had no daily forecast');
          this.note(null);
          const out: Forecast['days'] = [];
          for (let i = 1; i < daily.time.length && out.length < days; i++) {
            out.push({
              date: daily.time[i]!,
              conditions: describeWeatherCode(daily.weather_code[i]),
              high: daily.temperature_2m_max[i] ?? NaN,
              low: daily.temperature_2m_min[i] ?? NaN,
            });
          }
          return {
            city_id: local?.id ?? cityId,
            city: place.name,
            unit,
            days: out.filter((d) => Number.isFinite(d.high) && Number.isFinite(d.low)),
            source: 'open-meteo',
          };
        }
        this.note(null);
        if (!local)
          throw new StoreError(
            `No place called "${titleCase(cityId)}" was found. Check the spelling, or use an id like "new-york".`,
            'not_found',
          );
        return this.localForecast(local, days, `Open-Meteo does not know "${local.name}"; showing the saved local forecast.`);
      } catch (err) {
        if (!(err instanceof LiveWeatherError)) throw err;
        this.note(err);
        if (!local)
          throw new StoreError(`Live weather is unavailable (${err.message}) and "${cityId}" is not in the saved city list.`, 'not_found');
        return this.localForecast(local, days, `Live weather is unavailable (${err.message}); showing the saved local forecast.`);
      }
    }
    return this.localForecast(this.requireLocal(cityId), days);
  }

  private localForecast(city: City, days: number, note?: string): Forecast {
    const saved = this.store.forecast(city.id).filter((d) => d.day <= days);
    if (saved.length === 0) {
      throw new StoreError(
        `No forecast is saved for ${city.name}. Add forecast days in MCP Tray (Weather page) or turn on the live provider.`,
        'not_found',
      );
    }
    const notes = [note, saved.length < days ? `Only ${saved.length} of ${days} days are saved for ${city.name}.` : undefined].filter(
      Boolean,
    );
    return {
      city_id: city.id,
      city: city.name,
      unit: city.unit,
      days: saved.map((d) => ({ date: addDays(d.day), conditions: d.conditions, high: d.high, low: d.low })),
      source: 'local',
      ...(notes.length ? { note: notes.join(' ') } : {}),
    };
  }
}

function fromLocal(city: City, note?: string): CurrentWeather {
  return {
    city_id: city.id,
    city: city.name,
    country: city.country,
    temperature: city.temperature,
    unit: city.unit,
    conditions: city.conditions,
    humidity: city.humidity,
    wind_speed: city.wind_speed,
    wind_unit: city.wind_unit,
    observed_at: city.updated_at,
    source: 'local',
    ...(note ? { note } : {}),
  };
}

/** "Weather in New York: 72°F (22.2°C), Partly cloudy. Humidity 65%, wind 12 mph." */
export function summarize(w: CurrentWeather): string {
  const other = w.unit === 'celsius' ? 'fahrenheit' : 'celsius';
  const converted = convertTemperature(w.temperature, w.unit, other);
  const place = w.country ? `${w.city}, ${w.country}` : w.city;
  const lines = [
    `Weather in ${place}: ${formatTemperature(w.temperature, w.unit)} (${formatTemperature(converted, other)}), ${w.conditions}. ` +
      `Humidity ${w.humidity}%, wind ${w.wind_speed} ${w.wind_unit}.`,
    `Source: ${w.source === 'local' ? 'saved local data' : 'Open-Meteo (live)'}, as of ${w.observed_at}.`,
  ];
  if (w.note) lines.push(`Note: ${w.note}`);
  return lines.join('\n');
}
