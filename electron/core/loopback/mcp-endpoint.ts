import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type JSONRPCMessage,
  type McpHttpHandler,
  type McpServer,
  type Transport,
} from '@modelcontextprotocol/server';
import { envelopeClient } from '../../../servers/shared/request-context.js';
import { setEra } from '../../../servers/shared/subscriptions.js';
import type { BuiltServer } from '../../../servers/shared/server-data.js';
import { dataFiles } from '../../../servers/shared/datadir.js';
import type { Db } from '../../../servers/shared/db.js';
import type { ServerData } from '../../../servers/shared/server-data.js';
import { ActivityRecorder, openActivityDb, recordClients } from '../../../servers/shared/activity.js';
import { OPEN_DATA } from '../../../servers/data.js';
import { SERVER_NAMES, type ServerName } from '../../../servers/registry.js';
import type { SettingsStore } from '../settings.js';
import type { Settings } from '../../../servers/shared/settings.js';
import { HttpRefusal, bearer, checkHostAndOrigin, newToken, readBody, refuse, sendJson, tokenMatches } from './guard.js';

const BODY_LIMIT = 4 * 1024 * 1024;

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  close: () => Promise<void>;
  /** Applies changed settings (write permission, weather provider) to the live session. */
  apply: (settings: Settings) => void;
  lastUsed: number;
}

export interface SessionLimits {
  /** At most this many live sessions; the least recently used one makes room for a new one. */
  maxSessions: number;
  /** A session with no request for this long is closed (the client starts a new one with initialize). */
  idleMs: number;
}
export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 64, idleMs: 30 * 60_000 };

/**
 * The optional Streamable HTTP endpoint for clients that speak HTTP: http://127.0.0.1:PORT/mcp/<server>,
 * each session its own McpServer over the same SQLite files (and the same store code) as the stdio
 * servers. Loopback only; a bearer token (kept in the data directory, so client configs stay valid
 * across restarts); Host/Origin checked (403) before anything runs; bodies over 4 MB get 413.
 * Session ids and MCP-Protocol-Version are handled by the SDK's transport as the spec says.
 */
export class McpHttpEndpoint {
  private server: http.Server | undefined;
  private port = 0;
  private token: string | undefined;
  private readonly sessions = new Map<string, Session>();
  private activityDb: Db | undefined;
  private data: Partial<Record<ServerName, ServerData>> = {};
  private sweeper: NodeJS.Timeout | undefined;
  private readonly limits: SessionLimits;
  /**
   * 2026-07-28 traffic, per server: a stateless handler (an instance per request), and one
   * long-lived instance whose notifications (a change made anywhere) are published to the
   * handler's subscriptions/listen streams.
   */
  private modern: Partial<Record<ServerName, { handler: McpHttpHandler; node: ReturnType<typeof toNodeHandler>; publisher: BuiltServer }>> =
    {};

