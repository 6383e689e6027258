// Issue 26, item 9: a closed browser tab is not a dead end in the headless shell. `mcp-tray open
// --print` gives the running shell's signed-in address again (a page without it says to run that);
// without a running shell it says how to start one; when the shell stops, its address goes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useServedBrowser } from '../helpers/browser.js';
import { ROOT, tempDir } from '../helpers/servers.js';

const run = (args: string[], home: string) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'mcp-tray.js'), ...args], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCP_TRAY_DATA_DIR: '' },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('mcp-tray open', () => {
  const env = useServedBrowser();

  it('a page without the address says to run mcp-tray open; --print gives a signed-in address that works', async () => {
    const page = await (await env.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${env.app.base}#/home`);
    await page.getByText('Run "mcp-tray open" in a terminal to open a signed-in page.').first().waitFor();
    const r = await run(['open', '--print', '--data-dir', env.app.dataDir], env.app.home);
    expect(r).toMatchObject({ code: 0, stdout: `${env.app.url}\n` });
    expect(fs.statSync(path.join(env.app.dataDir, 'shell.json')).mode & 0o777).toBe(0o600);
    await page.goto(r.stdout.trim());
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.context().close();
  });

  it('without a running shell: exit 1, saying how to start one; a stopped shell leaves no address behind', async () => {
    const none = await run(['open', '--print', '--data-dir', tempDir()], env.app.home);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^mcp-tray: MCP Tray's headless shell is not running for .* \(it has not been started\)\. Start it with: mcp-tray serve\n$/,
    );
    await env.app.stop();
    expect(fs.existsSync(path.join(env.app.dataDir, 'shell.json'))).toBe(false);
    const after = await run(['open', '--print', '--data-dir', env.app.dataDir], env.app.home);
    expect(after.code).toBe(1);
  });

  it('a shell killed without stopping: its record is seen as stale and removed', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'shell.json'), JSON.stringify({ pid: 999_999, url: 'http://127.0.0.1:1/?token=x', startedAt: '' }));
    const r = await run(['open', '--print', '--data-dir', dir], env.app.home);
    expect(r.stderr).toMatch(/not running .* \(it stopped\)/);
    expect(fs.existsSync(path.join(dir, 'shell.json'))).toBe(false);
  });
});
