import type { ServerDefinition } from '../shared/definition.js';
import { toolSwitch, type Settings } from '../shared/settings-schema.js';
import { SERVER_TITLES } from '../names.js';
import { createProductsServer } from './server.js';
import { openProductsDb } from './store.js';

export const products: ServerDefinition = {
  name: 'products',
  title: SERVER_TITLES.products,
  open: (files) => openProductsDb(files.products),
  create: (db, settings, observe) => {
    const built = createProductsServer({ db, observe });
    const apply = (s: Settings) => built.kit.applySwitches((tool, readOnly) => toolSwitch(s, 'products', tool, readOnly));
    apply(settings);
    return { server: built.server, tools: () => built.kit.specs(), applySettings: apply, close: built.close };
  },
};
