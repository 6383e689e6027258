import * as z from 'zod';
import type { ToolKit } from '../../shared/tooling.js';
import { ProductId, ProductOut } from '../schema.js';
import type { ProductsContext } from '../context.js';

export function registerDeleteProductTool(kit: ToolKit, ctx: ProductsContext) {
  return kit.add({
    name: 'delete_product',
    title: 'Delete a product',
    description:
      'Remove a product from the catalog permanently (the owner can undo it in MCP Tray). Returns the deleted product. ' +
      'Confirm with the user before deleting.',
    input: z.strictObject({ product_id: ProductId }),
    output: z.object({ deleted: ProductOut }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    run: async ({ product_id }) => {
      const deleted = await ctx.store.remove(product_id, ctx.actor('delete_product'));
      ctx.changed([deleted.category]);
      return { structured: { deleted } };
    },
  });
}
