import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import type { ToolKit } from '../../shared/tooling.js';
import { NewProduct, ProductForClaude, forClaude } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerAddProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'add_product'),
    input: NewProduct,
    output: ProductForClaude,
    run: async (input) => {
      const product = await ctx.store.add(input, ctx.actor('add_product'));
      ctx.changed([product.category]);
      return { structured: forClaude(product) };
    },
  });
}