  constructor(private readonly opts: { dataDir: string; settings: SettingsStore; limits?: Partial<SessionLimits> }) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
    opts.settings.on('change', (settings) => {
      for (const d of Object.values(this.data)) d.applySettings?.(settings);
      for (const s of this.sessions.values()) s.apply(settings);
      for (const m of Object.values(this.modern)) m.publisher.applySettings(settings);
    });
  }

  /** Live sessions (each holds an McpServer): bounded in number and in idle time. */
  sessionCount(): number {
    return this.sessions.size;
  }

  private async evict(key: string): Promise<void> {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    await session.transport.close().catch(() => {});
    await session.close().catch(() => {});
  }

  private async sweep(): Promise<void> {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const [key, s] of [...this.sessions]) if (s.lastUsed < cutoff) await this.evict(key);
  }

  private tokenFile() {
    return path.join(this.opts.dataDir, 'http-token');
  }

  private loadToken(): string {
    try {
      const t = fs.readFileSync(this.tokenFile(), 'utf8').trim();
      if (t.length >= 32) return t;
    } catch {
      /* first use */
    }
    const t = newToken();
    fs.writeFileSync(this.tokenFile(), `${t}\n`, { mode: 0o600 });
    return t;
  }

  info(): { url: string; token: string } | null {
    return this.server && this.token ? { url: `http://127.0.0.1:${this.port}/mcp`, token: this.token } : null;
  }

  async applySettings(): Promise<void> {
    const http = this.opts.settings.get().http;
    await this.stop();
    if (http.enabled) await this.start();
  }

  /** Servers switched off stop answering: their sessions are closed. */
  async refresh(): Promise<void> {
    for (const id of [...this.sessions.keys()]) {
      const name = id.split(':')[0] as ServerName;
      if (!this.opts.settings.get().servers[name]?.enabled) await this.evict(id);
    }
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.token = this.loadToken();
    const files = dataFiles(this.opts.dataDir);
    this.activityDb = openActivityDb(files.activity);
    for (const name of SERVER_NAMES) {
      this.data[name] = await OPEN_DATA[name](files, this.opts.settings.get());
      this.modern[name] = await this.modernHandler(name);
    }
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.requestTimeout = 0; // GET streams stay open
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.settings.get().http.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.sweeper = setInterval(() => void this.sweep(), Math.max(50, Math.min(60_000, this.limits.idleMs / 2)));
    this.sweeper.unref();
  }

  /**
   * The 2026-07-28 side of one server: each request is served by a fresh instance over the open
   * data (closed with the request); changes reach listening clients through one long-lived
   * publisher instance, the same server code, whose notifications go to the handler's streams.
   */
  private async modernHandler(name: ServerName) {
    const activity = new ActivityRecorder(this.activityDb!, name);
    activity.setEra('modern');
    const handler = createMcpHandler(
      () => {
        const built = this.data[name]!.create(this.opts.settings.get(), (tool, at, ms, error, ctx) =>
          activity.toolCall(tool, at, ms, error, envelopeClient(ctx)),
        );
        setEra(built.server, 'modern');
        const closed = built.server.server.onclose;
        built.server.server.onclose = () => {
          closed?.();
          void built.close().catch(() => {});
        };
        return built.server;
      },
      { legacy: 'reject', onerror: () => {} },
    );
    const publisher = this.data[name]!.create(this.opts.settings.get(), () => {});
    setEra(publisher.server, 'modern');
    await publisher.server.connect(new NotifierTransport(handler));
    return { handler, node: toNodeHandler(handler), publisher };
  }

  /** One session's server, in-process, over the endpoint's open databases (as the stdio entry runs it). */
  private createSessionServer(name: ServerName): Omit<Session, 'transport' | 'lastUsed'> & { server: McpServer } {
    const activity = new ActivityRecorder(this.activityDb!, name);
    const built = this.data[name]!.create(this.opts.settings.get(), (tool, at, ms, error, ctx) =>
      activity.toolCall(tool, at, ms, error, envelopeClient(ctx)),
    );
    setEra(built.server, 'legacy');
    activity.setEra('legacy');
    recordClients(built.server, activity);
    return {
      server: built.server,
      apply: built.applySettings,
      close: async () => {
        activity.close();
        await built.close();
      },
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      checkHostAndOrigin(req, this.port);
      if (!tokenMatches(bearer(req), this.token!))
        throw new HttpRefusal(401, 'Unauthorized: send Authorization: Bearer <token> (MCP Tray → Settings shows it)');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const name = /^\/mcp\/([a-z]+)$/.exec(url.pathname)?.[1] as ServerName | undefined;
      if (!name || !SERVER_NAMES.includes(name))
        throw new HttpRefusal(404, `Not found: use ${SERVER_NAMES.map((n) => `/mcp/${n}`).join(' or ')}`);
      if (!this.opts.settings.get().servers[name].enabled) throw new HttpRefusal(503, `The ${name} server is switched off in MCP Tray`);

      let body: unknown;
      if (req.method === 'POST') {
        const raw = await readBody(req, BODY_LIMIT);
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON' }, id: null });
        }
      }
      // 2026-07-28 requests (with the per-request envelope) go to the stateless handler; the rest are 2025 sessions.
      if (!(await isLegacyRequest(await toWebRequest(req, body), body))) return await this.modern[name]!.node(req, res, body);
      const sessionId = req.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const session = this.sessions.get(`${name}:${sessionId}`);
        if (!session)
          return sendJson(res, 404, {
            jsonrpc: '2.0',
            error: { code: -32001, message: 'Session not found: start a new session with initialize' },
            id: requestId(body),
          });
        session.lastUsed = Date.now();
        return await session.transport.handleRequest(req, res, body);
      }
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        return sendJson(res, 400, {
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Bad Request: no Mcp-Session-Id; the first request must be initialize' },
          id: requestId(body),
        });
      }
      // Room for one more: the least recently used session goes first.
      while (this.sessions.size >= this.limits.maxSessions) {
        const [oldest] = [...this.sessions].sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0]!;
        await this.evict(oldest);
      }
      const { server, close, apply } = this.createSessionServer(name);
      const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (id) => void this.sessions.set(`${name}:${id}`, { transport, close, apply, lastUsed: Date.now() }),
      });
      transport.onclose = () => {
        if (transport.sessionId) this.sessions.delete(`${name}:${transport.sessionId}`);
        void close();
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (err instanceof HttpRefusal) return refuse(res, err);
      sendJson(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: `Internal error: ${(err as Error).message}` }, id: null });
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    clearInterval(this.sweeper);
    for (const s of this.sessions.values()) await s.close().catch(() => {});
    this.sessions.clear();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    for (const m of Object.values(this.modern)) {
      await m.handler.close().catch(() => {});
      await m.publisher.close().catch(() => {});
    }
    this.modern = {};
    for (const data of Object.values(this.data)) await data.close().catch(() => {});
    this.data = {};
    this.activityDb?.close();
    this.activityDb = undefined;
  }
}

/** The id of a single request, for an error answering it (JSON-RPC 2.0); null when there is none to read (a batch, a notification). */
function requestId(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/**
 * Where the publisher instance "sends": its change notifications become publications on the
 * 2026-07-28 handler's subscription streams (each client's listen filter decides what it gets).
 */
class NotifierTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  constructor(private readonly handler: McpHttpHandler) {}
  async start(): Promise<void> {}
  async send(message: JSONRPCMessage): Promise<void> {
    if (!('method' in message) || 'id' in message) return;
    const notify = this.handler.notify;
    switch (message.method) {
      case 'notifications/resources/updated':
        notify.resourceUpdated(String((message.params as { uri?: unknown } | undefined)?.uri));
        break;
      case 'notifications/tools/list_changed':
        notify.toolsChanged();
        break;
      case 'notifications/resources/list_changed':
        notify.resourcesChanged();
        break;
      case 'notifications/prompts/list_changed':
        notify.promptsChanged();
        break;
    }
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}
