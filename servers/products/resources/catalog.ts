import { ResourceTemplate } from '@modelcontextprotocol/server';
import { ProtocolErrorCode, ProtocolError, type ReadResourceResult } from '@modelcontextprotocol/server';
import { StoreError } from '../../shared/errors.js';
import type { ProductsContext } from '../context.js';
import { forClaude } from '../schema.js';
import { toWellFormed } from '../../shared/visible.js';

export const ALL_URI = 'db://products/all';
/** A category's resource; a stored category with half a character (written before such text was refused) still gets one. */
export const categoryUri = (category: string) => `db://products/category/${encodeURIComponent(toWellFormed(category).toLowerCase())}`;
const PAGE = 100;

/**
 * A resource is read whole, so a large catalog is served a page at a time: each page says the
 * total and gives next_uri (the same resource with ?cursor=…) for the next one.
 */
async function readPage(ctx: ProductsContext, uri: URL, category?: string): Promise<ReadResourceResult> {
  const cursor = uri.searchParams.get('cursor') ?? undefined;
  let page;
  try {
    page = await ctx.store.query({ category, cursor, limit: PAGE, sort: 'id' });
  } catch (err) {
    if (err instanceof StoreError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${uri.href}: ${err.message}`);
    throw err;
  }
  const base = category === undefined ? ALL_URI : categoryUri(category);
  const body = {
    ...(category !== undefined ? { category: page.products[0]?.category ?? category } : {}),
    total: page.total,
    count: page.products.length,
    products: page.products.map(forClaude),
    next_uri: page.next_cursor ? `${base}?cursor=${page.next_cursor}` : null,
  };
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }] };
}

export function registerCatalogResources(ctx: ProductsContext) {
  const { server } = ctx;
  server.registerResource(
    'all-products',
    ALL_URI,
    {
      title: 'All products',
      description: `Every product in the catalog, ${PAGE} per page (follow next_uri for more).`,
      mimeType: 'application/json',
    },
    (uri) => readPage(ctx, uri),
  );
  server.registerResource(
    'all-products-page',
    new ResourceTemplate(`${ALL_URI}{?cursor}`, { list: undefined }),
    { title: 'All products (next page)', description: 'A further page of db://products/all', mimeType: 'application/json' },
    (uri) => readPage(ctx, uri),
  );
  server.registerResource(
    'products-by-category',
    new ResourceTemplate('db://products/category/{category}', {
      list: async () => ({
        resources: (await ctx.store.categories()).map((c) => ({
          uri: categoryUri(c.name),
          name: `${c.name} products`,
          title: `${c.name} (${c.count} product${c.count === 1 ? '' : 's'})`,
          mimeType: 'application/json',
        })),
      }),
      complete: {
        category: async (value) =>
          (await ctx.store.categories()).map((c) => c.name.toLowerCase()).filter((c) => c.startsWith(value.toLowerCase())),
      },
    }),
    {
      title: 'Products in a category',
      description: `The products of one category (lower-case name in the URI), ${PAGE} per page.`,
      mimeType: 'application/json',
    },
    async (uri) => {
      // The path is /category/<name>; a ?cursor=… query may follow.
      const segment = uri.pathname.split('/').pop() ?? '';
      let category: string;
      try {
        category = decodeURIComponent(segment);
      } catch {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri.href} not found: the category is not valid URI text`);
      }
      const canonical = await ctx.store.canonicalCategory(category);
      if (!canonical) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri.href} not found: no category "${category}"`, {
          uri: uri.href,
        });
      }
      return readPage(ctx, uri, canonical);
    },
  );
}
