import type { ServerDefinition } from '../shared/definition.js';
import { toolSwitch, type Settings } from '../shared/settings-schema.js';
import { SERVER_TITLES } from '../names.js';
import { createWeatherServer } from './server.js';
import { openWeatherDb } from './store.js';

export const weather: ServerDefinition = {
  name: 'weather',
  title: SERVER_TITLES.weather,
  open: (files) => openWeatherDb(files.weather),
  create: (db, settings, observe) => {
    const built = createWeatherServer({ db, config: settings.weather, observe });
    const switches = (s: Settings) => built.kit.applySwitches((tool, readOnly) => toolSwitch(s, 'weather', tool, readOnly));
    switches(settings);
    return {
      server: built.server,
      tools: () => built.kit.specs(),
      applySettings: (s) => {
        built.setConfig(s.weather);
        switches(s);
      },
      close: built.close,
    };
  },
};
