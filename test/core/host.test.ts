import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import { HostError } from '../../electron/core/errors.js';
import type { HostEvent } from '../../electron/core/contract.js';
import { startHost, fakePlatform } from '../helpers/host.js';
import { spawn } from 'node:child_process';
import { ROOT, isAlive, tempDir, until } from '../helpers/servers.js';

describe('host API boundary', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ autostart: false });
  });
  afterAll(async () => host?.close());

  it('refuses unknown methods and invalid arguments before anything runs', async () => {
    await expect(host.dispatch('dropDatabase', {})).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(host.dispatch('createProduct', { name: 'A', price: -1, category: 'C' })).rejects.toMatchObject({
      code: 'invalid',
      message: 'price must not be negative',
    });
    await expect(host.dispatch('updateProduct', { id: 1, patch: { price: 1 }, extra: true })).rejects.toThrow(/Unrecognized key: "extra"/);
    await expect(host.dispatch('setServerEnabled', { server: 'shell', enabled: true })).rejects.toThrow(/server/);
    await expect(host.dispatch('connectClient', { client: 'claude-desktop', configPath: 42 })).rejects.toThrow(HostError);
    await expect(host.dispatch('deleteProduct', { id: 99999 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await host.dispatch('listProducts', { limit: 2 })).toMatchObject({
      total: 5,
      rows: [{ name: 'Gadget X' }, { name: 'Supply Z' }],
    });
  });

  it('edits the catalog with the server rules and announces data changes', async () => {
    const events: HostEvent[] = [];
    host.on('event', (e) => events.push(e));
    const p = await host.api.createProduct({ name: 'Lamp', price: 12.5, category: 'home', stock: 3 });
    const updated = await host.api.updateProduct({ id: p.id, patch: { price: 14 } });
    expect(updated.price).toBe(14);
    await host.api.deleteProduct({ id: p.id });
    expect(events.filter((e) => e.type === 'data-changed' && e.what === 'products')).toHaveLength(3);
    const history = await host.api.listChanges({ source: 'app' });
    expect(history.slice(0, 3).map((c) => [c.action, c.client])).toEqual([
      ['delete', 'MCP Tray'],
      ['update', 'MCP Tray'],
      ['create', 'MCP Tray'],
    ]);
  });

  it('edits weather cities and their forecast', async () => {
    const city = await host.api.addCity({
      name: 'São Paulo',
      temperature: 25,
      unit: 'celsius',
      conditions: 'Cloudy',
      humidity: 70,
      wind_speed: 10,
    });
    expect(city.id).toBe('sao-paulo');
    const withDays = await host.api.setForecast({ id: 'sao-paulo', days: [{ day: 1, conditions: 'Rain', high: 26, low: 19 }] });
    expect(withDays.forecast).toEqual([{ day: 1, conditions: 'Rain', high: 26, low: 19 }]);
    await expect(host.api.setForecast({ id: 'sao-paulo', days: [{ day: 1, conditions: 'x', high: 1, low: 5 }] })).rejects.toThrow(
      /low \(5\) is above high \(1\)/,
    );
    await expect(
      host.dispatch('addCity', { name: 'X', temperature: 1, unit: 'celsius', conditions: 'c', humidity: 101, wind_speed: 1 }),
    ).rejects.toThrow(/humidity/);
    await expect(
      host.api.addCity({ name: 'London', temperature: 1, unit: 'celsius', conditions: 'c', humidity: 1, wind_speed: 1 }),
    ).rejects.toThrow(/already exists/);
    expect((await host.api.listCities()).map((c) => c.id)).toEqual(['london', 'new-york', 'sao-paulo', 'tokyo']);
    await host.api.deleteCity({ id: 'sao-paulo' });
  });
});

