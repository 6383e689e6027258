import { promptFacts } from '../../shared/definition.js';
import { weather as weatherDefinition } from '../definition.js';
import * as z from 'zod';
import { completable } from '@modelcontextprotocol/server';
import type { WeatherContext } from '../context.js';
import { summarize } from '../service.js';
import { currentUri } from '../resources/current.js';

export function registerWeatherReportPrompt(ctx: WeatherContext) {
  const { server, weather } = ctx;
  server.registerPrompt(
    'weather_report',
    {
      ...promptFacts(weatherDefinition, 'weather_report'),
      argsSchema: {
        city: completable(z.string().min(1).max(80).describe('City name or id, e.g. "London"'), (value) => {
          const v = value.toLowerCase();
          return weather.store
            .list()
            .filter((c) => c.name.toLowerCase().startsWith(v) || c.id.startsWith(v))
            .map((c) => c.name);
        }),
      },
    },
    async ({ city }) => {
      const id = weather.store.find(city)?.id ?? city.trim().toLowerCase().replace(/\s+/g, '-');
      let facts: string;
      let data: string | undefined;
      try {
        const current = await weather.current(id);
        facts = summarize(current);
        data = JSON.stringify(current, null, 2);
      } catch (err) {
        facts = `(No weather data is available for ${city}: ${(err as Error).message})`;
      }
      return {
        description: `Weather report for ${city}`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text:
                `Write a short, friendly weather report for ${city}: what it is like now and what to wear or bring.\n\n${facts}` +
                '\n\nUse get_forecast if I ask about the coming days.',
            },
          },
          ...(data
            ? [
                {
                  role: 'user' as const,
                  content: { type: 'resource' as const, resource: { uri: currentUri(id), mimeType: 'application/json', text: data } },
                },
              ]
            : []),
        ],
      };
    },
  );
}
