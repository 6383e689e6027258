import { products } from './definition.js';
import { openProductsData } from './data.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer(products, openProductsData, process.argv.slice(2));
