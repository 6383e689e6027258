import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import { ToolError, type ToolKit } from '../../shared/tooling.js';
import { ProductId, forClaude } from '../schema.js';
import type { FieldShapes } from '../tool-shapes.js';
import type { ProductsContext } from '../context.js';

const input = z
  .strictObject({
    product_id: ProductId.optional(),
    sku: z.string().max(64).optional(),
  })
  .refine((a) => (a.product_id === undefined) !== (a.sku === undefined), 'give exactly one of product_id or sku');

/** What get_product takes and returns, for the catalog's fields as they are. */
export const getProductShape = (s: FieldShapes) => ({ input, output: s.product });

export function registerGetProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'get_product'),
    ...getProductShape(ctx.shapes),
    run: async ({ product_id, sku }) => {
      if (product_id !== undefined) return { structured: forClaude(await ctx.store.require(product_id)) };
      const product = await ctx.store.getBySku(sku!.trim());
      if (!product) throw new ToolError(`No product with SKU "${sku}". Use query_products with search to find it.`, 'not_found');
      return { structured: forClaude(product) };
    },
  });
}
