import { weather } from './definition.js';
import { openWeatherData } from './data.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer(weather, openWeatherData, process.argv.slice(2));
