import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ExpectedUpdatedAt, ProductId, Stock, forClaude } from '../schema.js';
import type { FieldShapes } from '../tool-shapes.js';
import type { ProductsContext } from '../context.js';

/** What update_stock takes and returns, for the catalog's fields as they are. */
export const updateStockShape = (s: FieldShapes) => ({
  input: z.strictObject({ product_id: ProductId, new_stock: Stock, expected_updated_at: ExpectedUpdatedAt }),
  output: z.object({ product: s.product, previous_stock: z.number(), changed: z.boolean() }),
});

export function registerUpdateStockTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'update_stock'),
    ...updateStockShape(ctx.shapes),
    run: async ({ product_id, new_stock, expected_updated_at }, extra) => {
      const { product, previousStock, changed } = await ctx.store.setStock(
        product_id,
        new_stock,
        ctx.actor('update_stock', extra),
        expected_updated_at,
      );
      if (changed) ctx.changed([product.category]);
      return { structured: { product: forClaude(product), previous_stock: previousStock, changed } };
    },
  });
}
