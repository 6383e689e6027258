// Loopback HTTP building blocks shared by the optional MCP endpoint (beside it) and the headless shell (http/).
import crypto from 'node:crypto';
import type http from 'node:http';

/** Requests are refused with a status and a one-line reason, before anything else runs. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const newToken = () => crypto.randomBytes(24).toString('base64url');

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * DNS-rebinding and cross-site defence for a loopback server: the Host header must name the
 * loopback address we listen on, and an Origin, when a browser sends one, must be our own.
 */
export function checkHostAndOrigin(req: http.IncomingMessage, port: number): void {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowed.has(host))
    throw new HttpRefusal(403, `Forbidden: unexpected Host header ${JSON.stringify(req.headers.host ?? '')}`);
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
    throw new HttpRefusal(403, `Forbidden: requests from ${origin} are not allowed`);
  }
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearer(req: http.IncomingMessage): string | undefined {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** A URL's path, decoded; a malformed %-escape is the client's mistake (400), not ours. */
export function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    throw new HttpRefusal(400, 'Bad request: the address has a malformed %-escape');
  }
}

/** Reads a body up to `limit` bytes; past it, 413 without reading the rest. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpRefusal(413, `Payload too large: the limit is ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpRefusal(413, `Payload too large: the limit is ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** When a refused request's body is not read, close the connection rather than leave bytes in the pipe. */
export function refuse(res: http.ServerResponse, err: HttpRefusal): void {
  sendJson(
    res,
    err.status,
    { error: err.message },
    { connection: 'close', ...(err.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  );
}
