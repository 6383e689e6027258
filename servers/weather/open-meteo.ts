import * as z from 'zod';

/** Anything that stops a live answer: network, timeout, HTTP error, an answer we cannot read. */
export class LiveWeatherError extends Error {
  override name = 'LiveWeatherError';
}

export interface OpenMeteoConfig {
  geocodingBaseUrl: string;
  forecastBaseUrl: string;
  timeoutMs: number;
}

const GeocodingResponse = z.object({
  results: z
    .array(
      z.object({
        id: z.number().optional(),
        name: z.string(),
        latitude: z.number(),
        longitude: z.number(),
        country: z.string().optional(),
        admin1: z.string().optional(),
        timezone: z.string().optional(),
      }),
    )
    .optional(),
});
export type GeocodedPlace = NonNullable<z.infer<typeof GeocodingResponse>['results']>[number];

const ForecastResponse = z.object({
  current: z
    .object({
      time: z.string(),
      temperature_2m: z.number(),
      relative_humidity_2m: z.number(),
      weather_code: z.number(),
      wind_speed_10m: z.number(),
    })
    .optional(),
  daily: z
    .object({
      time: z.array(z.string()),
      weather_code: z.array(z.number().nullable()),
      temperature_2m_max: z.array(z.number().nullable()),
      temperature_2m_min: z.array(z.number().nullable()),
    })
    .optional(),
});
export type ForecastResponse = z.infer<typeof ForecastResponse>;

const ErrorResponse = z.object({ error: z.literal(true), reason: z.string() });

const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') throw new LiveWeatherError(`no answer from ${new URL(url).host} within ${timeoutMs / 1000} s`);
    throw new LiveWeatherError(`cannot reach ${new URL(url).host}${e.cause?.code ? ` (${e.cause.code})` : ''}`);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new LiveWeatherError(`${new URL(url).host} answered HTTP ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const parsed = ErrorResponse.safeParse(body);
    throw new LiveWeatherError(`${new URL(url).host} answered HTTP ${res.status}${parsed.success ? `: ${parsed.data.reason}` : ''}`);
  }
  return body;
}

/** Open-Meteo's free APIs (no key): geocoding to find a place, forecast for current and daily weather. */
export class OpenMeteo {
  constructor(private readonly config: () => OpenMeteoConfig) {}

  async geocode(name: string): Promise<GeocodedPlace | undefined> {
    const { geocodingBaseUrl, timeoutMs } = this.config();
    const url = new URL(joinUrl(geocodingBaseUrl, '/v1/search'));
    url.search = new URLSearchParams({ name, count: '1', language: 'en', format: 'json' }).toString();
    const parsed = GeocodingResponse.safeParse(await getJson(url.href, timeoutMs));
    if (!parsed.success) throw new LiveWeatherError('the geocoding answer was not in the expected shape');
    return parsed.data.results?.[0];
  }

  async forecast(
    latitude: number,
    longitude: number,
    opts: { days: number; unit: 'celsius' | 'fahrenheit'; windUnit: 'mph' | 'km/h' },
  ): Promise<ForecastResponse> {
    const { forecastBaseUrl, timeoutMs } = this.config();
    const url = new URL(joinUrl(forecastBaseUrl, '/v1/forecast'));
    const params = new URLSearchParams({
      latitude: String(latitude),
      longitude: String(longitude),
      current: 'temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m',
      daily: 'weather_code,temperature_2m_max,temperature_2m_min',
      timezone: 'auto',
      forecast_days: String(opts.days),
    });
    if (opts.unit === 'fahrenheit') params.set('temperature_unit', 'fahrenheit');
    params.set('wind_speed_unit', opts.windUnit === 'mph' ? 'mph' : 'kmh');
    url.search = params.toString();
    const parsed = ForecastResponse.safeParse(await getJson(url.href, timeoutMs));
    if (!parsed.success) throw new LiveWeatherError('the forecast answer was not in the expected shape');
    return parsed.data;
  }
}
