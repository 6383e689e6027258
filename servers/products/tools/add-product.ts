import type { ToolKit } from '../../shared/tooling.js';
import { NewProduct, ProductOut } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerAddProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    name: 'add_product',
    title: 'Add a product',
    description:
      'Add a new product to the catalog. name, price (e.g. 24.99, at most two decimals) and category are required; ' +
      'stock defaults to 0, sku is generated when omitted. An existing category is matched case-insensitively. ' +
      'Returns the new product with its id.',
    input: NewProduct,
    output: ProductOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    run: async (input) => {
      const product = await ctx.store.add(input, ctx.actor('add_product'));
      ctx.changed([product.category]);
      return { structured: product };
    },
  });
}
