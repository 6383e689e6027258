import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ExpectedUpdatedAt, ProductId, ProductForClaude, Stock, forClaude } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerUpdateStockTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'update_stock'),
    input: z.strictObject({
      product_id: ProductId,
      new_stock: Stock,
      expected_updated_at: ExpectedUpdatedAt,
    }),
    output: z.object({ product: ProductForClaude, previous_stock: z.number(), changed: z.boolean() }),
    run: async ({ product_id, new_stock, expected_updated_at }) => {
      const { product, previousStock, changed } = await ctx.store.setStock(
        product_id,
        new_stock,
        ctx.actor('update_stock'),
        expected_updated_at,
      );
      if (changed) ctx.changed([product.category]);
      return { structured: { product: forClaude(product), previous_stock: previousStock, changed } };
    },
  });
}
