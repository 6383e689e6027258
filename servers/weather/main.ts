import { openWeatherDb } from './store.js';
import { createWeatherServer } from './server.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer('weather', process.argv.slice(2), ({ files, settings, activity }) => {
  const db = openWeatherDb(files.weather);
  const weather = createWeatherServer({
    db,
    config: settings.weather,
    observe: (tool, at, ms, error) => activity?.toolCall(tool, at, ms, error),
  });
  return {
    server: weather.server,
    onSettings: (s) => weather.setConfig(s.weather),
    close: async () => {
      await weather.close();
      db.close();
    },
  };
});
