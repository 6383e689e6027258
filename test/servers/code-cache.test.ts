// Issue 23.2: the V8 code cache the launcher keeps must be accepted at the next start. It was made
// after the server changed a V8 flag, so V8 refused it every time: each start compiled the bundle
// from scratch and wrote the cache again. Accepted, it is written once and then left alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverScript, tempDir } from '../helpers/servers.js';

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`;

/** Starts a server through its launcher, waits for the initialize answer and for the cache to be written, then stops it. */
async function start(name: 'products' | 'weather', dataDir: string, cacheDir: string): Promise<void> {
  const child = spawn(process.execPath, [serverScript(name), '--data-dir', dataDir], {
    env: { ...process.env, MCP_TRAY_CACHE_DIR: cacheDir, MCP_TRAY_NO_CODE_CACHE: '' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  child.stdin.write(INIT);
  await new Promise((resolve) => child.stdout.once('data', resolve));
  await new Promise((resolve) => setTimeout(resolve, 500)); // the launcher writes the cache after 300 ms
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
}

describe('the launcher’s V8 code cache', () => {
  it.each(['products', 'weather'] as const)(
    '%s: made once, then used (not refused and written again) at every start',
    async (name) => {
      const dataDir = tempDir();
      const cacheDir = tempDir();
      // The cache folder after the second start and after the third: the same files, byte for byte
      // (on Node 20 the launcher's own .v8 file; on Node 22+ Node's compile cache, which it uses there).
      const snapshot = () =>
        Object.fromEntries(
          (fs.readdirSync(cacheDir, { recursive: true }) as string[])
            .map((f) => path.join(cacheDir, f))
            .filter((f) => fs.statSync(f).isFile())
            .map((f) => [f, fs.readFileSync(f).toString('base64')]),
        );
      await start(name, dataDir, cacheDir);
      await start(name, dataDir, cacheDir);
      const second = snapshot();
      expect(Object.keys(second).length).toBeGreaterThan(0);
      await start(name, dataDir, cacheDir);
      expect(snapshot()).toEqual(second);
    },
    30_000,
  );
});
