/**
 * How each server opens its data (servers/<name>/data.ts), for the host's in-process HTTP endpoint;
 * each stdio entry (main.ts) uses its own. Apart from registry.ts because it loads every server's
 * code: the window's contract reads the registry and must not. A server missing here is a type error.
 */
import type { OpenData } from './shared/server-data.js';
import type { ServerName } from './registry.js';
import { openProductsData } from './products/data.js';
import { openWeatherData } from './weather/data.js';

export const OPEN_DATA = { products: openProductsData, weather: openWeatherData } satisfies Record<ServerName, OpenData>;
