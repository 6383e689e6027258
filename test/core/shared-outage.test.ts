// Issue 13: when the shared database goes away mid-session, the products server stays up and
// answers in plain words; the first call after the database is back works, and changes made
// elsewhere are heard again (the LISTEN connection comes back by itself). A file of its own: it
// stops its PostgreSQL server.

import pg_ from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { testPostgres } from '../helpers/engines.js';
import { sharedDataDir } from '../helpers/postgres.js';
import { startHost } from '../helpers/host.js';
import { call, connect, tempDir, text, until, type Connected } from '../helpers/servers.js';

const open: Array<Connected | Host> = [];
afterAll(async () => {
  for (const o of open.splice(0)) await o.close();
});

it('a database that goes away: isError in plain words, the server stays up, and everything works again after', async () => {
  const pg = await testPostgres();
  const url = await pg.createDatabase();
  const dir = tempDir();
  await sharedDataDir(pg, dir, { url });
  const claude = await connect('products', dir);
  open.push(claude);
  const updated: string[] = [];
  claude.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
  await claude.client.subscribeResource({ uri: 'db://products/all' });
  expect((await call(claude.client, 'query_products', {})).isError).toBeFalsy();
  const h = await startHost({ dataDir: dir, autostart: false });
  open.push(h);

  pg.stop();
  const away = await call(claude.client, 'add_product', { name: 'While away', price: 1, category: 'X' });
  expect(away.isError).toBe(true);
  expect(text(away)).toMatch(/^The shared catalog at 127\.0\.0\.1:\d+ can't be reached \(.+\)\. Check that the database server is running/);
  expect(text(away)).not.toContain(pg.password);
  const read = await call(claude.client, 'query_products', { search: 'widget' });
  expect(read.isError).toBe(true);
  await expect(h.api.listProducts({})).rejects.toMatchObject({ code: 'unavailable' });
  expect(claude.transport.pid).toBeGreaterThan(0);
  // Home and the doctor say the same, instead of failing themselves.
  const setup = await h.api.getSetup();
  expect(setup.steps.find((st) => st.id === 'data')).toMatchObject({ state: 'problem', detail: expect.stringMatching(/can't be reached/) });
  const checks = await h.api.runChecks({ startServers: false });
  expect(checks.checks.find((c) => c.id === 'shared-catalog')).toMatchObject({
    ok: false,
    detail: expect.stringMatching(/can't be reached/),
  });

  pg.start();
  const back = await call(claude.client, 'add_product', { name: 'After', price: 2, category: 'X' });
  expect(back.isError).toBeFalsy();
  expect((await h.api.listProducts({ search: 'After' })).total).toBe(1);
  expect((await h.api.listProducts({ search: 'While away' })).total).toBe(0);
  expect((await h.api.runChecks({ startServers: false })).checks.find((c) => c.id === 'shared-catalog')).toMatchObject({
    ok: true,
    detail: 'reachable, 6 products',
  });
  // The listener reconnected: a change made through the window reaches Claude's subscription again.
  updated.length = 0;
  await until(async () => {
    await h.api.updateProduct({ id: 1, patch: { stock: Math.floor(Math.random() * 1000) } });
    return updated.includes('db://products/all');
  }, 'resources/updated after the database came back');
});

// Issue 23.4.4: an import the database's outage interrupted was half-applied while the CLI said
// "nothing was changed", and only the computer that started it could take it back.
it('an import the outage interrupts says what stayed; once the database is back, another computer takes it back after a while', async () => {
  const pg = await testPostgres();
  const url = await pg.createDatabase();
  const dir = tempDir();
  await sharedDataDir(pg, dir, { url });
  const h = await startHost({ dataDir: dir, autostart: false });
  open.push(h);
  const before = (await h.api.listProducts({})).total;
  const csv = ['sku,name,price,category', ...Array.from({ length: 30_000 }, (_, i) => `OUT-${i},Outage ${i},1,Outage`)].join('\n');
  const preview = await h.api.previewImport({ csv, file: 'outage.csv' });
  let stopped = false;
  h.on('event', (e: HostEvent) => {
    if (!stopped && e.type === 'import-progress' && e.phase === 'writing' && e.done > 0) {
      stopped = true;
      pg.stop();
    }
  });
  const failure = await h.api.commitImport({ token: preview.token }).then(
    () => null,
    (err: Error) => err,
  );
  expect(failure?.message).toMatch(
    /^The import stopped after [\d,]+ of 30,000 rows: The shared catalog at 127\.0\.0\.1:\d+ can't be reached \(.+\)\. Check that the database server is running and that this computer may connect to it\. The rows written so far are still in the catalog, marked as an unfinished import/,
  );
  expect(failure?.message).not.toMatch(/nothing was changed/i);
  pg.start();

  // The writer is now "another computer" that lost the database long ago (as seen from here).
  const db = new pg_.Client({
    host: '127.0.0.1',
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: url.split('/').pop()!.split('?')[0],
  });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT id FROM imports WHERE status = 'running'`);
    expect(rows).toHaveLength(1);
    const importId = rows[0].id as string;
    expect(Number((await db.query('SELECT count(*) FROM products')).rows[0].count)).toBeGreaterThan(before);
    await db.query(`UPDATE imports SET owner = 'another-computer:4242' WHERE id = $1`, [importId]);
    // Written a minute ago: its writer may still be at work, so it is left alone.
    await db.query(`UPDATE changes SET at = $2 WHERE import_id = $1`, [importId, new Date(Date.now() - 60_000).toISOString()]);
    const early = await startHost({ dataDir: dir, autostart: false });
    open.push(early);
    expect((await db.query(`SELECT status FROM imports WHERE id = $1`, [importId])).rows[0].status).toBe('running');
    // Nothing written for an hour: its writer is gone, and this install takes it back.
    await db.query(`UPDATE changes SET at = $2 WHERE import_id = $1`, [importId, new Date(Date.now() - 3_600_000).toISOString()]);
    const later = await startHost({ dataDir: dir, autostart: false });
    open.push(later);
    await until(
      async () => (await db.query(`SELECT status FROM imports WHERE id = $1`, [importId])).rows[0].status === 'cancelled',
      'the rollback',
    );
    expect((await later.api.listProducts({})).total).toBe(before);
  } finally {
    await db.end();
  }
}, 120_000);
