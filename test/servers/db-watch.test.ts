// Issue 10, goal 3: a change made by another process reaches subscribers at once. The poll is now
// the fallback; here it is set to a minute, so only the file events can explain a prompt answer.
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { openProductsDb } from '../../servers/products/sqlite/catalog.js';
import { watchDataVersion } from '../../servers/shared/db.js';
import { tempDir, until } from '../helpers/servers.js';

it("another connection's commit is seen from the -wal file's events, long before the (one-minute) poll", async () => {
  const file = path.join(tempDir(), 'products.db');
  const db = openProductsDb(file);
  let seen = 0;
  const stop = watchDataVersion(db, 60_000, () => seen++);
  const other = new Database(file);
  try {
    for (let i = 1; i <= 3; i++) {
      other.prepare('UPDATE products SET stock = stock + 1 WHERE id = 1').run();
      await until(() => seen === i, `change ${i} to be seen`, 10_000);
    }
    // Its own commits are not "changes made elsewhere".
    db.prepare('UPDATE products SET stock = 7 WHERE id = 2').run();
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toBe(3);
  } finally {
    stop();
    other.close();
    db.close();
  }
});
