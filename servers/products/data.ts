// The products server's data, open: servers built over a catalog source, following the person's settings.
import type { ServerData } from '../shared/server-data.js';
import { toolSwitch, type Settings } from '../shared/settings-schema.js';
import type { DataFiles } from '../shared/datadir.js';
import { createProductsServer } from './server.js';
import { CatalogSource } from './source.js';
import type { FieldDef } from './fields.js';

/** Products servers over an open catalog source (closed with the data only when `owned`). */
export function productsData(source: CatalogSource, owned = false, fields?: readonly FieldDef[]): ServerData {
  // Changes made elsewhere are watched from the start (a shared database's LISTEN connection is up
  // before any client arrives), not only once a connection's first message builds its server: a
  // change made in between would otherwise go unannounced to the subscriptions made first.
  const stopEarlyWatch = owned ? source.watch(() => {}) : () => {};
  // The person moved the catalog (to a shared database or back): follow it.
  const follow = (s: Settings) =>
    source
      .follow(s)
      .catch((err: Error) => process.stderr.write(`mcp-tray products: cannot open the catalog where it now lives: ${err.message}\n`));
  return {
    create: (settings, observe) => {
      // Each server starts with the fields as last read (its tools list them at once) and follows them.
      let lowBelow = settings.stock.lowBelow;
      const built = createProductsServer({ source, observe, fields, lowStockBelow: () => lowBelow });
      const apply = (s: Settings) => {
        lowBelow = s.stock.lowBelow;
        built.kit.applySwitches((tool, readOnly) => toolSwitch(s, 'products', tool, readOnly));
        void follow(s);
      };
      apply(settings);
      return { server: built.server, applySettings: apply, close: built.close };
    },
    applySettings: (s) => void follow(s),
    close: async () => {
      stopEarlyWatch();
      if (owned) await source.close();
    },
  };
}

/** The catalog where the settings say it lives, opened for this process. */
export async function openProductsData(files: DataFiles, settings: Settings): Promise<ServerData> {
  const source = await CatalogSource.open(files, settings);
  // A shared database that is away: no fields for now (the tools follow them once it is back).
  const fields = await source.catalog.fields().catch(() => undefined);
  return productsData(source, true, fields);
}