describe('settings', () => {
  it('sets a damaged settings.json aside (never discards it), tells the user, and starts with defaults', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'settings.json'), '{"servers": {"products": {"allowWrites": false}},,}');
    const host = await startHost({ dataDir, autostart: false });
    try {
      // Kept in the state, so a window that opens later still shows it.
      const notices = (await host.api.getState()).notices.map((n) => n.message);
      const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('settings.json.damaged-'));
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe('{"servers": {"products": {"allowWrites": false}},,}');
      expect(notices.join('\n')).toMatch(/settings\.json could not be read .* kept as settings\.json\.damaged-/);
      expect((await host.api.getSettings()).servers.products.allowWrites).toBe(true);
      // and settings still save
      await host.api.updateSettings({ startAtLogin: true });
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).startAtLogin).toBe(true);
      await expect(host.api.updateSettings({ http: { port: 70000 } })).rejects.toThrow(/port/);
    } finally {
      await host.close();
    }
  });
});

describe('CSV import and export', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ autostart: false });
  });
  afterAll(async () => host?.close());

  const csv = [
    'name,price,category,stock,sku,description',
    'Blue Widget,24.99,Electronics,10,BW-1,"A widget, but blue"',
    'Bad Price,abc,Electronics,1,BP-1,',
    'Negative,5,Tools,-3,NG-1,',
    'Widget A renamed,"$1,299.00",Electronics,150,SKU-000001,',
    'Dup,1,Tools,1,BW-1,',
    ',3,Tools,1,,',
  ].join('\n');

  it('previews with row-level errors and writes nothing until committed', async () => {
    const before = await host.api.listProducts({});
    const preview = await host.api.previewImport({ csv });
    expect(preview).toMatchObject({ rows: 6, valid: 2, toAdd: 1, toUpdate: 1 });
    expect(preview.errors).toEqual([
      { line: 3, message: 'price must be a number, like 24.99' },
      { line: 4, message: 'stock must not be negative' },
      { line: 6, message: 'sku "BW-1" is also on line 2' },
      { line: 7, message: 'name must not be empty' },
    ]);
    expect((await host.api.listProducts({})).total).toBe(before.total);
    await expect(host.api.commitImport({ token: preview.token })).rejects.toThrow(/4 rows have errors/);
    expect(await host.api.cancelImport({ token: preview.token })).toEqual({ cancelled: true });
    await expect(host.api.commitImport({ token: preview.token, skipInvalid: true })).rejects.toMatchObject({ code: 'not_found' });
    expect((await host.api.listProducts({})).total).toBe(before.total);
  });

  it('imports the valid rows when asked to skip the rest, and exports a file that imports again unchanged', async () => {
    const preview = await host.api.previewImport({ csv });
    expect(await host.api.commitImport({ token: preview.token, skipInvalid: true })).toEqual({
      added: 1,
      updated: 1,
      unchanged: 0,
      skipped: 4,
      cancelled: false,
      importId: expect.any(Number),
    });
    expect((await host.api.listProducts({ search: 'Blue Widget' })).rows[0]).toMatchObject({
      price: 24.99,
      description: 'A widget, but blue',
      sku: 'BW-1',
    });
    expect((await host.api.listProducts({ search: 'renamed' })).rows[0]).toMatchObject({ id: 1, price: 1299 });
    const exported = await host.api.exportCsv({});
    expect(exported.rows).toBe(6);
    expect(exported.csv.split('\n')[0]).toBe('id,sku,name,description,price,category,stock,updated_at');
    const again = await host.api.previewImport({ csv: exported.csv });
    expect(again.errors).toEqual([]);
    expect(await host.api.commitImport({ token: again.token })).toMatchObject({ added: 0, updated: 0, unchanged: 6, skipped: 0 });
  });

  it('keeps a copy of the catalog, taken with the backup API, before an import writes', async () => {
    const before = (await host.api.listProducts({})).total;
    const preview = await host.api.previewImport({ csv: 'name,price,category\nBackup probe,1,Tools' });
    await host.api.commitImport({ token: preview.token });
    const root = path.join(host.dataDir, 'backups', 'data');
    const latest = fs
      .readdirSync(root)
      .filter((d) => d.endsWith('before-import'))
      .sort()
      .at(-1)!;
    const copy = new Database(path.join(root, latest, 'products.db'), { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM products').pluck().get()).toBe(before);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const manual = await host.api.backupData();
    expect(manual.files.map((f) => path.basename(f))).toEqual(['products.db', 'weather.db']);
  });

  it('says clearly what is wrong with a file that is not a product CSV', async () => {
    await expect(host.api.previewImport({ csv: 'title,cost\nA,1' })).rejects.toThrow(/no "name", "price", "category" column/);
    await expect(host.api.previewImport({ csv: 'name,price,category\n"unclosed,1,A' })).rejects.toThrow(/cannot be read/);
    await expect(host.api.previewImport({ csv: '' })).rejects.toThrow(/empty/);
    await expect(host.api.previewImport({ csv: 'name,price,category\nA,1,B,extra' })).rejects.toThrow(/line 2/);
  });
});

