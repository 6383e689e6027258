import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ExpectedUpdatedAt, ProductId, ProductForClaude, ProductPatchFields, somethingToChange, forClaude } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerUpdateProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'update_product'),
    input: ProductPatchFields.extend({
      product_id: ProductId,
      expected_updated_at: ExpectedUpdatedAt,
    }).refine(somethingToChange, 'give at least one field to change'),
    output: z.object({ product: ProductForClaude, changed: z.boolean() }),
    run: async ({ product_id, expected_updated_at, ...patch }) => {
      const { product, changed, before } = await ctx.store.update(product_id, patch, ctx.actor('update_product'), expected_updated_at);
      if (changed) ctx.changed([before.category, product.category]);
      return { structured: { product: forClaude(product), changed } };
    },
  });
}
