/**
 * The weather server, described once: what people and Claude's extension directory read about it,
 * its tools' and prompts' facts (the tool modules register them from here), the requests Home
 * suggests. How it opens its data is data.ts (listed in servers/data.ts).
 */
import type { ServerDefinition } from '../shared/definition.js';

export const weather = {
  name: 'weather',
  title: 'Weather',
  description: 'Weather for the cities you keep in MCP Tray (or live from Open-Meteo when you switch it on there).',
  longDescription:
    'Current weather and forecasts for the cities you keep in **MCP Tray**, and temperature conversion. In MCP Tray you can ' +
    'switch to live data from Open-Meteo (no account needed).\n\nThis extension runs MCP Tray’s own server, so **MCP Tray must be installed**. ' +
    'It uses the same data folder as the MCP Tray window.',
  keywords: ['weather', 'forecast', 'temperature', 'mcp-tray'],
  tools: {
    convert_temperature: {
      title: 'Convert a temperature',
      description: 'Convert a temperature between celsius, fahrenheit and kelvin.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    get_weather_summary: {
      title: 'Current weather',
      description:
        'Current weather for a city as a short readable summary (temperature in both units, conditions, humidity, wind). ' +
        'city_id is a lower-case slug such as "new-york", "london" or "tokyo"; list_cities shows the saved ones.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    get_forecast: {
      title: 'Weather forecast',
      description:
        'Daily forecast (conditions, high and low) for the next days, starting tomorrow. days: 1 to 16, default 3. ' +
        'unit: "celsius" or "fahrenheit" when the person asked for one.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    list_cities: {
      title: 'List saved cities',
      description: 'The cities saved in MCP Tray, with the city_id to use in the other weather tools.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
  },
  prompts: {
    weather_report: {
      title: 'Weather report',
      description: 'A friendly weather report for a city, with advice for the day.',
      arguments: ['city'],
    },
  },
  examples: [{ tool: 'get_weather_summary', text: ({ firstCity }) => `What’s the weather in ${firstCity ?? 'Tokyo'}?` }],
  switches: {},
} as const satisfies ServerDefinition;
