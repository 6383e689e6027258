// Issue 25 (the catalog's side): a person's own fields, on both engines. A field is defined once
// (label → key, a type), its values ride on each product, are checked against the type when
// written, follow the change history and undo, and move or go with a rename or a removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../servers/products/catalog.js';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fieldExpression, fieldKey } from '../../servers/products/fields.js';
import type { Actor } from '../../servers/products/schema.js';
import { StoreError } from '../../servers/shared/errors.js';
import { type CallToolResult } from '@modelcontextprotocol/client';
import { call, connect, tempDir, text, until, type Connected } from '../helpers/servers.js';
import { ENGINES, openDirCatalog } from '../helpers/engines.js';

const app: Actor = { source: 'app', client: 'MCP Tray' };

it('a label makes a snake_case key', () => {
  expect(fieldKey('Weight (kg)')).toBe('weight_kg');
  expect(fieldKey('In season?')).toBe('in_season');
  expect(fieldKey('Couleur préférée')).toBe('couleur_preferee');
  expect(fieldKey('2nd supplier')).toBe('f_2nd_supplier');
});

describe.each(ENGINES)("the catalog's own fields ($name)", (engine) => {
  let dir: string;
  let catalog: Catalog;
  beforeAll(async () => {
    dir = await engine.dataDir();
    catalog = await openDirCatalog(dir);
  });
  afterAll(async () => catalog?.close());

  it('adds fields of each type; refuses a built-in name, a second field of one name, a choice field without choices', async () => {
    expect(await catalog.addField({ label: 'Colour', type: 'choice', choices: ['red', 'green', 'blue'] })).toMatchObject({
      key: 'colour',
      type: 'choice',
      choices: ['red', 'green', 'blue'],
    });
    await catalog.addField({ label: 'Weight (kg)', type: 'number' });
    await catalog.addField({ label: 'In season', type: 'yes-no' });
    await catalog.addField({ label: 'Arrives', type: 'date' });
    await catalog.addField({ label: 'Supplier page', type: 'link' });
    await catalog.addField({ label: 'Notes', type: 'text' });
    expect((await catalog.fields()).map((f) => f.key)).toEqual(['colour', 'weight_kg', 'in_season', 'arrives', 'supplier_page', 'notes']);
    await expect(catalog.addField({ label: 'Price', type: 'number' })).rejects.toThrow(/price, which the catalog already uses/);
    await expect(catalog.addField({ label: 'colour!', type: 'text' })).rejects.toThrow(/like the field "Colour"/);
    await expect(catalog.addField({ label: 'Size', type: 'choice' })).rejects.toThrow(/needs at least one choice/);
    await expect(catalog.addField({ label: 'Size', type: 'text', choices: ['S'] })).rejects.toThrow(/only a choice field has choices/);
  });

  it('writes values with a product, checked against each type; a wrong one is refused naming the field and nothing is written', async () => {
    const before = await catalog.count();
    const p = await catalog.add(
      { name: 'Lamp', price: 10, category: 'Lights', fields: { colour: 'red', weight_kg: 1.5, in_season: true, arrives: '2026-12-24' } },
      app,
    );
    expect(p.fields).toEqual({ colour: 'red', weight_kg: 1.5, in_season: true, arrives: '2026-12-24' });
    expect((await catalog.get(p.id))!.fields).toEqual(p.fields);
    for (const [fields, message] of [
      [{ colour: 'purple' }, /colour must be one of: red, green, blue/],
      [{ weight_kg: 'heavy' }, /weight_kg must be a number/],
      [{ in_season: 'yes' }, /in_season must be true or false/],
      [{ arrives: '2026-02-30' }, /arrives must be a date like/],
      [{ supplier_page: 'javascript:alert(1)' }, /supplier_page must be a link/],
      [{ shoe_size: 42 }, /There is no field called shoe_size/],
    ] as const) {
      const err = await catalog.add({ name: 'Bad', price: 1, category: 'X', fields }, app).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('invalid');
      expect((err as Error).message).toMatch(message);
    }
    expect(await catalog.count()).toBe(before + 1);
  });

  it('an edit changes, clears and keeps values; the history holds them and undo puts them back', async () => {
    const p = (await catalog.list({ search: 'Lamp' })).rows[0]!;
    const { product } = await catalog.update(p.id, { fields: { colour: 'blue', weight_kg: null, notes: 'fragile' } }, app);
    expect(product.fields).toEqual({ colour: 'blue', in_season: true, arrives: '2026-12-24', notes: 'fragile' });
    expect((await catalog.update(p.id, { fields: { colour: 'blue' } }, app)).changed).toBe(false);
    const [change] = await catalog.changes({ productId: p.id, limit: 1 });
    expect(change!.before!.fields).toMatchObject({ colour: 'red', weight_kg: 1.5 });
    await catalog.undo(change!.id, app);
    expect((await catalog.get(p.id))!.fields).toEqual({ colour: 'red', weight_kg: 1.5, in_season: true, arrives: '2026-12-24' });
  });

  it('an import chunk writes values (an existing product keeps the ones a row leaves out)', async () => {
    const sku = (await catalog.list({ search: 'Lamp' })).rows[0]!.sku;
    const r = await catalog.upsertMany(
      [
        { name: 'Lamp', price: 10, category: 'Lights', sku, fields: { notes: 'imported' } },
        { name: 'Shade', price: 4, category: 'Lights', sku: 'SHADE-1', fields: { colour: 'green' } },
      ],
      { source: 'import', client: 'test' },
    );
    expect(r).toEqual({ added: 1, updated: 1, unchanged: 0 });
    expect((await catalog.getBySku(sku))!.fields).toMatchObject({ colour: 'red', notes: 'imported' });
    expect((await catalog.getBySku('SHADE-1'))!.fields).toEqual({ colour: 'green' });
  });

  it('a rename moves every value to the new key (types kept); a removal takes the values with it and says how many', async () => {
    const sku = (await catalog.list({ search: 'Lamp' })).rows[0]!.sku;
    expect(await catalog.renameField('in_season', 'Seasonal')).toMatchObject({ key: 'seasonal', label: 'Seasonal', type: 'yes-no' });
    expect((await catalog.getBySku(sku))!.fields).toMatchObject({ seasonal: true });
    expect((await catalog.getBySku(sku))!.fields).not.toHaveProperty('in_season');
    expect((await catalog.fieldUses()).colour).toBe(2);
    expect(await catalog.removeField('colour')).toMatchObject({ field: { key: 'colour' }, values: 2 });
    expect((await catalog.getBySku('SHADE-1'))!.fields).toEqual({});
    await expect(catalog.removeField('colour')).rejects.toThrow(/There is no field called colour/);
  });

  it('text search finds a product by its text fields (and not by a removed one)', async () => {
    await catalog.addField({ label: 'Supplier', type: 'text' });
    const p = await catalog.add({ name: 'Vase', price: 3, category: 'Home', fields: { supplier: 'Pottery Żółw Ltd' } }, app);
    expect((await catalog.list({ search: 'żółw' })).rows.map((r) => r.id)).toEqual([p.id]);
    const { removal } = await catalog.removeField('supplier');
    expect((await catalog.list({ search: 'żółw' })).rows).toEqual([]);
    // Undoing the removal puts the values (and what search finds) back.
    expect(await catalog.restoreField(removal)).toMatchObject({ field: { key: 'supplier', type: 'text' }, values: 1 });
    expect((await catalog.getBySku(p.sku))!.fields).toEqual({ supplier: 'Pottery Żółw Ltd' });
    expect((await catalog.list({ search: 'żółw' })).rows.map((r) => r.id)).toEqual([p.id]);
    await expect(catalog.restoreField(removal)).rejects.toThrow(/put back already/);
  });

  it('a removal is undone with every value, except on products deleted since; a field of the same name blocks it', async () => {
    await catalog.addField({ label: 'Size', type: 'choice', choices: ['S', 'M', 'L'] });
    const a = await catalog.add({ name: 'Shirt', price: 9, category: 'Clothes', fields: { size: 'M' } }, app);
    const b = await catalog.add({ name: 'Hat', price: 5, category: 'Clothes', fields: { size: 'S' } }, app);
    const { removal, values } = await catalog.removeField('size');
    expect(values).toBe(2);
    expect((await catalog.removedFields())[0]).toMatchObject({ id: removal, key: 'size', products: 2, restoredAt: null });
    await catalog.remove(b.id, app);
    await catalog.addField({ label: 'Size', type: 'text' });
    await expect(catalog.restoreField(removal)).rejects.toThrow(/the field "Size" has its name \(size\) now/);
    await catalog.removeField('size');
    expect(await catalog.restoreField(removal)).toMatchObject({
      field: { key: 'size', type: 'choice', choices: ['S', 'M', 'L'] },
      values: 1,
    });
    expect((await catalog.getBySku(a.sku))!.fields).toMatchObject({ size: 'M' });
    expect((await catalog.removedFields()).find((r) => r.id === removal)!.restoredAt).not.toBeNull();
    await expect(catalog.restoreField(99999)).rejects.toThrow(/no removed field with id 99999/);
  });

  it('changes a type when every value converts, and otherwise names the products that stop it (nothing changed)', async () => {
    await catalog.addField({ label: 'Pack size', type: 'text' });
    const one = await catalog.add({ name: 'Pens', price: 2, category: 'Office', fields: { pack_size: '12' } }, app);
    const two = await catalog.add({ name: 'Clips', price: 1, category: 'Office', fields: { pack_size: 'about 100' } }, app);
    const err = await catalog.changeFieldType('pack_size', 'number').catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('conflict');
    expect((err as Error).message).toMatch(
      /Pack size cannot become a number: 1 product has a value that is not — Clips \(SKU-\d+\): "about 100"/,
    );
    expect((await catalog.fields()).find((f) => f.key === 'pack_size')!.type).toBe('text');
    await catalog.update(two.id, { fields: { pack_size: '100' } }, app);
    expect(await catalog.changeFieldType('pack_size', 'number')).toMatchObject({ field: { type: 'number' }, converted: 2 });
    expect((await catalog.get(one.id))!.fields.pack_size).toBe(12);
    // The index follows the type: a range finds by number, not by text ("100" < "12" as text).
    expect((await catalog.list({ conditions: [{ key: 'pack_size', min: 50, numeric: true }] })).rows.map((r) => r.id)).toEqual([two.id]);
    // Back to text, and to a choice whose options are the values it has.
    expect(await catalog.changeFieldType('pack_size', 'choice')).toMatchObject({ field: { type: 'choice', choices: ['12', '100'] } });
    expect((await catalog.get(one.id))!.fields.pack_size).toBe('12');
    await expect(catalog.changeFieldType('pack_size', 'choice', ['12'])).rejects.toThrow(/cannot become one of a list.*Clips/);
    await expect(catalog.changeFieldType('pack_size', 'text', ['a'])).rejects.toThrow(/only a choice field has choices/);
    expect(await catalog.changeFieldType('pack_size', 'text')).toMatchObject({ field: { type: 'text', choices: null }, converted: 0 });
  });

  it('moves a field in the order', async () => {
    const keys = (await catalog.fields()).map((f) => f.key);
    const last = keys.at(-1)!;
    expect((await catalog.moveField(last, 0)).map((f) => f.key)).toEqual([last, ...keys.slice(0, -1)]);
    expect((await catalog.fields()).map((f) => f.key)).toEqual([last, ...keys.slice(0, -1)]);
    expect((await catalog.moveField(last, 999)).map((f) => f.key)).toEqual(keys);
  });
});

