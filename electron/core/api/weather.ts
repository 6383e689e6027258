/** The weather area of the host API: the cities the weather server answers for, and their saved forecasts. */
import * as z from 'zod';
import type { City, ForecastDay } from '../../../servers/weather/schema.js';
import type { LiveStatus } from '../../../servers/weather/schema.js';
import { CityId, CityInput, CityPatch, ForecastDayInput } from '../../../servers/weather/schema.js';
import { none } from './common.js';

export type { City, ForecastDay, LiveStatus };

export const schemas = {
  listCities: none,
  addCity: CityInput,
  updateCity: z.strictObject({ id: CityId, patch: CityPatch }),
  deleteCity: z.strictObject({ id: CityId }),
  setForecast: z.strictObject({ id: CityId, days: z.array(ForecastDayInput).max(16) }),
  /** Whether live weather is on, and how it last answered. */
  getLiveWeather: none,
  /** Asks the live service now and records how it answered. */
  checkLiveWeather: none,
};

export interface LiveWeather {
  provider: 'local' | 'open-meteo';
  status: LiveStatus | null;
}

export interface CityWithForecast extends City {
  forecast: ForecastDay[];
}

export interface Results {
  listCities: CityWithForecast[];
  addCity: CityWithForecast;
  updateCity: CityWithForecast;
  deleteCity: City;
  setForecast: CityWithForecast;
  getLiveWeather: LiveWeather;
  checkLiveWeather: LiveWeather;
}
