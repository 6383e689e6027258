import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { enableSubscriptions } from '../shared/subscriptions.js';
import { ToolKit, type CallObserver } from '../shared/tooling.js';
import { VERSION } from '../shared/version.js';
import { clientActor, type ProductsContext } from './context.js';
import type { Catalog } from './catalog.js';
import type { CatalogSource } from './source.js';
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
  source: CatalogSource;
  observe?: CallObserver;
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
    subs.notify((uri) => !touched || uri === ALL_URI || touched.has(uri));
    // The category list is compared in order of the changes, one after the other.
    categoriesKey = categoriesKey.then(async (before) => {
      const key = await currentKey();
      if (key === null) return before;
      if (key !== before && server.isConnected()) server.sendResourceListChanged();
      return key;
    });
  };

  const ctx: ProductsContext = {
    server,
    get store() {
      return source.catalog;
    },
    actor: (tool) => clientActor(server, tool),
    changed,
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

  // Changes made by anyone else; when the catalog moves, everything a client holds may differ.
  const stopWatching = source.watch(() => changed());

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
