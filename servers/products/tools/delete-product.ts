import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ProductId, forClaude } from '../schema.js';
import type { FieldShapes } from '../tool-shapes.js';
import type { ProductsContext } from '../context.js';

/** What delete_product takes and returns, for the catalog's fields as they are. */
export const deleteProductShape = (s: FieldShapes) => ({
  input: z.strictObject({ product_id: ProductId }),
  output: z.object({ deleted: s.product }),
});

export function registerDeleteProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'delete_product'),
    ...deleteProductShape(ctx.shapes),
    run: async ({ product_id }) => {
      const deleted = await ctx.store.remove(product_id, ctx.actor('delete_product'));
      ctx.changed([deleted.category]);
      return { structured: { deleted: forClaude(deleted) } };
    },
  });
}
