import type { Db } from '../shared/db.js';
import type { ServerData, ServerDefinition } from '../shared/definition.js';
import { toolSwitch, type Settings } from '../shared/settings-schema.js';
import { SERVER_TITLES } from '../names.js';
import { createWeatherServer } from './server.js';
import { openWeatherDb } from './store.js';

/** Weather servers over an open database (closed with the data only when `owned`). */
export function weatherData(db: Db, owned = false): ServerData {
  return {
    create: (settings, observe) => {
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
    close: async () => {
      if (owned) db.close();
    },
  };
}

export const weather: ServerDefinition = {
  name: 'weather',
  title: SERVER_TITLES.weather,
  open: async (files) => weatherData(openWeatherDb(files.weather), true),
};
