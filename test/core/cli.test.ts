import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, connect, isAlive, tempDir, until } from '../helpers/servers.js';
import { CLIENT_IDS } from '../../electron/core/contract.js';

const exec = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'mcp-tray.js');

/** Runs the CLI with a temp HOME, so it can never touch this machine's real client configs. */
async function cli(args: string[], home = tempDir('mcp-tray-home-'), opts: { timeout?: number; killSignal?: NodeJS.Signals } = {}) {
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' };
  return exec(process.execPath, [BIN, ...args], { env, ...opts }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('mcp-tray CLI', () => {
  it('status --json describes servers and clients', async () => {
    const dir = tempDir();
    const r = await cli(['status', '--json', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({
      dataDir: dir,
      products: 5,
      cities: 3,
      servers: [
        { name: 'products', enabled: true },
        { name: 'weather', enabled: true },
      ],
    });
    expect(status.clients.map((c: { id: string }) => c.id)).toEqual([...CLIENT_IDS]);
    expect(status.connections).toEqual([]);
  });

  it('status names the apps using the servers right now', async () => {
    const dir = tempDir();
    const claude = await connect('weather', dir, { clientName: 'claude-ai' });
    try {
      const r = await cli(['status', '--data-dir', dir]);
      // In words and local time (--json keeps pids and ISO times); apps by their state in words.
      expect(r.stdout).toMatch(/In use now:\n {2}Claude Desktop is using weather \(last active [^)T]+\)\n/);
      expect(r.stdout).toMatch(/\n {2}Claude Desktop {6}not found on this computer /);
    } finally {
      await claude.close();
    }
  });

  it('connects and disconnects a client config given with --config, keeping what else is there', async () => {
    const dir = tempDir();
    const config = path.join(tempDir(), 'claude_desktop_config.json');
    fs.writeFileSync(config, JSON.stringify({ mcpServers: { other: { command: '/bin/other' } }, preferences: { x: 1 } }, null, 2));
    const r = await cli(['connect', 'claude-desktop', '--config', config, '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Claude Desktop is set up with 2 MCP Tray servers/);
    const json = JSON.parse(fs.readFileSync(config, 'utf8'));
    expect(Object.keys(json.mcpServers)).toEqual(['other', 'mcp-tray-products', 'mcp-tray-weather']);
    expect(json.mcpServers['mcp-tray-products'].args).toEqual([path.join(ROOT, 'dist', 'servers', 'products.cjs'), '--data-dir', dir]);
    const d = await cli(['disconnect', 'claude-desktop', '--config', config, '--data-dir', dir]);
    expect(d.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(config, 'utf8'))).toEqual({
      mcpServers: { other: { command: '/bin/other' } },
      preferences: { x: 1 },
    });
  });

  it('connect opens only what it needs: it writes the config even when the catalog, the cities and the activity log cannot be opened', async () => {
    const dir = tempDir();
    // Not databases at all: a command that opened them would fail ("file is not a database").
    for (const f of ['products.db', 'weather.db', 'activity.db']) fs.writeFileSync(path.join(dir, f), 'not a database '.repeat(100));
    const config = path.join(tempDir(), 'claude_desktop_config.json');
    const r = await cli(['connect', 'claude-desktop', '--config', config, '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(Object.keys(JSON.parse(fs.readFileSync(config, 'utf8')).mcpServers)).toEqual(['mcp-tray-products', 'mcp-tray-weather']);
    for (const f of ['products.db', 'weather.db', 'activity.db'])
      expect(fs.readFileSync(path.join(dir, f), 'utf8')).toMatch(/^not a database/);
    // A command that reads the catalog says plainly that it cannot.
    const status = await cli(['status', '--data-dir', dir]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/^mcp-tray: .*products\.db/);
  });

  it('catalog fields: add (each type), list, rename, remove (asks, or --yes); bad input exits 2 or 1 in one line', async () => {
    const dir = tempDir();
    expect((await cli(['catalog', 'fields', '--data-dir', dir])).stdout).toMatch(/no fields of its own yet/);
    expect(await cli(['catalog', 'fields', 'add', 'Weight (kg)', '--type', 'number', '--data-dir', dir])).toMatchObject({
      code: 0,
      stdout: 'Added Weight (kg) (weight_kg): a number. AI apps see it at once.\n',
    });
    expect((await cli(['catalog', 'fields', 'add', 'Size', '--type', 'choice', '--choices', 'S, M,L', '--data-dir', dir])).code).toBe(0);
    const list = JSON.parse((await cli(['catalog', 'fields', '--json', '--data-dir', dir])).stdout);
    expect(list).toEqual([
      expect.objectContaining({ key: 'weight_kg', label: 'Weight (kg)', type: 'number', choices: null, used: 0 }),
      expect.objectContaining({ key: 'size', type: 'choice', choices: ['S', 'M', 'L'], used: 0 }),
    ]);
    const bad = await cli(['catalog', 'fields', 'add', 'Colour', '--type', 'colourful', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^mcp-tray: option '--type <type>' argument 'colourful' is invalid\. must be one of text, number, yes-no, date, choice, link\n$/,
    );
    const taken = await cli(['catalog', 'fields', 'add', 'Price', '--type', 'number', '--data-dir', dir]);
    expect(taken).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^mcp-tray: "Price" would be called price, which the catalog already uses/),
    });
    expect((await cli(['catalog', 'fields', 'rename', 'size', 'Shoe size', '--data-dir', dir])).stdout).toBe(
      'size is now Shoe size (shoe_size).\n',
    );
    const noYes = await cli(['catalog', 'fields', 'remove', 'shoe_size', '--data-dir', dir]);
    expect(noYes).toMatchObject({ code: 2, stderr: expect.stringMatching(/0 products have a value, which would go with it\. Give --yes/) });
    expect((await cli(['catalog', 'fields', 'remove', 'shoe_size', '--yes', '--data-dir', dir])).stdout).toMatch(
      /^Removed Shoe size \(shoe_size\) and its values on 0 products\. To undo: mcp-tray catalog fields restore 1\n$/,
    );
    const keys = async () =>
      JSON.parse((await cli(['catalog', 'fields', '--json', '--data-dir', dir])).stdout).map((f: { key: string }) => f.key);
    expect(await keys()).toEqual(['weight_kg']);
    expect((await cli(['catalog', 'fields', 'removed', '--data-dir', dir])).stdout).toMatch(
      /^ {3}1 {2}Shoe size \(shoe_size\), 0 values, removed /,
    );
    expect((await cli(['catalog', 'fields', 'restore', '--data-dir', dir])).stdout).toBe(
      'Shoe size (shoe_size) is back, with its values on 0 products.\n',
    );
    expect(await keys()).toEqual(['weight_kg', 'shoe_size']);
    expect((await cli(['catalog', 'fields', 'restore', '1', '--data-dir', dir])).stderr).toMatch(
      /^mcp-tray: Shoe size was put back already/,
    );
    expect((await cli(['catalog', 'fields', 'move', 'shoe_size', '1', '--data-dir', dir])).stdout).toBe(
      "The fields' order: Shoe size, Weight (kg)\n",
    );
    expect((await cli(['catalog', 'fields', 'type', 'weight_kg', 'text', '--data-dir', dir])).stdout).toBe(
      'Weight (kg) is now text; 0 values converted.\n',
    );
    expect((await cli(['catalog', 'fields', 'move', 'shoe_size', '0', '--data-dir', dir])).code).toBe(2);
  });

  it('catalog import with columns the catalog lacks: names them and both ways on (nothing imported); --add-fields adds them typed; the export carries them and imports back unchanged', async () => {
    const dir = tempDir();
    const file = path.join(tempDir(), 'shop.csv');
    fs.writeFileSync(
      file,
      'name,price,category,sku,Colour,Weight (kg),In season,Arrives,Page\n' +
        'Lamp,10,Lights,L-1,red,1.5,yes,2026-12-24,https://example.com/lamp\n' +
        'Shade,4,Lights,S-1,green,0.25,no,,\n',
    );
    const refused = await cli(['catalog', 'import', file, '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'mcp-tray: 5 columns are new: Colour (text), Weight (kg) (number), In season (yes-no), Arrives (date), Page (link); nothing was imported. Give --add-fields to add them as fields of the catalog, or --leave-out-columns\n',
    );
    expect(JSON.parse((await cli(['status', '--json', '--data-dir', dir])).stdout).products).toBe(5);

    const left = tempDir();
    expect((await cli(['catalog', 'import', file, '--leave-out-columns', '--data-dir', left])).stdout).toMatch(/Imported: 2 added/);
    expect(JSON.parse((await cli(['catalog', 'fields', '--json', '--data-dir', left])).stdout)).toEqual([]);

    expect((await cli(['catalog', 'import', file, '--add-fields', '--data-dir', dir])).stdout).toMatch(/Imported: 2 added/);
    const fields = JSON.parse((await cli(['catalog', 'fields', '--json', '--data-dir', dir])).stdout) as Array<{
      key: string;
      type: string;
      used: number;
    }>;
    expect(fields.map((f) => [f.key, f.type, f.used])).toEqual([
      ['colour', 'text', 2],
      ['weight_kg', 'number', 2],
      ['in_season', 'yes-no', 2],
      ['arrives', 'date', 1],
      ['page', 'link', 1],
    ]);
    const out = path.join(tempDir(), 'out.csv');
    expect((await cli(['catalog', 'export', out, '--data-dir', dir])).code).toBe(0);
    const exported = fs.readFileSync(out, 'utf8');
    expect(exported.split('\n')[0]).toBe(
      'id,sku,name,description,price,category,stock,updated_at,Colour,Weight (kg),In season,Arrives,Page',
    );
    expect(exported).toMatch(/,L-1,Lamp,,10\.00,Lights,0,[^,]+,red,1\.5,yes,2026-12-24,https:\/\/example\.com\/lamp/);
    expect((await cli(['catalog', 'import', out, '--data-dir', dir])).stdout).toMatch(/Imported: 0 added, 0 updated, 7 unchanged/);
  });

  it('fix-config takes a trailing comma out of a config (a backup kept); a file with no sure fix stays as it is', async () => {
    const file = path.join(tempDir(), 'c.json');
    fs.writeFileSync(file, '{"mcpServers": {},}');
    const r = await cli(['fix-config', 'claude-desktop', '--config', file, '--data-dir', tempDir()]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Take out the comma at the end of line 1: c\.json reads again/) });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"mcpServers": {}}');
    fs.writeFileSync(file, '{"mcpServers": {} "x": 1}');
    const none = await cli(['fix-config', 'claude-desktop', '--config', file, '--data-dir', tempDir()]);
    expect(none).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^mcp-tray: There is no sure fix for c\.json \(a comma is missing, line 1\)/),
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('{"mcpServers": {} "x": 1}');
  });

  it('fails with one line on stderr and a non-zero code', async () => {
    const broken = path.join(tempDir(), 'c.json');
    fs.writeFileSync(broken, '{"mcpServers": {},}');
    const r = await cli(['connect', 'claude-desktop', '--config', broken, '--data-dir', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mcp-tray: .*c\.json is not valid JSON at line 1, column 19/);
    expect(fs.readFileSync(broken, 'utf8')).toBe('{"mcpServers": {},}');
    const usage = await cli(['connect', 'notepad']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/must be one of claude-desktop/);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });

  // As Claude's log (issue 23.4.2): a FIFO where a client's config should be is refused, never waited on.
  it('a named pipe where a client config should be is refused at once, in plain words', async () => {
    const fifo = path.join(tempDir(), 'claude_desktop_config.json');
    execFileSync('mkfifo', [fifo]);
    // Killed (SIGKILL: a process blocked opening a FIFO ignores SIGTERM) if it waits on the pipe.
    const r = await cli(['connect', 'claude-desktop', '--config', fifo, '--data-dir', tempDir()], undefined, {
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`mcp-tray: Cannot read ${fifo}: it is a named pipe, not a file\n`);
  }, 60_000);

  it('imports and exports the catalog as CSV', async () => {
    const dir = tempDir();
    const csv = path.join(tempDir(), 'in.csv');
    fs.writeFileSync(csv, 'name,price,category,stock\nKettle,30,Kitchen,4\nBad,x,Kitchen,1\n');
    const refused = await cli(['catalog', 'import', csv, '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/in\.csv:3: price must be a number/);
    expect(refused.stderr).toMatch(/1 row\(s\) have errors; nothing was imported/);
    const ok = await cli(['catalog', 'import', csv, '--skip-invalid', '--data-dir', dir]);
    expect(ok.stdout).toMatch(/Imported: 1 added, 0 updated, 0 unchanged, 1 skipped/);
    const out = path.join(tempDir(), 'out.csv');
    const exp = await cli(['catalog', 'export', out, '--data-dir', dir]);
    expect(exp.stdout).toMatch(/Exported 6 products/);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/SKU-000006,Kettle,,30\.00,Kitchen,4,/);
    const missing = await cli(['catalog', 'import', '/nonexistent.csv', '--data-dir', dir]);
    expect(missing).toMatchObject({ code: 1, stderr: 'mcp-tray: cannot read /nonexistent.csv: no such file\n' });
  });

  it('imports and exports Excel files; piped, it prints no progress; on a terminal, a percentage', async () => {
    const dir = tempDir();
    const book = path.join(tempDir(), 'catalog.xlsx');
    const exp = await cli(['catalog', 'export', book, '--data-dir', dir]);
    expect(exp).toMatchObject({ code: 0, stdout: `Exported 5 products to ${book}.\n`, stderr: '' });
    expect(fs.readFileSync(book).subarray(0, 2).toString()).toBe('PK');
    const imp = await cli(['catalog', 'import', book, '--data-dir', dir]);
    expect(imp).toMatchObject({ code: 0, stdout: 'Imported: 0 added, 0 updated, 5 unchanged.\n', stderr: '' });
    expect(await cli(['catalog', 'import', book, '--sheet', 'Nope', '--data-dir', dir])).toMatchObject({
      code: 1,
      stderr: 'mcp-tray: The spreadsheet has no sheet named "Nope" (it has "Products")\n',
    });
    // A terminal (script(1) gives the CLI a pseudo-terminal): progress on stderr, then the result.
    const csv = path.join(tempDir(), 'many.csv');
    fs.writeFileSync(csv, ['name,price,category', ...Array.from({ length: 3000 }, (_, i) => `P${i},1,C`)].join('\n'));
    const home = tempDir('mcp-tray-home-');
    const tty = await exec('script', ['-qec', `"${process.execPath}" "${BIN}" catalog import "${csv}" --data-dir "${dir}"`, '/dev/null'], {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' },
    });
    expect(tty.stdout).toMatch(/Importing… \d+% \(\d[\d,]* of 3,000\)/);
    expect(tty.stdout).toMatch(/Importing… 100% \(3,000 of 3,000\)/);
    expect(tty.stdout).toMatch(/Imported: 3000 added, 0 updated, 0 unchanged\.\r?\nPutting the new products into the search index…/);
    // …and it exits only once they are in it: the servers Claude uses search the index, not every row.
    const db = new Database(path.join(dir, 'products.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM search_backlog').pluck().get()).toBe(0);
    db.close();
  });

  it('npm start falls back to the headless shell, saying why, when Electron cannot run here', async () => {
    const dir = tempDir();
    const home = tempDir('mcp-tray-home-');
    // No display and (on this machine) no Electron binary: either reason sends it headless.
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'start.js'), '--no-open', '--data-dir', dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Stopped the moment it says where it is: the shutdown still runs to the end (exit code 0).
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('?token=')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await until(() => out.includes('?token='), 'the headless shell printed its URL', 20_000);
    expect(err).toMatch(/MCP Tray: (Electron's binary is not installed|there is no display).*so it starts headless instead/);
    expect(await exited).toBe(0);
    expect(out).toContain('Stopping the servers');
  });

  it('serve: killing the host leaves no server process behind', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--no-open', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => out.includes('?token='), 'serve printed its URL', 20_000);
    const db = new Database(path.join(dir, 'activity.db'), { readonly: true });
    let pids: number[] = [];
    await until(() => {
      pids = db.prepare(`SELECT pid FROM connections WHERE client_name = 'mcp-tray' AND ended_at IS NULL`).pluck().all() as number[];
      return pids.length === 2;
    }, 'both servers connected');
    db.close();
    child.kill('SIGKILL');
    // The children see their stdin close and exit by themselves.
    await until(() => !pids.some(isAlive), 'server processes gone after the host was killed');
  });
});