describe.each(ENGINES)('Claude reads, filters and writes the fields ($name)', (engine) => {
  let dir: string;
  let s: Connected;
  let changed = 0;
  beforeAll(async () => {
    dir = await engine.dataDir();
    const catalog = await openDirCatalog(dir);
    await catalog.addField({ label: 'Colour', type: 'choice', choices: ['red', 'green', 'blue'] });
    await catalog.addField({ label: 'Weight (kg)', type: 'number' });
    await catalog.update(1, { fields: { colour: 'red', weight_kg: 2 } }, app);
    await catalog.update(2, { fields: { colour: 'blue', weight_kg: 7.5 } }, app);
    await catalog.close();
    s = await connect('products', dir);
    s.client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
  });
  afterAll(async () => s?.close());

  it('lists each field, typed, in what the tools take and return', async () => {
    const tools = Object.fromEntries((await s.client.listTools()).tools.map((t) => [t.name, t]));
    const colour = { type: 'string', enum: ['red', 'green', 'blue'] };
    expect(tools.add_product!.inputSchema.properties).toMatchObject({ colour, weight_kg: { type: 'number' } });
    expect(tools.update_product!.inputSchema.properties).toMatchObject({ weight_kg: { type: ['number', 'null'] } });
    expect(tools.add_product!.inputSchema.properties).not.toHaveProperty('fields');
    expect(tools.get_product!.outputSchema!.properties).toMatchObject({ colour, weight_kg: { type: 'number' } });
    expect(JSON.stringify(tools.query_products!.inputSchema.properties!.where)).toContain('weight_kg');
  });

  it("gives each product's fields as top-level properties", async () => {
    const one = await call(s.client, 'get_product', { product_id: 1 });
    expect(one.structuredContent).toMatchObject({ id: 1, name: 'Widget A', colour: 'red', weight_kg: 2 });
    expect(one.structuredContent).not.toHaveProperty('fields');
  });

  it('filters with where: a value, a range; a wrong one is an isError naming the field', async () => {
    const ids = async (where: unknown) =>
      ((await call(s.client, 'query_products', { where })).structuredContent as { products: Array<{ id: number }> }).products.map(
        (p) => p.id,
      );
    expect(await ids({ colour: 'red' })).toEqual([1]);
    expect(await ids({ weight_kg: { min: 1, max: 5 } })).toEqual([1]);
    expect(await ids({ weight_kg: { min: 5 } })).toEqual([2]);
    expect(await ids({ weight_kg: 7.5 })).toEqual([2]);
    const bad = await s.client.callTool({ name: 'query_products', arguments: { where: { colour: 'purple' } } });
    expect(bad.isError).toBe(true);
    expect(text(bad as CallToolResult)).toMatch(/colour/);
    const unknown = await s.client.callTool({ name: 'query_products', arguments: { where: { size: 'L' } } });
    expect(unknown.isError).toBe(true);
  });

  it('add_product and update_product take the fields; a wrong type is an isError naming the field and nothing is written', async () => {
    const added = await call(s.client, 'add_product', { name: 'Kettle', price: 20, category: 'Kitchen', colour: 'green', weight_kg: 1.2 });
    expect(added.structuredContent).toMatchObject({ name: 'Kettle', colour: 'green', weight_kg: 1.2 });
    const id = (added.structuredContent as { id: number }).id;
    const updated = await call(s.client, 'update_product', { product_id: id, weight_kg: null, colour: 'blue' });
    expect((updated.structuredContent as { product: Record<string, unknown> }).product).toMatchObject({ colour: 'blue' });
    expect((updated.structuredContent as { product: Record<string, unknown> }).product).not.toHaveProperty('weight_kg');
    const wrong = await s.client.callTool({ name: 'add_product', arguments: { name: 'Bad', price: 1, category: 'X', weight_kg: 'heavy' } });
    expect(wrong.isError).toBe(true);
    expect(text(wrong as CallToolResult)).toMatch(/weight_kg/);
    const page = (await call(s.client, 'query_products', { search: 'Bad' })).structuredContent as { total: number };
    expect(page.total).toBe(0);
  });

  it('a field added elsewhere (another process) reaches the connected client at once: tools/list_changed, and the new shape', async () => {
    const before = changed;
    const catalog = await openDirCatalog(dir);
    await catalog.addField({ label: 'In season', type: 'yes-no' });
    await catalog.close();
    await until(() => changed > before, 'tools/list_changed after a field was added');
    const add = (await s.client.listTools()).tools.find((t) => t.name === 'add_product')!;
    expect(add.inputSchema.properties).toMatchObject({ in_season: { type: 'boolean' } });
    const r = await call(s.client, 'add_product', { name: 'Plums', price: 3, category: 'Fruit', in_season: true });
    expect(r.structuredContent).toMatchObject({ in_season: true });
  });
});

