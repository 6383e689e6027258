import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import type { ToolKit } from '../../shared/tooling.js';
import { NewProduct, forClaude, type NewProduct as NewProductInput } from '../schema.js';
import type { ProductsContext } from '../context.js';
import { splitFields, type FieldShapes } from '../tool-shapes.js';

/** What add_product takes and returns, for the catalog's fields as they are. */
export const addProductShape = (s: FieldShapes) => ({ input: NewProduct.omit({ fields: true }).extend(s.values), output: s.product });

export function registerAddProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    ...toolFacts(products, 'add_product'),
    ...addProductShape(ctx.shapes),
    run: async (args, extra) => {
      const { builtIn, fields } = splitFields(args, ctx.fields);
      const product = await ctx.store.add({ ...(builtIn as NewProductInput), fields }, ctx.actor('add_product', extra));
      ctx.changed([product.category]);
      return { structured: forClaude(product) };
    },
  });
}
