import { openProductsDb } from './store.js';
import { createProductsServer } from './server.js';
import { runStdioServer } from '../shared/stdio.js';

void runStdioServer('products', process.argv.slice(2), ({ files, settings, activity }) => {
  const db = openProductsDb(files.products);
  const products = createProductsServer({
    db,
    allowWrites: settings.servers.products.allowWrites,
    observe: (tool, at, ms, error) => activity?.toolCall(tool, at, ms, error),
  });
  return {
    server: products.server,
    onSettings: (s) => products.setAllowWrites(s.servers.products.allowWrites),
    close: async () => {
      await products.close();
      db.close();
    },
  };
});
