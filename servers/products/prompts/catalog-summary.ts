import { promptFacts } from '../../shared/definition.js';
import { products } from '../definition.js';
import type { ProductsContext } from '../context.js';

export function registerCatalogSummaryPrompt(ctx: ProductsContext) {
  ctx.server.registerPrompt('catalog_summary', promptFacts(products, 'catalog_summary'), async () => {
    const [stats, list] = await Promise.all([ctx.store.stats(), ctx.store.categories()]);
    const categories = list.map((c) => `- ${c.name}: ${c.count} products (${c.count - c.inStock} sold out)`).join('\n');
    return {
      description: 'Summary of the product catalog',
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Summarise my product catalog for me in a few short paragraphs.\n\n` +
              `Products: ${stats.products}; units in stock: ${stats.units}; sold out: ${stats.soldOut}; ` +
              `low on stock (under 10): ${stats.lowStock}; stock value at list price: ${stats.stockValue.toFixed(2)}.\n` +
              `Categories:\n${categories || '(none)'}\n\n` +
              'Use the query_products tool if you need details about particular products.',
          },
        },
      ],
    };
  });
}
