// A 100,000-product catalog for the benchmarks, plus the same rows in the seed guide's shape.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`;

export const N = 100_000;
export const CATEGORIES = 50;

/** The benchmarks' filtered query: a category, a price range, in stock, sorted by price, a page of 20. */
export const queryFor = (i) => ({
  category: `Category ${i % CATEGORIES}`,
  min_price: 10 + (i % 7) * 20,
  max_price: 400 + (i % 5) * 100,
  in_stock: true,
  sort: 'price',
  limit: 20,
});

export function buildCatalog(root, dir) {
  fs.mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    // Let the server create and migrate the database, then bulk-load it.
    const child = spawn(process.execPath, [path.join(root, 'dist', 'servers', 'products.cjs'), '--data-dir', dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdin.write(INIT);
    child.stdout.once('data', () => child.stdin.end());
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`server exited ${code}`))));
  }).then(() => {
    const db = new Database(path.join(dir, 'products.db'));
    const seedWay = new Database(path.join(dir, 'seed-way.db'));
    seedWay.exec('CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL, category TEXT, stock INTEGER)');
    const at = new Date().toISOString();
    const ins = db.prepare(
      'INSERT INTO products (id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insSeed = seedWay.prepare('INSERT INTO products (id, name, price, category, stock) VALUES (?, ?, ?, ?, ?)');
    let x = 42;
    const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    // The search index is filled once at the end ('rebuild'), not by its per-row trigger: row by row
    // in one transaction, each statement flushes FTS5's pending terms and 100k rows take ~35 s.
    const trigger = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'products_search_ai'`).pluck().get();
    db.transaction(() => {
      db.exec('DELETE FROM products; DELETE FROM changes; DROP TRIGGER products_search_ai;');
      seedWay.transaction(() => {
        for (let i = 1; i <= N; i++) {
          const cents = Math.floor(rand() * 100000) + 99;
          const stock = rand() < 0.1 ? 0 : Math.floor(rand() * 500);
          const cat = `Category ${i % CATEGORIES}`;
          const name = `Product ${i} ${['red', 'blue', 'green', 'steel', 'oak'][i % 5]}`;
          const description = `A product for benchmarking, ${['sturdy', 'light', 'compact', 'handmade', 'recycled'][i % 5]} and ${i % 3 ? 'boxed' : 'loose'}`;
          // What the store writes (servers/products/rows.ts, searchText): each field lower-cased, joined by U+001F.
          const search = [name, `B-${i}`, description, cat].map((f) => f.toLowerCase()).join('\u001f');
          ins.run(i, `B-${i}`, name, description, cents, cat, stock, at, at, search);
          insSeed.run(i, name, cents / 100, cat, stock);
        }
      })();
      // …and then left in one segment, as the app leaves it after an import (ProductStore.tidyStep).
      db.exec(
        `INSERT INTO products_search(products_search) VALUES ('rebuild'); INSERT INTO products_search(products_search) VALUES ('optimize'); ${trigger};`,
      );
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
    db.close();
    seedWay.close();
  });
}
