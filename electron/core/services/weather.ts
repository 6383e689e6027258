import { EventEmitter } from 'node:events';
import { watchDataVersion, type Db } from '../../../servers/shared/db.js';
import { openWeatherDb, WeatherStore, type LiveStatus } from '../../../servers/weather/store.js';
import { WeatherService, type WeatherConfig } from '../../../servers/weather/service.js';
import type { CityInput, CityPatch, ForecastDayInput } from '../../../servers/weather/schema.js';
import type { CityWithForecast } from '../contract.js';
import { HostError } from '../errors.js';

/** The weather cities as the app edits them, through the weather server's own store module. */
export class WeatherDataService extends EventEmitter<{ changed: [] }> {
  readonly db: Db;
  readonly store: WeatherStore;
  private readonly stopWatching: () => void;

  constructor(file: string) {
    super();
    this.db = openWeatherDb(file);
    this.store = new WeatherStore(this.db);
    this.stopWatching = watchDataVersion(this.db, 400, () => this.emit('changed'));
  }

  private withForecast(id: string): CityWithForecast {
    const city = this.store.get(id);
    if (!city) throw new HostError(`Unknown city "${id}"`, 'not_found');
    return { ...city, forecast: this.store.forecast(id) };
  }

  list(): CityWithForecast[] {
    return this.store.list().map((c) => ({ ...c, forecast: this.store.forecast(c.id) }));
  }

  add(input: CityInput): CityWithForecast {
    const city = this.store.add(input);
    this.emit('changed');
    return this.withForecast(city.id);
  }

  update(id: string, patch: CityPatch): CityWithForecast {
    this.store.update(id, patch);
    this.emit('changed');
    return this.withForecast(id);
  }

  remove(id: string) {
    const city = this.store.remove(id);
    this.emit('changed');
    return city;
  }

  setForecast(id: string, days: ForecastDayInput[]): CityWithForecast {
    this.store.writeForecast(id, days);
    this.emit('changed');
    return this.withForecast(id);
  }

  /** How live weather last answered (any process's call), or null when it was never tried. */
  liveStatus(): LiveStatus | null {
    return this.store.liveStatus();
  }

  /** Asks the live service now (Check now), with the settings as they are, and records the outcome. */
  async checkLive(config: WeatherConfig): Promise<LiveStatus | null> {
    await new WeatherService(this.store, () => config).checkLive();
    this.emit('changed');
    return this.store.liveStatus();
  }

  close() {
    this.stopWatching();
    this.db.close();
  }
}
