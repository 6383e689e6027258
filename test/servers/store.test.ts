import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProductsDb, sqliteCatalog } from '../../servers/products/sqlite/catalog.js';
import { StoreError } from '../../servers/shared/errors.js';
import type { Actor } from '../../servers/products/schema.js';
import { NewProduct } from '../../servers/products/schema.js';
import { defaultDataDir, resolveDataDir } from '../../servers/shared/datadir.js';
import { readSettingsFile } from '../../servers/shared/settings.js';
import { tempDir } from '../helpers/servers.js';

const claude: Actor = { source: 'mcp', client: 'Claude Desktop', tool: 'update_product' };
const app: Actor = { source: 'app', client: 'MCP Tray' };

const open = () => {
  const dir = tempDir();
  const db = openProductsDb(path.join(dir, 'products.db'));
  return { dir, db, store: sqliteCatalog(db) };
};

describe('change history and undo', () => {
  it('undoes an update, a create and a delete, and records each undo', async () => {
    const { store } = open();
    await store.update(1, { price: 10 }, claude);
    const added = await store.add({ name: 'New', price: 5, category: 'Tools' }, { ...claude, tool: 'add_product' });
    await store.remove(2, { ...claude, tool: 'delete_product' });
    const [del, create, upd] = await store.changes({ source: 'mcp' });
    expect([del!.action, create!.action, upd!.action]).toEqual(['delete', 'create', 'update']);

    await store.undo(upd!.id, app);
    expect((await store.get(1))!.price).toBe(29.99);
    await store.undo(create!.id, app);
    expect(await store.get(added.id)).toBeUndefined();
    const restored = (await store.undo(del!.id, app)).product!;
    expect(restored).toMatchObject({ id: 2, name: 'Widget B', sku: 'SKU-000002', price: 49.99 });

    const reverts = await store.changes({ source: 'app' });
    expect(reverts.map((c) => c.revertOf)).toEqual([del!.id, create!.id, upd!.id]);
    expect((await store.change(upd!.id))!.undoneBy).toBe(reverts[2]!.id);
    await expect(store.undo(upd!.id, app)).rejects.toThrow(/already undone/);
  });

  it('refuses to undo a change that a later edit builds on, and loses nothing', async () => {
    const { store } = open();
    await store.update(1, { price: 10 }, claude);
    await store.update(1, { stock: 1 }, app);
    const first = (await store.changes({ source: 'mcp' }))[0]!;
    await expect(store.undo(first.id, app)).rejects.toThrow(StoreError);
    await expect(store.undo(first.id, app)).rejects.toThrow(/changed again after this change/);
    expect(await store.get(1)).toMatchObject({ price: 10, stock: 1 });
  });

  it('lists category names by index seeks, in the same order as the full category list', async () => {
    const { store } = open();
    await store.add({ name: 'a', price: 1, category: 'garden' }, app);
    await store.add({ name: 'b', price: 1, category: 'Zeta' }, app);
    expect(await store.categoryNames()).toEqual((await store.categories()).map((c) => c.name));
    expect(await store.categoryNames()).toEqual(['Electronics', 'garden', 'Supplies', 'Tools', 'Zeta']);
  });

  it('imports all rows or none', async () => {
    const { store } = open();
    const before = await store.count();
    const rows = [
      NewProduct.parse({ name: 'A', price: 1, category: 'X', sku: 'A-1' }),
      NewProduct.parse({ name: 'B', price: 2, category: 'X', sku: 'SKU-000001' }),
    ];
    const r = await store.upsertMany(rows, { source: 'import', client: 'MCP Tray' });
    expect(r).toEqual({ added: 1, updated: 1, unchanged: 0 });
    expect((await store.get(1))!.name).toBe('B');
    // A row that breaks a constraint mid-way rolls the whole import back.
    const bad = [
      NewProduct.parse({ name: 'C', price: 3, category: 'X', sku: 'C-1' }),
      { name: 'D', price: 4, category: 'X', stock: -1 } as never,
    ];
    await expect(store.upsertMany(bad, { source: 'import', client: 'MCP Tray' })).rejects.toThrow();
    expect(await store.count()).toBe(before + 1);
    expect(await store.getBySku('C-1')).toBeUndefined();
  });

  it("an import's new rows: ids in file order, a made-up SKU never taken twice, categories spelled as the catalog (or the file's first row) spells them", async () => {
    const { store } = open();
    const taken = await store.add({ name: 'Has the next made-up SKU', price: 1, category: 'X', sku: 'SKU-000007' }, app);
    expect(taken.id).toBe(6);
    const rows = [
      { name: 'No SKU 1', price: 1, category: 'electronics' },
      { name: 'Given', price: 1, category: 'garden', sku: 'sku-000009' },
      { name: 'No SKU 2', price: 1, category: 'GARDEN' },
      { name: 'No SKU 3', price: 1, category: 'Électro' },
      { name: 'No SKU 4', price: 1, category: 'électro' },
    ].map((r) => NewProduct.parse(r));
    expect(await store.upsertMany(rows, { source: 'import', client: 'MCP Tray' })).toEqual({ added: 5, updated: 0, unchanged: 0 });
    const added = await Promise.all([7, 8, 9, 10, 11].map(async (id) => (await store.get(id))!));
    expect(added.map((p) => p.name)).toEqual(rows.map((r) => r.name));
    // SKU-000007 is a product's, SKU-000009 the file's (SKUs compare without regard to case): both get a random ending.
    expect(added.map((p) => p.sku)).toEqual([
      expect.stringMatching(/^SKU-000007-[0-9a-f]{4}$/),
      'sku-000009',
      expect.stringMatching(/^SKU-000009-[0-9a-f]{4}$/),
      'SKU-000010',
      'SKU-000011',
    ]);
    // Categories compare by ASCII case, as SQLite's NOCASE does: "É" and "é" are two.
    expect(added.map((p) => p.category)).toEqual(['Electronics', 'garden', 'garden', 'Électro', 'électro']);
    expect((await store.list({ search: 'sku-000010' })).rows.map((p) => p.id)).toEqual([10]);
  });

  it('is created by whichever process opens it first, exactly once', async () => {
    const { dir, db } = open();
    const again = openProductsDb(path.join(dir, 'products.db'));
    expect(await sqliteCatalog(again).count()).toBe(5);
    again.close();
    db.close();
  });

  it('keeps the -wal file bounded and never deletes it', async () => {
    const { dir, db, store } = open();
    for (let i = 0; i < 2000; i++) await store.add({ name: `P${i}`, price: 1, category: 'Bulk', description: 'x'.repeat(500) }, app);
    const wal = path.join(dir, 'products.db-wal');
    expect(fs.existsSync(wal)).toBe(true);
    expect(fs.statSync(wal).size).toBeLessThan(16 * 1024 * 1024);
    db.close();
  });
});

