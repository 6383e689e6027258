import { promptFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import * as z from 'zod';
import type { ProductsContext } from '../context.js';

export function registerRestockReportPrompt(ctx: ProductsContext) {
  ctx.server.registerPrompt(
    'restock_report',
    {
      ...promptFacts(products, 'restock_report'),
      argsSchema: {
        threshold: z
          .string()
          .regex(/^\d{1,9}$/, 'threshold must be a whole number')
          .optional()
          .describe("Stock level below which a product counts as low (default: the owner's setting in MCP Tray, 10 unless changed)"),
      },
    },
    async ({ threshold }) => {
      const below = threshold ? Number(threshold) : ctx.lowStockBelow();
      const page = await ctx.store.query({ low_stock_below: below, sort: 'stock', order: 'asc', limit: 100 });
      const lines = page.products.map(
        (p) => `- ${p.name} (id ${p.id}, SKU ${p.sku}, ${p.category}): ${p.stock} in stock, price ${p.price.toFixed(2)}`,
      );
      const more =
        page.total > page.products.length
          ? `\n(${page.total - page.products.length} more not shown; use query_products with low_stock_below=${below} to see them.)`
          : '';
      return {
        description: `Restock report for products with fewer than ${below} units`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text:
                `Write a short restock report for my shop. These ${page.total} products have fewer than ${below} units in stock:\n` +
                (lines.length ? lines.join('\n') : '(none: every product has enough stock)') +
                more +
                '\n\nGroup them by urgency (sold out first), suggest how many to reorder of each, and point out anything unusual. ' +
                'Do not change any stock levels unless I ask.',
            },
          },
        ],
      };
    },
  );
}
