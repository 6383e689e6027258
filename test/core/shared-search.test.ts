// Issue 13: the shared catalog finds exactly what the file on this computer finds — the same
// property test as test/servers/search.test.ts (a case-insensitive substring scan of all four
// fields is the reference), against PostgreSQL: every script, marks, emoji, LIKE's own characters.
import { expect, it } from 'vitest';
import { openPgCatalog } from '../../servers/products/postgres/catalog.js';
import { parsePgUrl } from '../../servers/products/postgres/connect.js';
import { testPostgres } from '../helpers/engines.js';
import { matches, queriesFor, randomProducts, rng } from '../helpers/search-cases.js';

it('search on PostgreSQL equals a case-insensitive substring scan, for 1,500 queries of every length and script', async () => {
  const pg = await testPostgres();
  const catalog = await openPgCatalog(parsePgUrl(await pg.createDatabase()).target, pg.password, { strict: true });
  try {
    const r = rng(20261128);
    await catalog.upsertMany(randomProducts(r, 400), { source: 'app', client: 'MCP Tray' });
    const all = (await catalog.list({ limit: 100_000 })).rows;
    expect(all).toHaveLength(400);
    expect(catalog.shared.searchIndexed).toBe(true);
    let checked = 0;
    for (const q of queriesFor(r, all)) {
      const page = await catalog.list({ search: q, limit: 100_000 });
      const got = page.rows.map((p) => p.id).sort((a, b) => a - b);
      const want = all
        .filter((p) => matches(p, q))
        .map((p) => p.id)
        .sort((a, b) => a - b);
      expect({ q, got, total: page.total }).toEqual({ q, got: want, total: want.length });
      checked++;
    }
    expect(checked).toBeGreaterThan(1400);
  } finally {
    await catalog.close();
  }
});
