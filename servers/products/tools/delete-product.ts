import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ProductId, ProductForClaude, forClaude } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerDeleteProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'delete_product'),
    input: z.strictObject({ product_id: ProductId }),
    output: z.object({ deleted: ProductForClaude }),
    run: async ({ product_id }) => {
      const deleted = await ctx.store.remove(product_id, ctx.actor('delete_product'));
      ctx.changed([deleted.category]);
      return { structured: { deleted: forClaude(deleted) } };
    },
  });
}
