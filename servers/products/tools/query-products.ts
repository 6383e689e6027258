import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import type { ToolKit } from '../../shared/tooling.js';
import { ProductPageOut, ProductQuery, forClaude } from '../schema.js';
import type { ProductsContext } from '../context.js';
import { CATALOG_VIEW_URI } from '../views.js';

export function registerQueryProductsTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'query_products'),
    input: ProductQuery,
    output: ProductPageOut,
    // Where views are shown, the results come as a table with stock badges (and inline edits when allowed).
    ui: CATALOG_VIEW_URI,
    run: async (q) => {
      const page = await ctx.store.query(q);
      return { structured: { ...page, products: page.products.map(forClaude) } };
    },
  });
}
