import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Host } from '../host.js';
import { type HostError } from '../errors.js';
import { UI_CSP, VIEW_CSP, viewFile, viewPath } from '../csp.js';
import type { HostErrorBody, HostEvent } from '../contract.js';
import {
  HttpRefusal,
  bearer,
  checkHostAndOrigin,
  decodedPath,
  newToken,
  readBody,
  refuse,
  sendJson,
  tokenMatches,
} from '../loopback/guard.js';

const API_BODY_LIMIT = 1024 * 1024;
/** An import carries the file itself: up to 64 MB, as CSV text or as base64 (4/3 larger), plus the JSON around it. */
const IMPORT_BODY_LIMIT = Math.ceil((64 * 1024 * 1024 * 4) / 3) + 1024;

const STATUS: Record<HostErrorBody['code'], number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  parse_error: 422,
  unknown_method: 404,
  internal: 500,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MCP Tray</title></head>
<body><main><h1>MCP Tray</h1><p>The host is running, but the UI has not been built. Run <code>npm run build</code>.</p></main></body></html>`;

export interface ShellServer {
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

/**
 * The headless shell: the host API over HTTP (POST /api/<method>), its events over server-sent
 * events (GET /api/events), and the built UI, on 127.0.0.1 only. Like Jupyter, a random token per
 * run is in the printed URL. The page keeps it in the tab's session storage and sends it as an
 * Authorization header: never in a cookie, since cookies ignore ports and every other server on
 * 127.0.0.1 would be sent it. The UI's files are public (they hold no data); the API is not. Every
 * request is checked in this order: Host/Origin (403), token (401, API only), size (413).
 */
export async function startShellServer(host: Host, opts: { port?: number; rendererDir: string; token?: string }): Promise<ShellServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  const clients = new Set<http.ServerResponse>();

  const onEvent = (e: HostEvent) => {
    const frame = `data: ${JSON.stringify(e)}\n\n`;
    for (const res of clients) res.write(frame);
  };
  host.on('event', onEvent);
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const authorized = (req: http.IncomingMessage) => tokenMatches(bearer(req), token);

  const serveView = (req: http.IncomingMessage, res: http.ServerResponse, name: string) => {
    const file = viewPath(opts.rendererDir, name);
    if (!fs.existsSync(file)) throw new HttpRefusal(404, 'Not found');
    res.writeHead(200, {
      'content-type': MIME['.html']!,
      'content-security-policy': VIEW_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  };

  const serveStatic = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const view = viewFile(decodedPath(url));
    if (view) return serveView(req, res, view);
    const rel = decodedPath(url).replace(/^\/+/, '') || 'index.html';
    const root = path.resolve(opts.rendererDir);
    let file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) && file !== root) throw new HttpRefusal(404, 'Not found');
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html'); // client-side routes
    const headers: Record<string, string> = {
      'content-security-policy': UI_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    };
    if (!fs.existsSync(file)) {
      res.writeHead(200, { ...headers, 'content-type': MIME['.html']! });
      res.end(FALLBACK_PAGE);
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file).pipe(res);
  };

  const server = http.createServer(async (req, res) => {
    try {
      checkHostAndOrigin(req, port);
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const route = decodedPath(url);
      if (route.startsWith('/api/') && !authorized(req))
        throw new HttpRefusal(401, 'Unauthorized: open the URL that mcp-tray serve printed (it carries the token)');

      if (route === '/api/events') {
        if (req.method !== 'GET') throw new HttpRefusal(405, 'Method not allowed');
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      const api = /^\/api\/([A-Za-z]+)$/.exec(route);
      if (api) {
        if (req.method !== 'POST') throw new HttpRefusal(405, 'Method not allowed: use POST');
        // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
          throw new HttpRefusal(415, 'Unsupported media type: send application/json');
        const method = api[1]!;
        const raw = await readBody(req, method === 'previewImport' ? IMPORT_BODY_LIMIT : API_BODY_LIMIT);
        let args: unknown;
        try {
          args = raw.length ? JSON.parse(raw.toString('utf8')) : {};
        } catch {
          return sendJson(res, 400, { error: 'The request body is not valid JSON', code: 'invalid' } satisfies HostErrorBody);
        }
        try {
          const result = await host.dispatch(method, args);
          return sendJson(res, 200, { result: result ?? null });
        } catch (err) {
          const e = err as HostError; // dispatch turns every failure into a HostError
          return sendJson(res, STATUS[e.code], { error: e.message, code: e.code } satisfies HostErrorBody);
        }
      }
      if (route.startsWith('/api/')) throw new HttpRefusal(404, 'Not found');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'Method not allowed');
      serveStatic(req, res, url);
    } catch (err) {
      if (err instanceof HttpRefusal) return refuse(res, err);
      sendJson(res, 500, { error: (err as Error).message, code: 'internal' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      host.off('event', onEvent);
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