describe('catalog data service at 100,000 products', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ autostart: false });
    const lines = ['name,price,category,stock,sku'];
    for (let i = 1; i <= 100_000; i++)
      lines.push(`Item ${i} ${i % 3 ? 'steel' : 'oak'},${(i % 1000) + 0.5},Cat ${i % 40},${i % 11},K-${i}`);
    const preview = await host.api.previewImport({ csv: lines.join('\n') });
    expect(preview.errors).toEqual([]);
    await host.api.commitImport({ token: preview.token });
  }, 120_000);
  afterAll(async () => host?.close());

  it('pages, filters, sorts and searches correctly', async () => {
    const all = await host.api.listProducts({ limit: 50 });
    expect(all.total).toBe(100_005);
    const deep = await host.api.listProducts({ sort: 'id', offset: 99_990, limit: 50 });
    expect(deep.rows.map((r) => r.id)).toEqual(Array.from({ length: 15 }, (_, i) => 99_991 + i));
    const filtered = await host.api.listProducts({
      category: 'cat 7',
      min_price: 100,
      max_price: 200,
      in_stock: true,
      sort: 'price',
      order: 'desc',
      limit: 5,
    });
    expect(filtered.rows.every((r) => r.category === 'Cat 7' && r.price >= 100 && r.price <= 200 && r.stock > 0)).toBe(true);
    expect(filtered.rows.map((r) => r.price)).toEqual([...filtered.rows.map((r) => r.price)].sort((a, b) => b - a));
    const db = new Database(path.join(host.dataDir, 'products.db'), { readonly: true });
    const expected = db
      .prepare(`SELECT count(*) FROM products WHERE category = 'Cat 7' AND price_cents BETWEEN 10000 AND 20000 AND stock > 0`)
      .pluck()
      .get();
    db.close();
    expect(filtered.total).toBe(expected);
    const search = await host.api.listProducts({ search: 'item 9999', limit: 100 });
    const name = (n: number) => `Item ${n} ${n % 3 ? 'steel' : 'oak'}`;
    expect(search.rows.map((r) => r.name).sort()).toEqual([9999, ...Array.from({ length: 10 }, (_, k) => 99_990 + k)].map(name).sort());
    expect((await host.api.listCategories()).find((c) => c.name === 'Cat 7')!.count).toBe(2500);
    const exported = await host.api.exportCsv({ category: 'Cat 7' });
    expect(exported.rows).toBe(2500);
  });
});

