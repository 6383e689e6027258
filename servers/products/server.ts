import { CACHE_HINTS } from '../shared/definition.js';
import { McpServer } from '@modelcontextprotocol/server';
import { enableSubscriptions } from '../shared/subscriptions.js';
import { ToolKit, type CallObserver } from '../shared/tooling.js';
import { VERSION } from '../shared/version.js';
import { clientActor, type ProductsContext } from './context.js';
import type { Catalog } from './catalog.js';
import type { CatalogSource } from './source.js';
import type { FieldDef } from './fields.js';
import { fieldShapes } from './tool-shapes.js';
import { LOW_STOCK_BELOW } from './limits.js';
import { queryProductsShape, registerQueryProductsTool } from './tools/query-products.js';
import { getProductShape, registerGetProductTool } from './tools/get-product.js';
import { addProductShape, registerAddProductTool } from './tools/add-product.js';
import { registerUpdateProductTool, updateProductShape } from './tools/update-product.js';
import { registerUpdateStockTool, updateStockShape } from './tools/update-stock.js';
import { deleteProductShape, registerDeleteProductTool } from './tools/delete-product.js';
import { ALL_URI, categoryUri, registerCatalogResources } from './resources/catalog.js';
import { registerCatalogView } from './views.js';
import { registerRestockReportPrompt } from './prompts/restock-report.js';
import { registerCatalogSummaryPrompt } from './prompts/catalog-summary.js';

export interface ProductsServerOptions {
  source: CatalogSource;
  observe?: CallObserver;
  /** The catalog's own fields when the server is made (read again whenever the catalog changes). */
  fields?: readonly FieldDef[];
  /** Under how many in stock a product counts as low (the person's setting, read at each use). */
  lowStockBelow?: () => number;
}

export function createProductsServer(opts: ProductsServerOptions) {
  const server = new McpServer(
    { name: 'mcp-tray-products', title: 'Product catalog (MCP Tray)', version: VERSION },
    {
      instructions:
        "The user's product catalog (their shop's products, prices and stock). Use query_products to find products " +
        '(filters, text search, paging), get_product for one product. When changes are allowed, add_product, ' +
        'update_product, update_stock and delete_product change the catalog; the owner sees every change in MCP Tray and can undo it.',
      cacheHints: CACHE_HINTS,
      // logging/setLevel answered (2025 clients set a level; the servers log to stderr, which the host keeps).
      capabilities: { logging: {} },
    },
  );
  const { source } = opts;
  const subs = enableSubscriptions(server, (uri) => uri === ALL_URI || /^db:\/\/products\/category\/[^/?]+$/.test(uri));
  /** The category list as last seen (null: not known, the catalog could not be read then). */
  const currentKey = () => categoryKey(source.catalog).catch(() => null);
  let categoriesKey: Promise<string | null> = currentKey();

  /** `categories`: what our own write touched; undefined when someone else changed something. */
  // Runs after a write is committed: nothing here may turn a saved change into an error (an AI that
  // retries would make it twice), so a failure only widens the notice to every subscriber.
  const changed = (categories?: readonly string[]) => {
    let touched: Set<string> | undefined;
    try {
      touched = categories && new Set(categories.map((c) => categoryUri(c)));
    } catch {
      touched = undefined;
    }
    subs.notify(
      (uri) => !touched || uri === ALL_URI || touched.has(uri),
      async () => [ALL_URI, ...(touched ?? (await source.catalog.categories()).map((c) => categoryUri(c.name)))],
    );
    // The category list is compared in order of the changes, one after the other.
    categoriesKey = categoriesKey.then(async (before) => {
      const key = await currentKey();
      if (key === null) return before;
      if (key !== before && server.isConnected()) server.sendResourceListChanged();
      return key;
    });
  };

  let fields: readonly FieldDef[] = opts.fields ?? [];
  let shapes = fieldShapes(fields);
  const ctx: ProductsContext = {
    server,
    get store() {
      return source.catalog;
    },
    actor: (tool, request) => clientActor(server, tool, request),
    lowStockBelow: opts.lowStockBelow ?? (() => LOW_STOCK_BELOW),
    changed: (categories) => changed(categories),
    get fields() {
      return fields;
    },
    get shapes() {
      return shapes;
    },
  };
  const kit = new ToolKit(server, opts.observe);
  registerQueryProductsTool(kit, ctx);
  registerGetProductTool(kit, ctx);
  registerAddProductTool(kit, ctx);
  registerUpdateProductTool(kit, ctx);
  registerUpdateStockTool(kit, ctx);
  registerDeleteProductTool(kit, ctx);
  registerCatalogResources(ctx);
  registerCatalogView(server);
  registerRestockReportPrompt(ctx);
  registerCatalogSummaryPrompt(ctx);

  // The catalog's own fields, followed: when someone adds, renames or removes one, every tool's
  // schema is rebuilt and connected clients are sent tools/list_changed (the SDK does, on update).
  const reshapers = {
    query_products: queryProductsShape,
    get_product: getProductShape,
    add_product: addProductShape,
    update_product: updateProductShape,
    update_stock: updateStockShape,
    delete_product: deleteProductShape,
  };
  let following = Promise.resolve();
  const followFields = () =>
    (following = following.then(async () => {
      let now: FieldDef[];
      try {
        now = await source.catalog.fields();
      } catch {
        return; // the catalog cannot be read now: the tools keep the shape they have
      }
      if (JSON.stringify(now) === JSON.stringify(fields)) return;
      fields = now;
      shapes = fieldShapes(fields);
      kit.reshape(Object.fromEntries(Object.entries(reshapers).map(([name, shape]) => [name, shape(shapes)])));
    }));
  void followFields();

  // Changes made by anyone else; when the catalog moves, everything a client holds may differ.
  // (Only others change the fields: this server's own writes never do, so they do not ask again.)
  const stopWatching = source.watch(() => {
    void followFields();
    changed();
  });

  return {
    server,
    kit,
    async close() {
      stopWatching();
      await server.close();
    },
  };
}

const categoryKey = async (catalog: Catalog) => (await catalog.categoryNames()).map((c) => c.toLowerCase()).join('\u0000');
