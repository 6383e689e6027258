import * as z from 'zod';
import { HALF_CHARACTER, wellFormed } from '../shared/visible.js';

export const TEMPERATURE_UNITS = ['celsius', 'fahrenheit', 'kelvin'] as const;
export type TemperatureUnit = (typeof TEMPERATURE_UNITS)[number];
/** Units a city's reading can be stored in. */
export const READING_UNITS = ['celsius', 'fahrenheit'] as const;
export const WIND_UNITS = ['mph', 'km/h'] as const;

export const CityId = z
  .string({ error: 'city_id must be text, like "london"' })
  .max(80, 'city_id must be at most 80 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'city_id is a lower-case slug such as "new-york"');

export const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

const text = (max: number, what: string) =>
  z
    .string()
    .max(max * 4, `${what} is far too long`)
    .transform((s) => s.trim())
    .pipe(z.string().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`))
    .refine((s) => !s.includes('\0'), `${what} must not contain a NUL character (\\0)`)
    .refine(wellFormed, HALF_CHARACTER(what));

export const CityInput = z.strictObject({
  id: CityId.optional(),
  name: text(80, 'name'),
  country: z
    .string()
    .max(80)
    .refine(wellFormed, HALF_CHARACTER('country'))
    .transform((s) => s.trim())
    .optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  temperature: z.number({ error: 'temperature must be a number' }).min(-150).max(200),
  unit: z.enum(READING_UNITS),
  conditions: text(60, 'conditions'),
  humidity: z.number().int('humidity is a whole percentage').min(0).max(100),
  wind_speed: z.number().min(0).max(500),
  wind_unit: z.enum(WIND_UNITS).default('mph'),
});
export type CityInput = z.output<typeof CityInput>;
export const CityPatch = CityInput.omit({ id: true }).partial();
export type CityPatch = z.output<typeof CityPatch>;

export const ForecastDayInput = z.strictObject({
  day: z.number().int().min(1).max(16),
  conditions: text(60, 'conditions'),
  high: z.number().min(-150).max(200),
  low: z.number().min(-150).max(200),
});
export type ForecastDayInput = z.output<typeof ForecastDayInput>;

export const CurrentWeatherOut = z.object({
  city_id: z.string(),
  city: z.string(),
  country: z.string(),
  temperature: z.number(),
  unit: z.enum(READING_UNITS),
  conditions: z.string(),
  humidity: z.number(),
  wind_speed: z.number(),
  wind_unit: z.string(),
  observed_at: z.string(),
  source: z.enum(['local', 'open-meteo']),
  note: z.string().optional(),
});
export type CurrentWeather = z.output<typeof CurrentWeatherOut>;

export const ForecastOut = z.object({
  city_id: z.string(),
  city: z.string(),
  unit: z.enum(READING_UNITS),
  days: z.array(z.object({ date: z.string(), conditions: z.string(), high: z.number(), low: z.number() })),
  source: z.enum(['local', 'open-meteo']),
  note: z.string().optional(),
});
export type Forecast = z.output<typeof ForecastOut>;

export interface City {
  id: string;
  name: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  temperature: number;
  unit: 'celsius' | 'fahrenheit';
  conditions: string;
  humidity: number;
  wind_speed: number;
  wind_unit: 'mph' | 'km/h';
  updated_at: string;
}

export interface ForecastDay {
  day: number;
  conditions: string;
  high: number;
  low: number;
}

/** How live weather last went: working, or failing since when and why (answers came from the saved cities meanwhile). */
export interface LiveStatus {
  ok: boolean;
  /** The last time it was tried. */
  at: string;
  /** Since when it has been working, or failing. */
  since: string;
  /** Why it failed (the last failure's words); null when working. */
  reason: string | null;
}