describe('data directory', () => {
  it('matches Electron userData for "MCP Tray" on each OS', async () => {
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe('/Users/ann/Library/Application Support/MCP Tray');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\MCP Tray',
    );
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/MCP Tray');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/home/ann/cfg' }, '/home/ann')).toBe('/home/ann/cfg/MCP Tray');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/ann')).toBe('/home/ann/.config/MCP Tray');
  });

  it('prefers --data-dir, then MCP_TRAY_DATA_DIR', async () => {
    expect(resolveDataDir('/a', { MCP_TRAY_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(undefined, { MCP_TRAY_DATA_DIR: '/b' })).toBe('/b');
  });
});

describe('settings file as the servers read it', () => {
  it('uses defaults for a missing, damaged or invalid file and says why', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    expect(readSettingsFile(file)).toEqual({
      settings: expect.objectContaining({
        servers: { weather: { enabled: true, disabledTools: [] }, products: { enabled: true, allowWrites: true, disabledTools: [] } },
      }),
    });
    fs.writeFileSync(file, '{"servers": {');
    expect(readSettingsFile(file).problem).toMatch(/not valid JSON/);
    fs.writeFileSync(file, '{"servers": {"products": {"allowWrites": "yes"}}}');
    expect(readSettingsFile(file).problem).toMatch(/servers\.products\.allowWrites/);
    fs.writeFileSync(file, '{"servers": {"products": {"allowWrites": false}}, "futureKey": 1}');
    expect(readSettingsFile(file).settings.servers.products.allowWrites).toBe(false);
  });
});

describe('search totals', () => {
  it('a repeated search reuses its total only until the catalog changes, here or in another process', async () => {
    const file = path.join(tempDir(), 'products.db');
    const a = sqliteCatalog(openProductsDb(file));
    const b = sqliteCatalog(openProductsDb(file));
    try {
      const many = Array.from({ length: 2500 }, (_, i) => ({ name: `Lamp ${i}`, price: 1, category: 'Lights' }));
      await a.upsertMany(many, app); // more hits than the few-hits route: the total is counted, then kept
      const q = { search: 'lamp', limit: 5 };
      expect((await a.list(q)).total).toBe(2500);
      expect((await a.list({ ...q, offset: 5 })).total).toBe(2500);
      await b.add({ name: 'Desk lamp', price: 2, category: 'Lights' }, claude); // another connection
      expect((await a.list(q)).total).toBe(2501);
      await a.remove((await a.list({ search: 'lamp 0', limit: 1 })).rows[0]!.id, app); // this connection
      expect((await a.list(q)).total).toBe(2500);
      expect((await a.list({ ...q, category: 'Lights' })).total).toBe(2500);
      expect((await a.list({ search: 'desk lamp' })).total).toBe(1); // few hits: counted from the ids found
    } finally {
      a.local.db.close();
      b.local.db.close();
    }
  });
});
