// Issue 13: when the shared database goes away mid-session, the products server stays up and
// answers in plain words; the first call after the database is back works, and changes made
// elsewhere are heard again (the LISTEN connection comes back by itself). A file of its own: it
// stops its PostgreSQL server.
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
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
  claude.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
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
