import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WeatherService } from './service.js';

export interface WeatherContext {
  server: McpServer;
  weather: WeatherService;
}
