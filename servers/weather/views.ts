import type { McpServer } from '@modelcontextprotocol/server';
import { registerView } from '../shared/views.js';

export const FORECAST_VIEW_URI = 'ui://weather/forecast';

/** The forecast view: current conditions and a small multi-day chart. */
export function registerForecastView(server: McpServer): void {
  registerView(server, {
    name: 'forecast',
    uri: FORECAST_VIEW_URI,
    title: 'Forecast view',
    description: 'Current conditions and a chart of the coming days.',
  });
}
