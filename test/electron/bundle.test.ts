import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/servers.js';

const run = promisify(execFile);

describe('the built desktop bundle (dist/electron/main.cjs)', () => {
  it('starts the host and both servers, builds a secure window and the tray, and quits leaving nothing running', async () => {
    const dataDir = tempDir();
    const home = tempDir('mcp-tray-home-');
    const { stdout } = await run(process.execPath, [path.join(import.meta.dirname, '..', 'fixtures', 'bundle-electron-stub.cjs')], {
      cwd: ROOT,
      env: { ...process.env, MCP_TRAY_DATA_DIR: dataDir, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(
      'tray Product catalog — running | Weather — running | Open MCP Tray | Connect to Claude Desktop | Show notifications | Quit MCP Tray',
    );
    expect(lines).toContain('window {"sandbox":true,"contextIsolation":true}');
    expect(lines).toContain('load app://mcp-tray/index.html#/servers');
    expect(lines.slice(-2)).toEqual(['tray destroyed', 'quit']);
    const db = new Database(path.join(dataDir, 'activity.db'), { readonly: true });
    const rows = db.prepare('SELECT server, client_name, ended_at IS NOT NULL AS ended FROM connections ORDER BY server').all();
    db.close();
    expect(rows).toEqual([
      { server: 'products', client_name: 'mcp-tray', ended: 1 },
      { server: 'weather', client_name: 'mcp-tray', ended: 1 },
    ]);
  });
});
