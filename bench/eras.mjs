// npm run bench eras — the servers on the v2 SDK, answering a 2025 client and a 2026-07-28 client,
// side by side with a build from before the move (MCP_TRAY_BASELINE=<a checkout's root with its
// dist/ built>, e.g. a git worktree of the last v1 commit). Cold start: spawn → first byte of the
// answer to the opening request (initialize, or a 2026 server/discover). Query: a query_products
// (products) or get_forecast (weather) call, round trip over stdio, 300 times after 30 warm-up calls.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const INIT = {
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};
const DISCOVER = { method: 'server/discover', params: { _meta: ENVELOPE } };
const CALLS = {
  products: { name: 'query_products', arguments: { search: 'widget', limit: 20 } },
  weather: { name: 'get_forecast', arguments: { city_id: 'london', days: 3 } },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x) => `${x.toFixed(2)} ms`;

/** A server process and newline-delimited JSON-RPC over its stdio. */
function start(root, server, dataDir, cacheDir) {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'servers', `${server}.cjs`), '--data-dir', dataDir], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, MCP_TRAY_CACHE_DIR: cacheDir },
  });
  let buf = '';
  const waiting = new Map();
  child.stdout.on('data', (d) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        const msg = JSON.parse(line);
        waiting.get(msg.id)?.(msg);
      } catch {
        /* not ours */
      }
    }
  });
  let next = 1;
  const request = (body) =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, ...body })}\n`);
    });
  const notify = (body) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...body })}\n`);
  return { child, request, notify, firstByte: () => new Promise((r) => child.stdout.once('data', r)) };
}

async function coldStart(root, server, era, tmp) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const dir = path.join(tmp, `cold-${server}`);
    const t0 = performance.now();
    const s = start(root, server, dir, path.join(tmp, 'v8'));
    const first = s.firstByte();
    void s.request(era === 'modern' ? DISCOVER : INIT);
    await first;
    times.push(performance.now() - t0);
    s.child.kill();
    await new Promise((r) => s.child.once('exit', r));
  }
  return median(times.slice(1)); // the first run writes the code cache
}

async function query(root, server, era, tmp) {
  const s = start(root, server, path.join(tmp, `query-${server}`), path.join(tmp, 'v8'));
  const meta = era === 'modern' ? { _meta: ENVELOPE } : {};
  if (era === 'modern') await s.request(DISCOVER);
  else {
    await s.request(INIT);
    s.notify({ method: 'notifications/initialized' });
  }
  const call = () => s.request({ method: 'tools/call', params: { ...CALLS[server], ...meta } });
  const first = await call();
  if (first.error || first.result?.isError) throw new Error(`${server} ${era}: ${JSON.stringify(first).slice(0, 300)}`);
  for (let i = 0; i < 30; i++) await call();
  const times = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  s.child.kill();
  return { p50: median(times), p95: pct(times, 95) };
}

export async function run({ root, tmp }) {
  const baseline = process.env.MCP_TRAY_BASELINE;
  const builds = [
    ...(baseline && fs.existsSync(path.join(baseline, 'dist', 'servers', 'products.cjs'))
      ? [{ label: 'before (v1 SDK), 2025 client', root: baseline, era: 'legacy' }]
      : []),
    { label: 'now (v2 SDK), 2025 client', root, era: 'legacy' },
    { label: 'now (v2 SDK), 2026-07-28 client', root, era: 'modern' },
  ];
  console.log('\n## Both protocol eras: cold start and a query, side by side (stdio)');
  if (!baseline) console.log('(set MCP_TRAY_BASELINE to a checkout built before the move to compare with it)');
  const out = {};
  for (const server of ['products', 'weather']) {
    for (const b of builds) {
      const tmpB = path.join(tmp, `eras-${builds.indexOf(b)}`);
      fs.mkdirSync(tmpB, { recursive: true });
      const cold = await coldStart(b.root, server, b.era, tmpB);
      const q = await query(b.root, server, b.era, tmpB);
      out[`${server}: ${b.label}`] = { coldMs: cold, queryP50Ms: q.p50, queryP95Ms: q.p95 };
      console.log(
        `${server.padEnd(8)} ${b.label.padEnd(34)} cold start ${ms(cold).padStart(10)}   ${CALLS[server].name} p50 ${ms(q.p50)}, p95 ${ms(q.p95)}`,
      );
    }
  }
  return out;
}
