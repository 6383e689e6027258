// Issue 10, goal 2 (in part): a caller never reads SQLite's raw "database is locked". While another
// connection holds the write lock past the busy timeout, a write tool answers in plain words, and
// the next call after the lock is gone works.
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';
import { sqliteCatalog } from '../../servers/products/sqlite/catalog.js';
import { createProductsServer } from '../../servers/products/server.js';
import { CatalogSource } from '../../servers/products/source.js';
import { PRODUCTS_MIGRATIONS } from '../../servers/products/sqlite/catalog.js';
import { openDatabase } from '../../servers/shared/db.js';
import { BUSY_MESSAGE } from '../../servers/shared/errors.js';
import { tempDir } from '../helpers/servers.js';

it('a write while another program holds the lock: the plain-words answer, nothing half-written, then it works', async () => {
  const file = path.join(tempDir(), 'products.db');
  // A short busy timeout so the test does not wait the real 10 s.
  const db = openDatabase(file, { migrations: PRODUCTS_MIGRATIONS, busyTimeoutMs: 100 });
  const built = createProductsServer({ source: new CatalogSource(sqliteCatalog(db)) });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'claude-ai', version: '1' });
  await built.server.connect(a);
  await client.connect(b);
  const other = new Database(file);
  try {
    const before = db.prepare('SELECT count(*) FROM products').pluck().get();
    other.exec('BEGIN IMMEDIATE'); // an import being saved, say
    const r = (await client.callTool({ name: 'add_product', arguments: { name: 'Blocked', price: 1, category: 'X' } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(r.content).toEqual([{ type: 'text', text: BUSY_MESSAGE }]);
    expect(JSON.stringify(r)).not.toMatch(/locked|SQLITE/i);
    // Reads still work while the lock is held (WAL).
    const read = (await client.callTool({ name: 'query_products', arguments: {} })) as CallToolResult;
    expect(read.isError).toBeFalsy();
    other.exec('ROLLBACK');
    expect(db.prepare('SELECT count(*) FROM products').pluck().get()).toBe(before);
    const ok = (await client.callTool({ name: 'add_product', arguments: { name: 'Later', price: 1, category: 'X' } })) as CallToolResult;
    expect(ok.isError).toBeFalsy();
  } finally {
    other.close();
    await client.close();
    await built.close();
    db.close();
  }
});
