import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import type { ToolKit } from '../../shared/tooling.js';
import * as z from 'zod';
import { ProductPageOut, ProductQuery, forClaude } from '../schema.js';
import type { FieldShapes } from '../tool-shapes.js';
import { FIELD_TYPES } from '../fields.js';
import type { ProductsContext } from '../context.js';
import { CATALOG_VIEW_URI } from '../views.js';

/** What query_products takes and returns, for the catalog's fields as they are. */
export const queryProductsShape = (s: FieldShapes) => ({
  input: ProductQuery.extend({ where: s.where.optional() }),
  output: ProductPageOut.extend({
    products: z.array(s.product),
    fields: z
      .array(
        z.object({
          key: z.string(),
          label: z.string(),
          type: z.enum(FIELD_TYPES),
          choices: z.array(z.string()).nullable(),
        }),
      )
      .describe("The catalog's own fields, in order: each product carries its values under the key"),
    low_stock_below: z.number().int().describe('Under this stock the owner counts a product as low (their setting)'),
  }),
});

export function registerQueryProductsTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'query_products'),
    ...queryProductsShape(ctx.shapes),
    // Where views are shown, the results come as a table with stock badges (and inline edits when allowed).
    ui: CATALOG_VIEW_URI,
    run: async (q) => {
      const page = await ctx.store.query(q as ProductQuery);
      const fields = ctx.fields.map(({ key, label, type, choices }) => ({ key, label, type, choices }));
      return { structured: { ...page, products: page.products.map(forClaude), fields, low_stock_below: ctx.lowStockBelow() } };
    },
  });
}
