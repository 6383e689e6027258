// Issue 13: a team's shared catalog on PostgreSQL. Real parts: a throwaway PostgreSQL cluster, the
// host API as the window uses it, the built products server as child processes over stdio (as
// Claude starts them from two computers' data folders), the CLI.
import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pgDriver from 'pg';

import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { openDirCatalog, testPostgres } from '../helpers/engines.js';
import { sharedDataDir, startPostgres } from '../helpers/postgres.js';
import { startHost } from '../helpers/host.js';
import { ROOT, call, connect, tempDir, text, until, type Connected } from '../helpers/servers.js';

const exec = promisify(execFile);
const hosts: Host[] = [];
const clients: Connected[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

async function host(dataDir = tempDir()): Promise<Host> {
  const h = await startHost({ dataDir, autostart: false });
  hosts.push(h);
  return h;
}

async function server(dataDir: string, clientName = 'claude-ai'): Promise<Connected> {
  const c = await connect('products', dataDir, { clientName });
  clients.push(c);
  return c;
}

/** Everything a catalog holds, as the host API reads it: products in id order, the whole history, the imports. */
async function everything(h: Host) {
  const products = (await h.api.listProducts({ sort: 'id', limit: 1000 })).rows;
  const changes = await h.api.listChanges({ limit: 500 });
  const imports = await h.api.listImports();
  return { products, changes, imports };
}

describe('a shared catalog on PostgreSQL', () => {
  it("moves this computer's catalog up exactly, and back down exactly", async () => {
    const pg = await testPostgres();
    const a = await host();
    // History of every kind: an edit, an import (undone as a unit later), a delete and an undo.
    const widget = (await a.api.listProducts({ search: 'Widget A' })).rows[0]!;
    await a.api.updateProduct({ id: widget.id, patch: { price: 31.5 } });
    const preview = await a.api.previewImport({
      csv: 'sku,name,price,category\nNEW-1,Lamp,12,Home\nSKU-000002,Widget B v2,55,electronics',
    });
    await a.api.commitImport({ token: preview.token });
    await a.api.deleteProduct({ id: 5 });
    const before = await everything(a);
    expect(before.products.length).toBe(5);

    const url = await pg.createDatabase();
    const progress: HostEvent[] = [];
    a.on('event', (e) => e.type === 'catalog-progress' && progress.push(e));
    const loc = await a.api.useDatabase({ url, password: pg.password, copy: true });
    expect(loc).toMatchObject({ engine: 'postgres', url, searchIndexed: true, passwordSaved: true });
    expect(progress.at(-1)).toMatchObject({ done: expect.any(Number), total: expect.any(Number) });
    expect(await everything(a)).toEqual(before);
    // Undo works on the copied history: the whole import, then the edit.
    await a.api.undoImport({ id: before.imports[0]!.id });
    await a.api.undoChange({ id: before.changes.find((c) => c.productId === widget.id && c.action === 'update')!.id });
    const shared = await everything(a);
    expect(shared.products.find((p) => p.id === widget.id)!.price).toBe(29.99);
    expect(shared.products.some((p) => p.sku === 'NEW-1')).toBe(false);

    // Copying into a database that has a catalog is refused: nothing there is overwritten.
    const b = await host();
    await expect(b.api.useDatabase({ url, password: pg.password, copy: true })).rejects.toThrow(/already has 4 products or a history/);
    expect((await b.api.getCatalogLocation()).engine).toBe('sqlite');

    // Back down, over this computer's file (backed up first): exactly the shared catalog.
    const down = await a.api.useLocalCatalog({ copy: true });
    expect(down).toMatchObject({ engine: 'sqlite', passwordSaved: false });
    expect(await everything(a)).toEqual(shared);
    expect(fs.readdirSync(path.join(a.dataDir, 'backups', 'data')).some((d) => d.endsWith('before-copy-from-shared'))).toBe(true);
  });

  it("Claude's running server follows the move: its next call works on the shared catalog, and back", async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const dir = tempDir();
    const claude = await server(dir);
    const h = await host(dir);
    await h.api.useDatabase({ url, password: pg.password, copy: true });
    await until(async () => {
      const r = await call(claude.client, 'add_product', { name: `Moved ${Date.now()}`, price: 1, category: 'X' });
      return (await h.api.listProducts({ search: 'Moved' })).total > 0 && !r.isError;
    }, "Claude's server writing to the shared catalog");
    const onShared = (await h.api.listProducts({ search: 'Moved' })).total;
    await h.api.useLocalCatalog({ copy: false });
    expect((await h.api.listProducts({ search: 'Moved' })).total).toBe(0); // this computer's file never had them
    await until(async () => {
      const r = await call(claude.client, 'query_products', { search: 'Moved' });
      return (r.structuredContent as { total: number }).total === 0;
    }, "Claude's server back on this computer's file");
    expect(onShared).toBeGreaterThan(0);
  });

  it('a move that did not finish (the file marked, the settings not yet saved) leaves the file usable at the next start', async () => {
    const dir = tempDir();
    const first = await host(dir);
    await first.api.listProducts({});
    // The MCP Tray that marked the file stopped right after (its process is gone).
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const file = await openDirCatalog(dir);
    file
      .local!.db.prepare(`INSERT INTO catalog_meta (key, value) VALUES ('moved_to', 'db.example:5432/shop'), ('moved_by', ?)`)
      .run(`${os.hostname()}:${gone}`);
    await expect(file.add({ name: 'Refused', price: 1, category: 'X' }, { source: 'app', client: 'test' })).rejects.toThrow(
      /The catalog has moved to the shared database at db\.example:5432\/shop; nothing was changed/,
    );
    await file.close();
    await hosts.splice(0).pop()!.close();
    const again = await host(dir);
    expect(await again.api.createProduct({ name: 'Accepted', price: 1, category: 'X' })).toMatchObject({ name: 'Accepted' });
  });

  it('a command started while an MCP Tray is moving the catalog leaves the move alone (its mark stays, writes to the file stay refused)', async () => {
    const dir = tempDir();
    const app = await host(dir);
    await app.api.listProducts({});
    const file = await openDirCatalog(dir);
    await file.local!.markMoved('db.example:5432/shop'); // this (live) process is moving the catalog
    // Meanwhile `mcp-tray status` starts on the same folder: the settings still say "this computer".
    const cli = await host(dir);
    await expect(cli.api.createProduct({ name: 'Lost', price: 1, category: 'X' })).rejects.toThrow(
      /The catalog has moved to the shared database/,
    );
    await expect(file.add({ name: 'Lost too', price: 1, category: 'X' }, { source: 'mcp', client: 'Claude Desktop' })).rejects.toThrow(
      /nothing was changed/,
    );
    await file.local!.markMoved(null); // the move failed and took its mark back
    expect(await cli.api.createProduct({ name: 'Accepted', price: 1, category: 'X' })).toMatchObject({ name: 'Accepted' });
    await file.close();
  });

  it('two installs on one database: a change in one reaches a client subscribed through the other', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const first = tempDir();
    const second = tempDir();
    await sharedDataDir(pg, first, { url });
    await sharedDataDir(pg, second, { url, seed: false });
    const watcher = await server(second);
    const updated: string[] = [];
    watcher.client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    await watcher.client.subscribeResource({ uri: 'db://products/all' });
    await watcher.client.subscribeResource({ uri: 'db://products/category/tools' });

    const writer = await server(first, 'claude-ai');
    const r = await call(writer.client, 'update_stock', { product_id: 4, new_stock: 7 });
    expect(r.isError).toBeFalsy();
    await until(
      () => updated.includes('db://products/all') && updated.includes('db://products/category/tools'),
      'the other install hears of it',
    );
    const seen = await call(watcher.client, 'get_product', { product_id: 4 });
    expect(seen.structuredContent).toMatchObject({ stock: 7 });

    // The window of the second install sees it too, and the history says which computer made it.
    const h = await host(second);
    const changes = await h.api.listChanges({ limit: 5 });
    expect(changes[0]).toMatchObject({
      client: 'Claude Desktop',
      tool: 'update_stock',
      origin: expect.stringMatching(/@/),
      session: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('2 × 150 concurrent adds from two installs: every product is there and every add is in the history', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const dirs = [tempDir(), tempDir()];
    await sharedDataDir(pg, dirs[0]!, { url });
    await sharedDataDir(pg, dirs[1]!, { url, seed: false });
    const [a, b] = await Promise.all(dirs.map((d) => server(d)));
    const adds = (s: Connected, who: string) =>
      Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          call(s.client, 'add_product', { name: `${who} ${i}`, price: 1 + i / 100, category: i % 2 ? 'Even' : 'odd', sku: `${who}-${i}` }),
        ),
      );
    const results = [...(await adds(a!, 'A')), ...(await adds(b!, 'B'))].concat(...(await Promise.all([adds(a!, 'C'), adds(b!, 'D')])));
    expect(results.filter((r) => r.isError).map(text)).toEqual([]);
    const h = await host(dirs[0]);
    const all = await h.api.listProducts({ limit: 1000, sort: 'id' });
    expect(all.total).toBe(5 + 600);
    expect(new Set(all.rows.map((p) => p.id)).size).toBe(605);
    // One category spelling each, whichever install added first.
    expect((await h.api.listCategories()).map((c) => c.name).filter((n) => /^(even|odd)$/i.test(n))).toHaveLength(2);
    const history = await h.api.listChanges({ limit: 500 });
    const older = await h.api.listChanges({ limit: 500, beforeId: history.at(-1)!.id });
    const creates = [...history, ...older].filter((c) => c.action === 'create');
    expect(creates).toHaveLength(600);
    expect(new Set(creates.map((c) => c.productId)).size).toBe(600);
  });

  it('an edit based on what someone else has since changed is refused, saying what they changed; so is undo of a change built on', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const mine = tempDir();
    const theirs = tempDir();
    await sharedDataDir(pg, mine, { url });
    await sharedDataDir(pg, theirs, { url, seed: false });
    const h = await host(mine);
    const shown = (await h.api.listProducts({ search: 'Tool Y' })).rows[0]!;
    const own = await h.api.updateProduct({ id: shown.id, patch: { stock: 90 }, expectedUpdatedAt: shown.updated_at });
    expect(own.stock).toBe(90);

    const claude = await server(theirs);
    await call(claude.client, 'update_product', { product_id: shown.id, price: 85 });
    const stale = h.api.updateProduct({ id: shown.id, patch: { name: 'Tool Y (old)' }, expectedUpdatedAt: own.updated_at });
    await expect(stale).rejects.toThrow(
      /Someone else changed product 4 \(Tool Y\) after you read it \(Claude Desktop on .+ changed price 79\.99 → 85/,
    );
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect((await h.api.listProducts({ search: 'Tool Y' })).rows[0]).toMatchObject({ name: 'Tool Y', price: 85, stock: 90 });

    // Claude on the other computer reads, then is overtaken too: its tool says so.
    const read = (await call(claude.client, 'get_product', { product_id: 4 })).structuredContent as { updated_at: string };
    await h.api.updateProduct({ id: 4, patch: { stock: 12 } });
    const late = await call(claude.client, 'update_product', { product_id: 4, stock: 1, expected_updated_at: read.updated_at });
    expect(late.isError).toBe(true);
    expect(text(late)).toMatch(/MCP Tray on .+ changed stock 90 → 12/);

    // Undoing my stock change now would throw away what came after it: refused, naming it.
    const mineChange = (await h.api.listChanges({ limit: 10 })).find((c) => c.before?.stock === 100 && c.after?.stock === 90)!;
    await expect(h.api.undoChange({ id: mineChange.id })).rejects.toThrow(
      /Cannot undo: product 4 \(Tool Y\) was changed again after this change \(Claude Desktop on .+ changed price 79\.99 → 85 at .+; MCP Tray on .+ changed stock 90 → 12 at .+\); undo the later change first/,
    );
  });

  it('kept search totals follow a change made here and one announced by another install', async () => {
    const pg = await testPostgres();
    const dirs = [tempDir(), tempDir()];
    const url = await sharedDataDir(pg, dirs[0]!);
    await sharedDataDir(pg, dirs[1]!, { url, seed: false });
    const [a, b] = await Promise.all(dirs.map((d) => openDirCatalog(d)));
    try {
      let heard = 0;
      let stock = 0;
      const stop = a!.watch(() => heard++);
      await until(async () => {
        await b!.setStock(1, ++stock, { source: 'app', client: 'B' }); // until a's LISTEN connection is up
        return heard > 0;
      }, 'the first announcement');
      const app = { source: 'app' as const, client: 'A' };
      expect((await a!.list({ search: 'widget' })).total).toBe(2);
      expect((await a!.list({ search: 'widget' })).total).toBe(2); // kept
      await a!.add({ name: 'Widget C', price: 1, category: 'X' }, app);
      expect((await a!.list({ search: 'widget' })).total).toBe(3);
      await b!.add({ name: 'Widget D', price: 1, category: 'X' }, { source: 'app', client: 'B' });
      await until(async () => (await a!.list({ search: 'widget' })).total === 4, 'the total after the other install added one');
      stop();
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('the password is only in the secret file: not in settings, a config entry, a log or any process line', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const dir = tempDir();
    const h = await startHost({ dataDir: dir });
    hosts.push(h);
    await h.api.useDatabase({ url, password: pg.password, copy: true });
    await h.api.connectClient({ client: 'claude-desktop' });
    await h.api.restartServer({ server: 'products' });
    const r = await h.api.callTool({ server: 'products', tool: 'query_products', args: { search: 'widget' } });
    expect(r.isError).toBeFalsy();
    const claude = await server(dir);
    expect((await call(claude.client, 'query_products', {})).isError).toBeFalsy();

    const secret = path.join(dir, 'catalog-secret.json');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    const holders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (fs.readFileSync(f).includes(pg.password)) holders.push(path.relative(dir, f));
      }
    };
    walk(dir);
    const config = fs.readFileSync((await h.api.listClients()).find((c) => c.id === 'claude-desktop')!.configPath!, 'utf8');
    expect(config).toContain('mcp-tray');
    expect(holders).toEqual(['catalog-secret.json']);
    expect(config).not.toContain(pg.password);
    const ps = await exec('ps', ['-eo', 'args', '-ww']);
    expect(ps.stdout).toContain('products');
    expect(ps.stdout).not.toContain(pg.password);
    expect(JSON.stringify(await h.api.getLogs({ server: 'products' }))).not.toContain(pg.password);
  });

  it('test connection says precisely what is wrong, and nothing moves', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const h = await host();
    // The test cluster listens without TLS: the check says so (a person must see it, not assume it).
    expect(await h.api.testDatabase({ url, password: pg.password })).toMatchObject({
      empty: true,
      products: 0,
      searchIndexed: true,
      encrypted: false,
    });
    await expect(h.api.testDatabase({ url, password: 'wrong' })).rejects.toThrow(/refused the password for user "team"/);
    await expect(h.api.testDatabase({ url: url.replace(/catalog_\w+$/, 'nope'), password: pg.password })).rejects.toThrow(
      /has no database named "nope"/,
    );
    await expect(h.api.testDatabase({ url: `postgres://team@127.0.0.1:1/x`, password: 'x' })).rejects.toThrow(
      /can't be reached \(ECONNREFUSED\)/,
    );
    // TLS: encrypted without checking the certificate (require), the self-signed certificate refused
    // when it must be checked (verify-full), and a database that refuses unencrypted connections.
    expect(await h.api.testDatabase({ url: `${url}?sslmode=require`, password: pg.password })).toMatchObject({ empty: true });
    await expect(h.api.testDatabase({ url: `${url}?sslmode=verify-full`, password: pg.password })).rejects.toThrow(
      /certificate could not be verified \(self[- ]signed certificate\): use sslmode=require/,
    );
    const tlsOnly = await pg.createDatabase('tls_only');
    await expect(h.api.testDatabase({ url: tlsOnly, password: pg.password })).rejects.toThrow(
      /requires an encrypted connection \(TLS\): add \?sslmode=require/,
    );
    expect(await h.api.testDatabase({ url: `${tlsOnly}?sslmode=require`, password: pg.password })).toMatchObject({ empty: true });
    // A user who may connect but not create MCP Tray's tables (PostgreSQL 15: nobody may create in public by default).
    const admin = new pgDriver.Client({ host: '127.0.0.1', port: pg.port, user: pg.user, password: pg.password, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE ROLE viewer LOGIN PASSWORD 'viewer-pass'`);
    await admin.end();
    await expect(h.api.testDatabase({ url: url.replace('//team@', '//viewer@'), password: 'viewer-pass' })).rejects.toThrow(
      /user "viewer" lacks a permission MCP Tray needs \(permission denied for schema public\)/,
    );
    await expect(h.api.testDatabase({ url: 'http://example.com/db' })).rejects.toThrow(/must start with postgres:\/\//);
    await expect(h.api.useDatabase({ url, password: 'wrong', copy: true })).rejects.toThrow(/refused the password/);
    expect(await h.api.getCatalogLocation()).toMatchObject({ engine: 'sqlite', passwordSaved: false });
    expect(fs.existsSync(path.join(h.dataDir, 'catalog-secret.json'))).toBe(false);
  });

  it('a server that offers no TLS at all: sslmode=require says so; the default connects', async () => {
    const plain = await startPostgres({ tls: false });
    try {
      const url = await plain.createDatabase();
      const h = await host();
      await expect(h.api.testDatabase({ url: `${url}?sslmode=require`, password: plain.password })).rejects.toThrow(
        /does not offer encrypted connections \(TLS\): use sslmode=disable, or enable TLS on the server/,
      );
      expect(await h.api.testDatabase({ url, password: plain.password })).toMatchObject({ empty: true });
    } finally {
      await plain.close();
    }
  });

  it('CLI: use-database with the password on stdin (--copy), then local --copy', async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase();
    const dir = tempDir();
    const home = tempDir('mcp-tray-home-');
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mcp-tray.js'), ...args, '--data-dir', dir], {
          env: { ...process.env, HOME: home, MCP_TRAY_DATA_DIR: '' },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.end(input ?? '');
      });
    const up = await run(['catalog', 'use-database', url, '--copy', '--password-stdin'], `${pg.password}\n`);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    expect(up.stdout).toMatch(/now lives in the shared database at 127\.0\.0\.1:\d+\/catalog_\w+ \(5 products\)/);
    const settings = fs.readFileSync(path.join(dir, 'settings.json'), 'utf8');
    expect(JSON.parse(settings).catalog).toEqual({ engine: 'postgres', url });
    expect(settings).not.toContain(pg.password);
    const again = await run(['catalog', 'use-database', url, '--copy', '--password-stdin'], `${pg.password}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has 5 products or a history/);
    const down = await run(['catalog', 'use-database', 'local', '--copy']);
    expect(down).toMatchObject({ code: 0 });
    expect(down.stdout).toMatch(/now lives on this computer: .*products\.db \(5 products\)/);
    const bad = await run(['catalog', 'use-database', 'mysql://x@y/z']);
    expect(bad.code).toBe(2); // a usage error
    expect(bad.stderr).toMatch(/must start with postgres:\/\//);
    // Issue 23.4.12: a broken %-escape is named in plain words (it printed "Something went wrong: URI malformed", exit 1).
    const escape = await run(['catalog', 'use-database', 'postgres://us%zzer@127.0.0.1:5432/shop']);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toBe(
      'mcp-tray: The database address has a broken %-escape in its user name: a % must be followed by two hexadecimal digits (write %25 for a % itself)\n',
    );
  });
});
