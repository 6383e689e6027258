// The weather server's data, open: servers built over the weather database, following the person's settings.
import type { Db } from '../shared/db.js';
import type { ServerData } from '../shared/server-data.js';
import { toolSwitch, type Settings } from '../shared/settings-schema.js';
import type { DataFiles } from '../shared/datadir.js';
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

export const openWeatherData = async (files: DataFiles) => weatherData(openWeatherDb(files.weather), true);
