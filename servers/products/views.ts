import type { McpServer } from '@modelcontextprotocol/server';
import { registerView } from '../shared/views.js';

export const CATALOG_VIEW_URI = 'ui://products/catalog';

/** The catalog view: query_products results as a sortable table with stock badges, paging and inline stock/price edits. */
export function registerCatalogView(server: McpServer): void {
  registerView(server, {
    name: 'catalog',
    uri: CATALOG_VIEW_URI,
    title: 'Catalog view',
    description: 'Products as a table with stock badges; stock and prices can be changed inline when MCP Tray allows it.',
  });
}
