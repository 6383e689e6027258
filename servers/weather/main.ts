import { weather } from './definition.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer(weather, process.argv.slice(2));
