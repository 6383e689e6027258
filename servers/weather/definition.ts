import type { ServerDefinition } from '../shared/definition.js';
import { SERVER_TITLES } from '../names.js';
import { createWeatherServer } from './server.js';
import { openWeatherDb } from './store.js';

export const weather: ServerDefinition = {
  name: 'weather',
  title: SERVER_TITLES.weather,
  open: (files) => openWeatherDb(files.weather),
  create: (db, settings, observe) => {
    const built = createWeatherServer({ db, config: settings.weather, observe });
    return { server: built.server, applySettings: (s) => built.setConfig(s.weather), close: built.close };
  },
};