describe('host with running servers', () => {
  let host: Host;
  let home: string;
  beforeAll(async () => {
    const platform = fakePlatform();
    home = platform.home;
    host = await startHost({ platform });
  });
  afterAll(async () => host?.close());

  it('runs the enabled servers and lets "Try it" call a tool; the change can be undone', async () => {
    const state = await host.api.getState();
    expect(state.servers.map((s) => [s.name, s.state])).toEqual([
      ['products', 'running'],
      ['weather', 'running'],
    ]);
    const r = await host.api.callTool({ server: 'products', tool: 'update_stock', args: { product_id: 2, new_stock: 7 } });
    expect(r.isError).toBe(false);
    const change = (await host.api.listChanges({ source: 'mcp' }))[0]!;
    expect(change).toMatchObject({ client: 'MCP Tray', tool: 'update_stock', action: 'update' });
    await until(async () => (await host.api.getActivity({})).calls.some((c) => c.tool === 'update_stock'), 'activity recorded');
    const activity = await host.api.getActivity({});
    expect(activity.connections.find((c) => c.server === 'products')).toMatchObject({ client: 'MCP Tray', ownInstance: true });
    // A server process started by something that has not said who it is yet (no initialize: the
    // doctor's probe on first run) is not shown as an app using the servers ("Unknown client").
    const quiet = spawn(process.execPath, [path.join(ROOT, 'dist', 'servers', 'products.cjs'), '--data-dir', host.dataDir], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    try {
      await until(async () => (await host.api.getActivity({})).connections.some((c) => c.pid === quiet.pid), 'the quiet instance recorded');
      expect((await host.api.getActivity({})).connections.find((c) => c.pid === quiet.pid)).toMatchObject({
        client: 'Unknown client',
        ownInstance: true,
      });
    } finally {
      quiet.kill();
    }
    const undone = await host.api.undoChange({ id: change.id });
    expect(undone.product!.stock).toBe(75);
    await expect(host.api.undoChange({ id: change.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('undoes several changes at once (Undo all of these): newest first, and one changed since is named while the rest go on', async () => {
    const stock = (product_id: number, new_stock: number) =>
      host.api.callTool({ server: 'products', tool: 'update_stock', args: { product_id, new_stock } });
    const before = (await host.api.listProducts({ limit: 10 })).rows;
    const was = (id: number) => before.find((p) => p.id === id)!.stock;
    await stock(1, 11);
    await stock(1, 12);
    await stock(3, 13);
    const ids = (await host.api.listChanges({ source: 'mcp', limit: 3 })).map((c) => c.id);
    // The person changed product 3 since: that one is left as it is.
    await host.api.updateProduct({ id: 3, patch: { stock: 99 } });
    // Given oldest first: still undone newest first, so product 1 goes back step by step.
    const r = await host.api.undoChanges({ ids: [...ids].reverse() });
    expect(r.undone).toBe(2);
    expect(r.refused).toEqual([{ id: ids[0], reason: expect.stringMatching(/^Cannot undo: .* was changed again after this change/) }]);
    const after = (await host.api.listProducts({ limit: 10 })).rows;
    expect(after.find((p) => p.id === 1)!.stock).toBe(was(1));
    expect(after.find((p) => p.id === 3)!.stock).toBe(99);
    // The window's own changes (the undos among them) belong to no AI session.
    expect((await host.api.listChanges({ source: 'app', limit: 3 })).map((c) => c.session)).toEqual([null, null, null]);
    await expect(host.api.undoChanges({ ids: [] })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('turning "Allow AI to change the catalog" off removes the write tools from the running server', async () => {
    await host.api.updateSettings({ servers: { products: { allowWrites: false } } });
    const tools = async () => (await host.api.getState()).servers.find((s) => s.name === 'products')!.tools.map((t) => t.name);
    await until(async () => !(await tools()).includes('add_product'), 'write tools gone', 15_000);
    await host.api.updateSettings({ servers: { products: { allowWrites: true } } });
    await until(async () => (await tools()).includes('add_product'), 'write tools back', 15_000);
  });

  it('switching a server off stops it and removes it from connected clients', async () => {
    const connected = await host.api.connectClient({ client: 'cursor' });
    expect(connected.status.state).toBe('connected');
    const file = path.join(home, '.cursor', 'mcp.json');
    const weather = async () => (await host.api.getState()).servers.find((s) => s.name === 'weather')!;
    const pid = (await weather()).pid!;
    const st = await host.api.setServerEnabled({ server: 'weather', enabled: false });
    expect(st).toMatchObject({ state: 'stopped', enabled: false });
    await until(() => !isAlive(pid), 'weather process gone');
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers)).toEqual(['mcp-tray-products']);
    await host.api.setServerEnabled({ server: 'weather', enabled: true });
    expect((await weather()).state).toBe('running');
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    expect((await host.api.listClients()).find((c) => c.id === 'cursor')!.state).toBe('connected');
  });
});