it("a filter on a field reads that field's index, not every product (SQLite's plan)", async () => {
  const dir = tempDir();
  // A catalog of some size whose products already carry values (as the bench's does): the index is
  // built and measured over them when the field is added, and the planner then prefers it.
  const seeded = await openDirCatalog(dir);
  await seeded.upsertMany(
    Array.from({ length: 3000 }, (_, i) => ({ name: `P${i}`, price: 1, category: 'X', sku: `P-${i}` })),
    app,
  );
  await seeded.close();
  const raw = new Database(path.join(dir, 'products.db'));
  raw.exec(`UPDATE products SET extra = json_object('weight_kg', (id % 1000) / 100.0, 'colour', 'c' || (id % 50))`);
  raw.close();
  const catalog = await openDirCatalog(dir);
  await catalog.addField({ label: 'Weight (kg)', type: 'number' });
  await catalog.addField({ label: 'Colour', type: 'text' });
  await catalog.close();
  const db = new Database(path.join(dir, 'products.db'), { readonly: true });
  try {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    expect(
      plan(
        `SELECT * FROM products WHERE ${fieldExpression('sqlite', 'weight_kg', true)} >= 1 AND ${fieldExpression('sqlite', 'weight_kg', true)} <= 5`,
      ),
    ).toMatch(/USING INDEX products_f_weight_kg/);
    expect(plan(`SELECT * FROM products WHERE ${fieldExpression('sqlite', 'colour', false)} = 'red'`)).toMatch(
      /USING INDEX products_f_colour/,
    );
  } finally {
    db.close();
  }
  // Removing the field drops its index.
  const again = await openDirCatalog(dir);
  await again.removeField('colour');
  await again.close();
  const db2 = new Database(path.join(dir, 'products.db'), { readonly: true });
  expect(db2.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'products_f_%'`).pluck().all()).toEqual([
    'products_f_weight_kg',
  ]);
  db2.close();
  expect(() => fieldExpression('sqlite', "x'); DROP TABLE products; --", false)).toThrow(/not a field key/);
});
