import type { ServerDefinition } from '../shared/definition.js';
import { SERVER_TITLES } from '../names.js';
import { createProductsServer } from './server.js';
import { openProductsDb } from './store.js';

export const products: ServerDefinition = {
  name: 'products',
  title: SERVER_TITLES.products,
  open: (files) => openProductsDb(files.products),
  create: (db, settings, observe) => {
    const built = createProductsServer({ db, allowWrites: settings.servers.products.allowWrites, observe });
    return { server: built.server, applySettings: (s) => built.setAllowWrites(s.servers.products.allowWrites), close: built.close };
  },
};
