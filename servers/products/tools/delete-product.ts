import { toolFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import { ToolError, type ToolKit } from '../../shared/tooling.js';
import { canConfirm, confirmInChat } from '../../shared/confirm.js';
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
    run: async ({ product_id }, extra) => {
      // Where the chat can show a question, the person confirms first, told what would go.
      // (Read first only when there is someone to ask: a delete without a question stays one write.)
      const product = canConfirm(ctx.server, extra) ? await ctx.store.get(product_id) : undefined;
      if (product) {
        const asked = await confirmInChat(
          ctx.server,
          extra,
          `Delete ${product.name} (${product.sku}, ${product.stock} in stock) from your catalog? You can undo it in MCP Tray.`,
        );
        if (asked.kind === 'ask') return { inputRequired: asked.result };
        if (asked.kind === 'refused') throw new ToolError(`Nothing was deleted: ${asked.why} to deleting ${product.name}.`, 'conflict');
      }
      const deleted = await ctx.store.remove(product_id, ctx.actor('delete_product', extra));
      ctx.changed([deleted.category]);
      return { structured: { deleted: forClaude(deleted) } };
    },
  });
}
