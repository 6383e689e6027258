import { products } from './definition.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer(products, process.argv.slice(2));
