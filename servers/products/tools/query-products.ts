import type { ToolKit } from '../../shared/tooling.js';
import { ProductPageOut, ProductQuery } from '../schema.js';
import type { ProductsContext } from '../context.js';
import { CATALOG_VIEW_URI } from '../views.js';

export function registerQueryProductsTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    name: 'query_products',
    title: 'Find products',
    description:
      'Search the product catalog. Filter by price range, category, stock and text; sort; page through results ' +
      '(up to 100 per call, default 20). Returns the matching products, the total number of matches and next_cursor ' +
      'for the next page. Call with no arguments to list the catalog.',
    input: ProductQuery,
    output: ProductPageOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    // Where views are shown, the results come as a table with stock badges (and inline edits when allowed).
    ui: CATALOG_VIEW_URI,
    run: async (q) => ({ structured: await ctx.store.query(q) }),
  });
}
