import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ExpectedUpdatedAt, ProductId, ProductOut, ProductPatchFields, somethingToChange } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerUpdateProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    name: 'update_product',
    title: 'Change a product',
    description:
      'Change one or more fields of an existing product (name, price, category, stock, sku, description). ' +
      'Only the fields you give are changed. Returns the product as it is now and whether anything changed.',
    input: ProductPatchFields.extend({
      product_id: ProductId,
      expected_updated_at: ExpectedUpdatedAt,
    }).refine(somethingToChange, 'give at least one field to change'),
    output: z.object({ product: ProductOut, changed: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    run: async ({ product_id, expected_updated_at, ...patch }) => {
      const { product, changed, before } = await ctx.store.update(product_id, patch, ctx.actor('update_product'), expected_updated_at);
      if (changed) ctx.changed([before.category, product.category]);
      return { structured: { product, changed } };
    },
  });
}
