import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedServer, backoffDelay, type RestartPolicy } from '../../electron/core/supervisor.js';
import type { Runtime } from '../../electron/core/runtime.js';
import type { ServerStatus } from '../../electron/core/contract.js';
import { isAlive, tempDir, until } from '../helpers/servers.js';
import { testRuntime } from '../helpers/host.js';
import v8 from 'node:v8';
import vm from 'node:vm';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'fixture-server.mjs');
const fixtureRuntime = (mode: string): Runtime => ({ ...testRuntime(), serverScript: () => FIXTURE, env: { FIXTURE_MODE: mode } });
const fast: RestartPolicy = { baseDelayMs: 50, maxDelayMs: 400, maxCrashes: 5, windowMs: 60_000, startTimeoutMs: 10_000 };

const servers: ManagedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.dispose();
});
function managed(runtime: Runtime, policy = fast) {
  const s = new ManagedServer('products', runtime, tempDir(), undefined, policy);
  servers.push(s);
  return s;
}

describe('supervisor', () => {
  it('starts the real products server, knows its tools, calls one, and stops it with no process left', async () => {
    const s = managed(testRuntime());
    const states: string[] = [];
    s.on('status', (st) => states.push(st.state));
    await s.start();
    const st = s.status();
    expect(st.state).toBe('running');
    expect(st.pid).toBeGreaterThan(0);
    expect(st.tools.map((t) => t.name)).toContain('query_products');
    expect(st.resources.map((r) => r.uri)).toContain('db://products/all');
    expect(st.prompts.map((p) => p.name)).toContain('restock_report');
    const r = await s.callTool('get_product', { product_id: 1 });
    expect(r.isError).toBe(false);
    const unknown = await s.callTool('nope', {});
    expect(unknown).toMatchObject({ isError: true, result: { error: { code: -32602 } } });
    const pid = st.pid!;
    await s.stop();
    expect(s.status()).toMatchObject({ state: 'stopped', pid: null });
    expect(isAlive(pid)).toBe(false);
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(s.log.lines().some((l) => l.text.includes('ready'))).toBe(true);
  });

  it('says it is stopping while the process winds down, and every status is newer than the one before', async () => {
    const s = managed(testRuntime());
    const seen: ServerStatus[] = [];
    s.on('status', (st) => seen.push(st));
    await s.start();
    const running = s.status();
    const stopping = s.stop();
    // A snapshot taken meanwhile (the window asking after a settings change) must not say "running" with no process.
    expect(s.status()).toMatchObject({ state: 'stopping', pid: null, seq: seen.at(-1)!.seq });
    await stopping;
    expect(s.status()).toMatchObject({ state: 'stopped', pid: null });
    expect(seen.map((st) => st.state)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    const seqs = seen.map((st) => st.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen.at(-1)!.seq).toBeGreaterThan(running.seq);
    // A status asked for twice with nothing changed in between is the same status.
    expect(s.status().seq).toBe(s.status().seq);
  });

  it('switched on again while it was stopping: it ends running, not stopped', async () => {
    const s = managed(testRuntime());
    await s.start();
    const old = s.status().pid!;
    const stopping = s.stop();
    await s.start();
    await stopping;
    expect(s.status()).toMatchObject({ state: 'running' });
    expect(s.status().pid).not.toBe(old);
    expect((await s.callTool('get_product', { product_id: 1 })).isError).toBe(false);
  });

  it('restarts a crashing server with growing delays, then parks it in crash-loop until asked', async () => {
    const s = managed(fixtureRuntime('crash-soon'));
    const seen: ServerStatus[] = [];
    s.on('status', (st) => seen.push(st));
    await s.start();
    await until(() => s.status().state === 'crash-loop', 'crash-loop', 20_000);
    const crashed = seen.filter((st) => st.state === 'crashed');
    expect(crashed).toHaveLength(4);
    expect(crashed.map((st) => st.crashesInWindow)).toEqual([1, 2, 3, 4]);
    const st = s.status();
    expect(st).toMatchObject({ state: 'crash-loop', restarts: 4, crashesInWindow: 5, pid: null, nextRestartAt: null });
    expect(st.lastError).toMatch(/exited/);
    expect(
      s.log
        .lines()
        .map((l) => l.text)
        .join('\n'),
    ).toMatch(/5 crashes within 60 s: not restarting until asked/);

    // Parked: no restart happens by itself.
    await new Promise((r) => setTimeout(r, 600));
    expect(s.status().state).toBe('crash-loop');
    // A manual restart clears the loop and tries again.
    await s.restart();
    expect(['running', 'crashed', 'crash-loop']).toContain(s.status().state);
    expect(s.status().crashesInWindow).toBeLessThanOrEqual(1);
  });

  it('reports why a server that cannot start failed, from its stderr', async () => {
    const s = managed(fixtureRuntime('crash-at-start'), { ...fast, maxCrashes: 2 });
    await s.start();
    await until(() => s.status().state === 'crash-loop', 'crash-loop');
    expect(s.status().lastError).toMatch(/the fixture was told to crash at start/);
  });

  it('computes exponential backoff with a cap', () => {
    const p: RestartPolicy = { baseDelayMs: 500, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 60_000, startTimeoutMs: 1 };
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, p))).toEqual([500, 1000, 2000, 4000, 8000, 30_000]);
  });

  it('leaves no process behind after many quick toggles', async () => {
    const s = managed(testRuntime());
    const pids = new Set<number>();
    s.on('status', (st) => st.pid && pids.add(st.pid));
    for (let i = 0; i < 6; i++) {
      const start = s.start();
      if (i % 2) await start;
      await s.stop();
    }
    await s.start();
    await s.stop();
    expect(pids.size).toBeGreaterThan(0);
    await until(() => [...pids].every((p) => !isAlive(p)), 'every child gone');
    expect(s.status().state).toBe('stopped');
  });

  it('a child flooding stderr neither blocks it nor grows the log without bound', async () => {
    const s = managed(fixtureRuntime('flood'));
    await s.start();
    await until(() => s.log.size >= 2000, 'log ring filled');
    // Retained memory, not garbage not yet collected: collect before each reading.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    // While flooding, the server still answers promptly: the pipe is being drained.
    for (let i = 0; i < 20; i++) expect((await s.callTool('ping', {})).isError).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.log.size).toBe(2000);
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(s.log.lines(1)[0]!.text).toMatch(/^x{200}$/);
  });
});
