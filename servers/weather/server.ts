import { CACHE_HINTS } from '../shared/definition.js';
import { McpServer } from '@modelcontextprotocol/server';
import type { Db } from '../shared/db.js';
import { watchDataVersion } from '../shared/db.js';
import { enableSubscriptions } from '../shared/subscriptions.js';
import { ToolKit, type CallObserver } from '../shared/tooling.js';
import { VERSION } from '../shared/version.js';
import { WeatherService, type WeatherConfig } from './service.js';
import { WeatherStore } from './store.js';
import type { WeatherContext } from './context.js';
import { registerConvertTemperatureTool } from './tools/convert-temperature.js';
import { registerGetWeatherSummaryTool } from './tools/get-weather-summary.js';
import { registerGetForecastTool } from './tools/get-forecast.js';
import { registerListCitiesTool } from './tools/list-cities.js';
import { currentUri, registerCurrentWeatherResource } from './resources/current.js';
import { registerForecastView } from './views.js';
import { registerWeatherReportPrompt } from './prompts/weather-report.js';

export interface WeatherServerOptions {
  db: Db;
  config: WeatherConfig;
  observe?: CallObserver;
  pollMs?: number;
}

export function createWeatherServer(opts: WeatherServerOptions) {
  const server = new McpServer(
    { name: 'mcp-tray-weather', title: 'Weather (MCP Tray)', version: VERSION },
    {
      instructions:
        'Weather for the cities the user keeps in MCP Tray (and, when the live provider is on, any city). ' +
        'City ids are lower-case slugs like "new-york"; list_cities shows them.',
      cacheHints: CACHE_HINTS,
      // logging/setLevel answered (2025 clients set a level; the servers log to stderr, which the host keeps).
      capabilities: { logging: {} },
    },
  );
  let config = opts.config;
  const store = new WeatherStore(opts.db);
  const weather = new WeatherService(store, () => config);
  const subs = enableSubscriptions(
    server,
    (uri) => /^weather:\/\/[a-z0-9-]+\/current$/.test(uri) && store.get(uri.slice(10, -8)) !== undefined,
  );
  const ctx: WeatherContext = { server, weather };

  const kit = new ToolKit(server, opts.observe);
  registerConvertTemperatureTool(kit);
  registerGetWeatherSummaryTool(kit, ctx);
  registerGetForecastTool(kit, ctx);
  registerListCitiesTool(kit, ctx);
  registerCurrentWeatherResource(ctx);
  registerForecastView(server);
  registerWeatherReportPrompt(ctx);

  let citiesKey = store
    .list()
    .map((c) => c.id)
    .join(',');
  /** Every city's current-weather resource: what a change can touch. */
  const cityUris = () => store.list().map((c) => currentUri(c.id));
  const changed = () => {
    subs.notify(undefined, cityUris);
    const key = store
      .list()
      .map((c) => c.id)
      .join(',');
    if (key !== citiesKey) {
      citiesKey = key;
      if (server.isConnected()) server.sendResourceListChanged();
    }
  };
  const stopWatching = watchDataVersion(opts.db, opts.pollMs ?? 500, changed);

  return {
    server,
    store,
    kit,
    setConfig(next: WeatherConfig) {
      const providerChanged = next.provider !== config.provider;
      config = next;
      if (providerChanged) subs.notify(undefined, cityUris);
    },
    async close() {
      stopWatching();
      await server.close();
    },
  };
}
