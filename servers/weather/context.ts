import type { McpServer } from '@modelcontextprotocol/server';
import type { WeatherService } from './service.js';

export interface WeatherContext {
  server: McpServer;
  weather: WeatherService;
}
