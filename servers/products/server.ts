import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Db } from '../shared/db.js';
import { watchDataVersion } from '../shared/db.js';
import { enableSubscriptions } from '../shared/subscriptions.js';
import { ToolKit, type CallObserver } from '../shared/tooling.js';
import { VERSION } from '../shared/version.js';
import { clientActor, type ProductsContext } from './context.js';
import { ProductStore } from './store.js';
import { registerQueryProductsTool } from './tools/query-products.js';
import { registerGetProductTool } from './tools/get-product.js';
import { registerAddProductTool } from './tools/add-product.js';
import { registerUpdateProductTool } from './tools/update-product.js';
import { registerUpdateStockTool } from './tools/update-stock.js';
import { registerDeleteProductTool } from './tools/delete-product.js';
import { ALL_URI, categoryUri, registerCatalogResources } from './resources/catalog.js';
import { registerCatalogView } from './views.js';
import { registerRestockReportPrompt } from './prompts/restock-report.js';
import { registerCatalogSummaryPrompt } from './prompts/catalog-summary.js';

export interface ProductsServerOptions {
  db: Db;
  observe?: CallObserver;
  /** How often to look for changes made by other processes. */
  pollMs?: number;
}

export function createProductsServer(opts: ProductsServerOptions) {
  const server = new McpServer(
    { name: 'mcp-tray-products', title: 'Product catalog (MCP Tray)', version: VERSION },
    {
      instructions:
        "The user's product catalog (their shop's products, prices and stock). Use query_products to find products " +
        '(filters, text search, paging), get_product for one product. When changes are allowed, add_product, ' +
        'update_product, update_stock and delete_product change the catalog; the owner sees every change in MCP Tray and can undo it.',
    },
  );
  const store = new ProductStore(opts.db);
  const subs = enableSubscriptions(server, (uri) => uri === ALL_URI || /^db:\/\/products\/category\/[^/?]+$/.test(uri));
  let categoriesKey = categoryKey(store);

  /** `categories`: what our own write touched; undefined when another process changed something. */
  const changed = (categories?: readonly string[]) => {
    const touched = categories && new Set(categories.map((c) => categoryUri(c)));
    subs.notify((uri) => !touched || uri === ALL_URI || touched.has(uri));
    const key = categoryKey(store);
    if (key !== categoriesKey) {
      categoriesKey = key;
      if (server.isConnected()) server.sendResourceListChanged();
    }
  };

  const ctx: ProductsContext = { server, store, actor: (tool) => clientActor(server, tool), changed };
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

  const stopWatching = watchDataVersion(opts.db, opts.pollMs ?? 500, () => changed());

  return {
    server,
    store,
    kit,
    async close() {
      stopWatching();
      await server.close();
    },
  };
}

const categoryKey = (store: ProductStore) =>
  store
    .categoryNames()
    .map((c) => c.toLowerCase())
    .join('\u0000');
