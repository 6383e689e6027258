/**
 * The products server, described once: what people and Claude's extension directory read about it,
 * its tools' and prompts' facts (the tool modules register them from here), the requests Home
 * suggests, its settings. How it opens its catalog is data.ts (listed in servers/data.ts).
 */
import type { ServerDefinition } from '../shared/definition.js';

export const products = {
  name: 'products',
  title: 'Product catalog',
  description: 'Your product catalog from MCP Tray: find products, check stock, add and update products.',
  longDescription:
    'The product catalog you keep in **MCP Tray**, for Claude: search and filter products, see what is low on stock, ' +
    'and (when you allow it in MCP Tray) add, change and delete products. Every change Claude makes shows in MCP Tray, ' +
    'by app and time, and can be undone there.\n\nThis extension runs MCP Tray’s own server, so **MCP Tray must be installed**. ' +
    'It uses the same data folder as the MCP Tray window, so you edit one catalog wherever you are. Nothing leaves your computer.',
  keywords: ['products', 'catalog', 'inventory', 'stock', 'shop', 'sqlite', 'mcp-tray'],
  tools: {
    query_products: {
      title: 'Find products',
      description:
        'Search the product catalog. Filter by price range, category, stock and text; sort; page through results ' +
        '(up to 100 per call, default 20). Returns the matching products, the total number of matches and next_cursor ' +
        'for the next page. Call with no arguments to list the catalog.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    get_product: {
      title: 'Get one product',
      description: 'Get one product by its id (from query_products) or by its SKU. Give exactly one of product_id or sku.',
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    add_product: {
      title: 'Add a product',
      description:
        'Add a new product to the catalog. name, price (e.g. 24.99, at most two decimals) and category are required; ' +
        'stock defaults to 0, sku is generated when omitted. An existing category is matched case-insensitively. ' +
        'Returns the new product with its id.',
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    update_product: {
      title: 'Change a product',
      description:
        'Change one or more fields of an existing product (name, price, category, stock, sku, description). ' +
        'Only the fields you give are changed. Returns the product as it is now and whether anything changed.',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    update_stock: {
      title: 'Set stock level',
      description: 'Set how many units of a product are in stock (a whole number, 0 or more). Returns the product and its previous stock.',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    delete_product: {
      title: 'Delete a product',
      description:
        'Remove a product from the catalog permanently (the owner can undo it in MCP Tray). Returns the deleted product. ' +
        'Confirm with the user before deleting.',
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
  },
  prompts: {
    restock_report: {
      title: 'Restock report',
      description: 'Which products are low on stock or sold out, with a suggested reorder plan.',
      arguments: ['threshold'],
    },
    catalog_summary: {
      title: 'Catalog summary',
      description: 'An overview of the catalog: size, categories, stock value, and what needs attention.',
      arguments: [],
    },
  },
  examples: [
    { tool: 'query_products', text: () => 'Which products are low on stock?' },
    { tool: 'add_product', text: () => 'Add a product called “Blue Widget” at 24.99 in the Gadgets category, 10 in stock.' },
    { tool: 'query_products', text: () => 'Summarise my catalog by category: how many products, and what is the priciest in each?' },
  ],
  switches: {
    /** When off, the tools that change the catalog are not listed at all. */
    allowWrites: { default: true, label: '"Allow AI to change the catalog"', gatesWrites: true },
  },
} as const satisfies ServerDefinition;
