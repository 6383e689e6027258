// Issue 16, §3 and §5: `mcp-tray doctor` with planted problems and a healthy setup, the checks
// behind it, and the per-tool switches it reports.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../electron/core/contract.js';
import { temporaryLocation } from '../../electron/core/install-location.js';
import { makeRuntime } from '../../electron/core/runtime.js';
import type { Host } from '../../electron/core/host.js';
import { pgProblem, type PgTarget } from '../../servers/products/postgres/connect.js';
import { fakePlatform, startHost } from '../helpers/host.js';
import { ROOT, call, connect, tempDir, until } from '../helpers/servers.js';

const exec = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'mcp-tray.js');

async function doctor(home: string, dataDir: string, json = true, opts: { timeout?: number; killSignal?: NodeJS.Signals } = {}) {
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' };
  const args = [BIN, 'doctor', '--data-dir', dataDir, ...(json ? ['--json'] : [])];
  const r = await exec(process.execPath, args, { env, ...opts }).then(
    (x) => ({ code: 0, stdout: x.stdout, stderr: x.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  return { ...r, report: json && r.stdout ? (JSON.parse(r.stdout) as CheckReport) : null };
}
/** Writes Claude Desktop's mcp.log in a setup's logs folder. */
function claudeLog(logs: string, text: string) {
  fs.mkdirSync(logs, { recursive: true });
  fs.writeFileSync(path.join(logs, 'mcp.log'), text);
}
const failed = (r: CheckReport) => r.checks.filter((c) => !c.ok).map((c) => c.id);
const check = (r: CheckReport, id: string) => r.checks.find((c) => c.id === id)!;

/** A person's computer with Claude Desktop connected (by the CLI, as the app would). */
async function connectedSetup() {
  const home = tempDir('mcp-tray-home-');
  const dataDir = tempDir();
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' };
  await exec(process.execPath, [BIN, 'connect', 'claude-desktop', '--data-dir', dataDir], { env });
  const config = path.join(home, '.config', 'Claude', 'claude_desktop_config.json');
  const logs = path.join(home, '.config', 'Claude', 'logs');
  return { home, dataDir, config, logs };
}

describe('mcp-tray doctor', () => {
  it('a healthy setup: every check passes, exit 0, one ✓ line per check', async () => {
    const s = await connectedSetup();
    const r = await doctor(s.home, s.dataDir);
    expect(r.code).toBe(0);
    expect(r.report!.ok).toBe(true);
    expect(r.report!.checks.map((c) => c.id)).toEqual([
      'data-folder',
      'database:products.db',
      'database:weather.db',
      'database:activity.db',
      'server:products',
      'server:weather',
      'install-location',
      'client:claude-desktop',
      'claude-route',
      'claude-logs',
      'auto-repair',
      'tools',
    ]);
    expect(check(r.report!, 'server:products').detail).toMatch(/^answered initialize in \d+ ms \(6 tools listed\)$/);
    for (const c of r.report!.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'id', 'next', 'ok', 'title']);

    const human = await doctor(s.home, s.dataDir, false);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✓ '))).toHaveLength(12);
    expect(lines.at(-1)).toBe('Everything looks right.');
  });

  it('an entry that points at a file that is gone', async () => {
    const s = await connectedSetup();
    const config = JSON.parse(fs.readFileSync(s.config, 'utf8'));
    config.mcpServers['mcp-tray-products'].args[0] = '/Volumes/MCP Tray/gone/products.cjs';
    fs.writeFileSync(s.config, JSON.stringify(config));
    const r = await doctor(s.home, s.dataDir);
    expect(r.code).toBe(1);
    expect(failed(r.report!)).toEqual(['client:claude-desktop']);
    expect(check(r.report!, 'client:claude-desktop')).toMatchObject({
      detail: expect.stringContaining('mcp-tray-products points at /Volumes/MCP Tray/gone/products.cjs, which no longer exists'),
      next: expect.stringMatching(/^Click Repair/),
    });
  });

  it("an error in Claude's own log, quoted, with the next step", async () => {
    const s = await connectedSetup();
    claudeLog(
      s.logs,
      `2026-03-18T14:22:00.000Z [info] [mcp-tray-products] Initializing server... { metadata: undefined }
2026-03-18T14:22:00.010Z [error] [mcp-tray-products] spawn /Volumes/MCP Tray/MCP Tray.app/Contents/MacOS/MCP Tray ENOENT { metadata: { context: 'connection' } }
`,
    );
    const r = await doctor(s.home, s.dataDir);
    expect(r.code).toBe(1);
    expect(failed(r.report!)).toEqual(['claude-logs']);
    expect(check(r.report!, 'claude-logs').detail).toContain(
      'mcp-tray-products: “spawn /Volumes/MCP Tray/MCP Tray.app/Contents/MacOS/MCP Tray ENOENT” (mcp.log, 2026-03-18T14:22:00.010Z)',
    );
    expect(check(r.report!, 'claude-logs').next).toMatch(/Applications folder/);
    const human = await doctor(s.home, s.dataDir, false);
    expect(human.stdout).toMatch(/✗ What Claude Desktop says: mcp-tray-products: “spawn .* ENOENT”.*\n {4}→ Move MCP Tray/);
  });

  // Issue 23.4.2 and 4.3: what sits where Claude's log should be never stalls doctor (nor the app's API).
  it("a FIFO where Claude's log should be is skipped at once, not waited on for ever", async () => {
    const s = await connectedSetup();
    fs.mkdirSync(s.logs, { recursive: true });
    execFileSync('mkfifo', [path.join(s.logs, 'mcp.log')]);
    // Killed (SIGKILL: a process blocked opening a FIFO ignores SIGTERM) if it waits on the FIFO.
    const r = await doctor(s.home, s.dataDir, true, { timeout: 60_000, killSignal: 'SIGKILL' });
    expect(r.report).not.toBeNull();
    expect(failed(r.report!)).toEqual([]);
  });

  it("a log line of 4 MB of spaces is read in one pass (it took hours): Claude's error beside it is still quoted", async () => {
    const s = await connectedSetup();
    claudeLog(
      s.logs,
      `2026-03-18T14:22:00.000Z [info] [mcp-tray-products] Initializing server... { metadata: undefined }
2026-03-18T14:22:00.005Z [error] [mcp-tray-weather] x${' '.repeat(4 * 1024 * 1024)}y
2026-03-18T14:22:00.010Z [error] [mcp-tray-products] spawn /gone/MCP Tray ENOENT${' '.repeat(250_000)}{ metadata: { context: 'connection' } }
`,
    );
    const r = await doctor(s.home, s.dataDir, true, { timeout: 60_000, killSignal: 'SIGKILL' });
    expect(failed(r.report!)).toEqual(['claude-logs']);
    expect(check(r.report!, 'claude-logs').detail).toContain(
      'mcp-tray-products: “spawn /gone/MCP Tray ENOENT” (mcp.log, 2026-03-18T14:22:00.010Z)',
    );
  }, 90_000);

  // Issue 23.4.5: text from outside reaches the terminal as text, its control characters shown as escapes.
  it("control characters in Claude's log, a client's self-chosen name or a database's error are shown as escapes, never sent to the terminal", async () => {
    const s = await connectedSetup();
    claudeLog(
      s.logs,
      `2026-03-18T14:22:00.000Z [info] [mcp-tray-products] Initializing server... { metadata: undefined }
2026-03-18T14:22:00.010Z [error] [mcp-tray-products] boom \x1b[2J\x1b]0;pwned\x07 \u202Edone { metadata: { context: 'connection' } }
`,
    );
    const human = await doctor(s.home, s.dataDir, false);
    expect(human.stdout).toContain('boom \\x1b[2J\\x1b]0;pwned\\x07 \\u202edone');
    // eslint-disable-next-line no-control-regex
    expect(human.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);

    const c = await connect('products', s.dataDir, { clientName: 'evil\x1b]0;title\x07\nnext line' });
    try {
      const env = { ...process.env, HOME: s.home, XDG_CONFIG_HOME: path.join(s.home, '.config'), MCP_TRAY_DATA_DIR: '' };
      let status = '';
      await until(async () => {
        status = (await exec(process.execPath, [BIN, 'status', '--data-dir', s.dataDir], { env })).stdout;
        return status.includes('evil');
      }, 'the client in status');
      expect(status).toContain('evil\\x1b]0;title\\x07\\x0anext line is using products');
      // eslint-disable-next-line no-control-regex
      expect(status).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    } finally {
      await c.close();
    }
    expect(
      pgProblem({ code: '28000', message: 'no pg_hba.conf entry \x1b[2J' }, {
        host: 'db',
        port: 5432,
        user: 'u',
        database: 'd',
      } as PgTarget)!.message,
    ).toContain('no pg_hba.conf entry \\x1b[2J');
  });

  it('a client config someone else broke: the file is left as it is', async () => {
    const s = await connectedSetup();
    const broken = fs.readFileSync(s.config, 'utf8').replace('"mcpServers": {', '"mcpServers": {,');
    fs.writeFileSync(s.config, broken);
    const r = await doctor(s.home, s.dataDir);
    expect(r.code).toBe(1);
    expect(failed(r.report!)).toEqual(['client:claude-desktop']);
    expect(check(r.report!, 'client:claude-desktop').detail).toMatch(/line \d+, column \d+/);
    expect(fs.readFileSync(s.config, 'utf8')).toBe(broken);
  });

  it('a data folder that cannot be used: says so as a check, exit 1, no crash', async () => {
    const home = tempDir('mcp-tray-home-');
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const r = await doctor(home, path.join(file, 'data'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.report).toEqual({
      ok: false,
      checks: [expect.objectContaining({ id: 'data-folder', ok: false, next: expect.stringMatching(/--data-dir/) })],
    });
    const human = await doctor(home, path.join(file, 'data'), false);
    expect(human.stdout).toMatch(/^✗ Data folder: .*a-file\/data: /);
  });

  it('a data folder that is not there: says which one it looked at, and does not make it (nor sample data)', async () => {
    const dir = path.join(tempDir(), 'never-used');
    const r = await doctor(tempDir('mcp-tray-home-'), dir, false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ Data folder: .*there is no data folder at .*never-used: MCP Tray has not been run with it/);
    expect(r.stdout).toContain(`The data folder checked: ${dir}\n`);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('nothing connected yet: one failing check that says to connect', async () => {
    const r = await doctor(tempDir('mcp-tray-home-'), tempDir());
    expect(r.code).toBe(1);
    expect(failed(r.report!)).toEqual(['clients']);
    expect(check(r.report!, 'clients').next).toMatch(/Connect/);
  });

  it('usage errors exit 2', async () => {
    const env = { ...process.env, HOME: tempDir('mcp-tray-home-') };
    const r = await exec(process.execPath, [BIN, 'doctor', '--bogus'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
  });
});

describe('where the app runs from', () => {
  it('knows the places that do not survive a restart', () => {
    const mac = (p: string) => temporaryLocation(p, 'darwin', {});
    expect(mac('/private/var/folders/x1/T/AppTranslocation/1234-ABCD/d/MCP Tray.app/Contents/MacOS/MCP Tray')).toMatch(/App Translocation/);
    expect(mac('/Volumes/MCP Tray 0.1.0/MCP Tray.app/Contents/MacOS/MCP Tray')).toMatch(/disk image \(\/Volumes\/MCP Tray 0\.1\.0\)/);
    expect(mac('/Applications/MCP Tray.app/Contents/MacOS/MCP Tray')).toBeNull();
    expect(mac('/Volumes/Data/Applications/MCP Tray.app/Contents/MacOS/MCP Tray')).toBeNull(); // an Applications folder on another disk
    expect(temporaryLocation('/tmp/.mount_MCPTraAbCd/mcp-tray', 'linux', { APPIMAGE: '/home/ann/MCP-Tray.AppImage' })).toMatch(/AppImage/);
    expect(temporaryLocation('/opt/MCP Tray/mcp-tray', 'linux', {})).toBeNull();
    expect(temporaryLocation('/tmp/unzipped/mcp-tray', 'linux', {})).toMatch(/temporary folder \(\/tmp\)/);
    expect(
      temporaryLocation('C:\\Users\\ann\\AppData\\Local\\Temp\\Rar$EXa1.234\\MCP Tray.exe', 'win32', {
        TEMP: 'C:\\Users\\ann\\AppData\\Local\\Temp',
      }),
    ).toMatch(/zip file/);
    expect(
      temporaryLocation('C:\\Users\\ann\\AppData\\Local\\Programs\\MCP Tray\\MCP Tray.exe', 'win32', {
        TEMP: 'C:\\Users\\ann\\AppData\\Local\\Temp',
      }),
    ).toBeNull();
  });
});

describe('checks through the host (the Apps page and doctor share them)', () => {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
  });

  it('a temporary app location fails its check, and Connect says so before anyone relies on it', async () => {
    const home = tempDir('mcp-tray-home-');
    const runtime = {
      ...makeRuntime({ distDir: path.join(ROOT, 'dist'), execPath: process.execPath, shell: 'headless' }),
      command: '/Volumes/MCP Tray/MCP Tray.app/Contents/MacOS/MCP Tray',
    };
    const h = await startHost({ runtime, platform: fakePlatform(home, 'darwin'), autostart: false });
    hosts.push(h);
    const r = await h.api.runChecks({ startServers: false });
    expect(check(r, 'install-location')).toMatchObject({ ok: false, detail: expect.stringMatching(/disk image/) });
    const setup = await h.api.getSetup();
    expect(setup.install).toEqual({ command: runtime.command, temporary: expect.stringMatching(/disk image/), canMove: false });
    expect(h.state().install.temporary).toMatch(/disk image/);
    await expect(h.api.moveApp()).rejects.toThrow(/Only the desktop app on macOS/);
  });

  it('per-tool switches: a switched-off tool leaves tools/list live in a running instance, and comes back', async () => {
    const h = await startHost({ autostart: false });
    hosts.push(h);
    const claude = await connect('products', h.dataDir);
    try {
      let changed = 0;
      claude.client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
      const names = async () => (await claude.client.listTools()).tools.map((t) => t.name);
      expect(await names()).toContain('delete_product');

      await h.api.setToolEnabled({ server: 'products', tool: 'delete_product', enabled: false });
      await until(async () => !(await names()).includes('delete_product'), 'delete_product to leave tools/list');
      expect(changed).toBeGreaterThan(0);
      const refused = await claude.client.callTool({ name: 'delete_product', arguments: { product_id: 1 } }).then(
        () => 'called',
        (e: Error) => e.message,
      );
      expect(refused).toMatch(/Unknown tool: delete_product \(switched off in MCP Tray: the person switched delete_product off\)/);
      // The state, the doctor and the Home page's examples all see the same switch.
      expect(h.state().tools.products.find((t) => t.name === 'delete_product')).toMatchObject({ on: false, blockedBy: null });
      expect(check(await h.api.runChecks({ startServers: false }), 'tools').detail).toBe('switched off: products.delete_product');
      await h.api.setToolEnabled({ server: 'products', tool: 'query_products', enabled: false });
      const setup = await h.api.getSetup();
      expect(setup.examples).not.toContain('Which products are low on stock?');
      expect(setup.steps[0]!.detail).toMatch(/· switched off: products\.query_products, products\.delete_product$/);

      await h.api.setToolEnabled({ server: 'products', tool: 'delete_product', enabled: true });
      await until(async () => (await names()).includes('delete_product'), 'delete_product to come back');
      expect((await call(claude.client, 'get_product', { product_id: 1 })).isError).toBeFalsy();

      // "Allow AI to change the catalog" is a shortcut over the same switches.
      await h.api.updateSettings({ servers: { products: { allowWrites: false } } });
      await until(async () => !(await names()).includes('add_product'), 'write tools to go');
      expect(h.state().tools.products.find((t) => t.name === 'add_product')).toMatchObject({ on: false, blockedBy: 'allowWrites' });
    } finally {
      await claude.close();
    }
    await expect(h.api.setToolEnabled({ server: 'weather', tool: 'nope', enabled: false })).rejects.toThrow(
      'Weather has no tool named nope',
    );
    await expect(h.api.setToolEnabled({ server: 'weather', tool: '', enabled: false })).rejects.toThrow(/tool/);
  });
});
