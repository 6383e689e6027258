import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { call, connect, serverScript, tempDir } from '../helpers/servers.js';

const run = promisify(execFile);

describe('concurrent writers', () => {
  it('two server processes and a third writer lose nothing (10,000 operations)', async () => {
    const dir = tempDir();
    const a = await connect('products', dir, { clientName: 'client-a' });
    const b = await connect('products', dir, { clientName: 'client-b' });
    try {
      const PER_CLIENT_ADDS = 2500;
      const PER_CLIENT_UPDATES = 500;
      const WRITER_OPS = 4000;
      const db = new Database(path.join(dir, 'products.db'), { readonly: true });
      const stockBefore = db.prepare('SELECT id, stock FROM products ORDER BY id').all() as Array<{ id: number; stock: number }>;
      db.close();

      const writer = run(process.execPath, [
        path.join(import.meta.dirname, '..', 'fixtures', 'writer.mjs'),
        path.join(dir, 'products.db'),
        String(WRITER_OPS),
      ]);
      const hammer = async (c: typeof a, tag: string) => {
        const errors: string[] = [];
        // Several calls in flight at once per client, as a busy model would make.
        const ops: Array<() => Promise<void>> = [];
        for (let i = 0; i < PER_CLIENT_ADDS; i++) {
          ops.push(async () => {
            const r = await call(c.client, 'add_product', { name: `${tag} item ${i}`, price: (i % 500) + 0.99, category: `Cat ${i % 7}` });
            if (r.isError) errors.push(JSON.stringify(r.content));
          });
          if (i < PER_CLIENT_UPDATES) {
            ops.push(async () => {
              const r = await call(c.client, 'update_product', { product_id: (i % 5) + 1, description: `${tag} ${i}` });
              if (r.isError) errors.push(JSON.stringify(r.content));
            });
          }
        }
        for (let i = 0; i < ops.length; i += 8) await Promise.all(ops.slice(i, i + 8).map((op) => op()));
        return errors;
      };
      const [errA, errB, w] = await Promise.all([hammer(a, 'A'), hammer(b, 'B'), writer]);
      expect(errA).toEqual([]);
      expect(errB).toEqual([]);
      expect(w.stdout).toBe(`done ${WRITER_OPS}\n`);

      const check = new Database(path.join(dir, 'products.db'));
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT count(*) FROM products').pluck().get()).toBe(5 + 2 * PER_CLIENT_ADDS);
      for (const tag of ['A', 'B']) {
        expect(check.prepare('SELECT count(DISTINCT name) FROM products WHERE name LIKE ?').pluck().get(`${tag} item %`)).toBe(
          PER_CLIENT_ADDS,
        );
      }
      // Every one of the third writer's increments landed, next to the servers' description edits.
      const stockAfter = check.prepare('SELECT id, stock FROM products WHERE id <= 5 ORDER BY id').all() as Array<{
        id: number;
        stock: number;
      }>;
      expect(stockAfter.map((r) => r.stock)).toEqual(stockBefore.map((r) => r.stock + WRITER_OPS / 5));
      // And every tool change has its history row, committed with it.
      expect(check.prepare(`SELECT count(*) FROM changes WHERE source = 'mcp'`).pluck().get()).toBe(
        2 * (PER_CLIENT_ADDS + PER_CLIENT_UPDATES),
      );
      expect(check.prepare(`SELECT count(*) FROM changes WHERE client = 'client-a'`).pluck().get()).toBe(
        PER_CLIENT_ADDS + PER_CLIENT_UPDATES,
      );
      check.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('process behaviour', () => {
  it('exits by itself when its stdin closes', async () => {
    const dir = tempDir();
    for (const name of ['products', 'weather'] as const) {
      const child = spawn(process.execPath, [serverScript(name), '--data-dir', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('ready') && resolve()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.stdin.end();
      expect(await exited).toBe(0);
    }
  });

  it('says so on stderr when a client sends a line over the stdio limit, and when a line is not JSON-RPC', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [serverScript('products'), '--data-dir', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('ready') && resolve()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A line that is not JSON at all is skipped by the SDK; JSON that is not JSON-RPC is said.
    child.stdin.write('this is not json\n{"hello":"world"}\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(stderr).toMatch(/mcp-tray products: ignored a message from the client: /);
    expect(child.exitCode).toBeNull(); // a bad line is not fatal
    child.stdin.on('error', () => {}); // the server closes its end while we are still writing: expected
    child.stdin.write(Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect(await exited).toBe(1);
    expect(stderr).toMatch(
      /mcp-tray products: the client sent a message longer than 10 MB on one line \(the stdio limit\); closing the connection/,
    );
  });

  it('marks its activity row ended when it exits cleanly', async () => {
    const dir = tempDir();
    const s = await connect('weather', dir);
    const pid = s.transport.pid;
    await s.close();
    const db = new Database(path.join(dir, 'activity.db'), { readonly: true });
    const row = db.prepare('SELECT ended_at FROM connections WHERE pid = ?').get(pid) as { ended_at: string | null };
    db.close();
    expect(row.ended_at).not.toBeNull();
  });

  it.each(['products', 'weather'] as const)(
    '%s: an unusable data directory → one clear line on stderr, nothing on stdout, non-zero exit',
    async (name) => {
      const dir = tempDir();
      const blocker = path.join(dir, 'a-file');
      fs.writeFileSync(blocker, 'not a folder');
      const result = await run(process.execPath, [serverScript(name), '--data-dir', path.join(blocker, 'data')]).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(`^mcp-tray ${name}: Cannot create data directory .*a-file/data: a parent of it is a file, not a folder`),
      );
    },
  );

  it('rejects unknown command-line options with a usage line', async () => {
    const result = await run(process.execPath, [serverScript('products'), '--bogus']).catch((e: { code: number; stderr: string }) => e);
    expect((result as { code: number }).code).toBe(2);
    expect((result as { stderr: string }).stderr).toMatch(/Unknown option '--bogus'.*Usage: mcp-tray server products/);
  });

  it('refuses a database written by a newer version instead of damaging it', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'products.db'));
    db.pragma('user_version = 99');
    db.close();
    const result = await run(process.execPath, [serverScript('products'), '--data-dir', dir]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stderr: string }).stderr).toMatch(/newer MCP Tray \(schema 99/);
  });

  it('runs through the mcp-tray command as client configs start it', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [
      path.join(import.meta.dirname, '..', '..', 'bin', 'mcp-tray.js'),
      'server',
      'weather',
      '--data-dir',
      dir,
    ]);
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    child.stdin.write(`${JSON.stringify(init)}\n`);
    const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    expect(JSON.parse(line).result.serverInfo.name).toBe('mcp-tray-weather');
    child.stdin.end();
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });
});
