import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ExpectedUpdatedAt, ProductId, ProductPatchFields, somethingToChange, forClaude, type ProductPatch } from '../schema.js';
import type { ProductsContext } from '../context.js';
import { splitFields, type FieldShapes } from '../tool-shapes.js';

/** What update_product takes and returns, for the catalog's fields as they are. */
export const updateProductShape = (s: FieldShapes) => ({
  input: ProductPatchFields.omit({ fields: true })
    .extend({ product_id: ProductId, expected_updated_at: ExpectedUpdatedAt, ...s.changes })
    .refine(somethingToChange, 'give at least one field to change'),
  output: z.object({ product: s.product, changed: z.boolean() }),
});

export function registerUpdateProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'update_product'),
    ...updateProductShape(ctx.shapes),
    run: async ({ product_id, expected_updated_at, ...args }, extra) => {
      const { builtIn, fields } = splitFields(args, ctx.fields);
      const patch = { ...(builtIn as ProductPatch), ...(fields ? { fields } : {}) };
      const { product, changed, before } = await ctx.store.update(
        product_id,
        patch,
        ctx.actor('update_product', extra),
        expected_updated_at,
      );
      if (changed) ctx.changed([before.category, product.category]);
      return { structured: { product: forClaude(product), changed } };
    },
  });
}
