import crypto from 'node:crypto';
import { immediate, nowIso, openDatabase, type Db, type Migration } from './db.js';
import { pidAlive } from './process.js';
import type { McpServer } from '@modelcontextprotocol/server';
import { visibleLine } from './visible.js';

/**
 * activity.db: who is connected to which server, and each tool call. Every server process writes
 * here (whoever spawned it), so the GUI can say "Claude Desktop is connected to products — last
 * call 2 min ago" without anyone reading logs.
 */
const migrations: Migration[] = [
  {
    name: 'connections and tool calls',
    up: (db) =>
      db.exec(`
        CREATE TABLE connections (
          instance_id TEXT PRIMARY KEY,
          server TEXT NOT NULL,
          client_name TEXT,
          client_version TEXT,
          pid INTEGER NOT NULL,
          started_at TEXT NOT NULL,
          last_active TEXT NOT NULL,
          ended_at TEXT
        );
        CREATE INDEX connections_last_active ON connections(last_active);
        CREATE TABLE tool_calls (
          id INTEGER PRIMARY KEY,
          instance_id TEXT NOT NULL,
          server TEXT NOT NULL,
          client_name TEXT,
          tool TEXT NOT NULL,
          at TEXT NOT NULL,
          duration_ms REAL NOT NULL,
          ok INTEGER NOT NULL,
          error TEXT
        );
        CREATE INDEX tool_calls_server ON tool_calls(server, id);
      `),
  },
  {
    // Which protocol era the app speaks on this connection: '2025' (initialize) or '2026-07-28' (per-request envelope).
    name: "connections: the app's protocol era",
    up: (db) => db.exec('ALTER TABLE connections ADD COLUMN era TEXT'),
  },
];

export function openActivityDb(file: string): Db {
  return openDatabase(file, { migrations });
}

export interface ConnectionRow {
  instanceId: string;
  server: string;
  clientName: string | null;
  clientVersion: string | null;
  pid: number;
  startedAt: string;
  lastActive: string;
  endedAt: string | null;
  /** 'legacy' (2025, initialize) or 'modern' (2026-07-28); null before the connection's first message. */
  era: 'legacy' | 'modern' | null;
}

export interface ToolCallRow {
  id: number;
  instanceId: string;
  server: string;
  clientName: string | null;
  tool: string;
  at: string;
  durationMs: number;
  ok: boolean;
  error: string | null;
}

const KEEP_CALLS = 5000;
const ERROR_MAX = 500;

/**
 * The writer side, one per server process. Tool calls are buffered and written in one short
 * transaction a moment later, so recording never adds to a tool call's latency.
 */
export class ActivityRecorder {
  readonly instanceId = crypto.randomUUID();
  private pending: Array<Omit<ToolCallRow, 'id' | 'instanceId' | 'server'>> = [];
  private timer: NodeJS.Timeout | undefined;
  private client: { name: string | null; version: string | null } = { name: null, version: null };
  private flushes = 0;

  constructor(
    private readonly db: Db,
    private readonly server: string,
    private readonly flushDelayMs = 200,
  ) {
    const at = nowIso();
    db.prepare(`INSERT INTO connections (instance_id, server, pid, started_at, last_active) VALUES (?, ?, ?, ?, ?)`).run(
      this.instanceId,
      server,
      process.pid,
      at,
      at,
    );
  }

  clientConnected(name: string | undefined, version: string | undefined): void {
    // A client names itself: kept as text that shows as it is (no control characters), and short.
    const shown = (s: string | undefined) => (s === undefined ? null : visibleLine(s).slice(0, 200));
    this.client = { name: shown(name), version: shown(version) };
    this.db
      .prepare(`UPDATE connections SET client_name = ?, client_version = ?, last_active = ? WHERE instance_id = ?`)
      .run(this.client.name, this.client.version, nowIso(), this.instanceId);
  }

  /** The protocol era the connection speaks (known at its first message). */
  setEra(era: 'legacy' | 'modern'): void {
    this.db.prepare(`UPDATE connections SET era = ? WHERE instance_id = ?`).run(era, this.instanceId);
  }

  /** `client`: the app a 2026-07-28 request named in its envelope (no initialize said it before). */
  toolCall(tool: string, startedAt: Date, durationMs: number, error?: string, client?: { name: string; version?: string }): void {
    if (client && client.name !== this.client.name) this.clientConnected(client.name, client.version);
    this.pending.push({
      clientName: this.client.name,
      tool,
      at: startedAt.toISOString(),
      durationMs,
      ok: error === undefined,
      error: error === undefined ? null : error.slice(0, ERROR_MAX),
    });
    this.timer ??= setTimeout(() => this.flush(), this.flushDelayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.db.open || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const insert = this.db.prepare(
      `INSERT INTO tool_calls (instance_id, server, client_name, tool, at, duration_ms, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    try {
      immediate(this.db, () => {
        for (const c of batch) {
          insert.run(this.instanceId, this.server, c.clientName, c.tool, c.at, c.durationMs, c.ok ? 1 : 0, c.error);
        }
        this.db.prepare(`UPDATE connections SET last_active = ? WHERE instance_id = ?`).run(batch[batch.length - 1]!.at, this.instanceId);
        if (++this.flushes % 50 === 1) {
          this.db
            .prepare(
              `DELETE FROM tool_calls WHERE server = ? AND id <= (SELECT id FROM tool_calls WHERE server = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
            )
            .run(this.server, this.server, KEEP_CALLS);
        }
      });
    } catch (err) {
      // Activity is a convenience; never let it break the server. Say so once on stderr.
      process.stderr.write(`activity: could not record tool calls: ${(err as Error).message}\n`);
    }
  }

  close(): void {
    this.flush();
    if (!this.db.open) return;
    try {
      this.db.prepare(`UPDATE connections SET ended_at = ? WHERE instance_id = ?`).run(nowIso(), this.instanceId);
    } catch {
      /* the process is exiting; a stale row is cleaned up by pid liveness on read */
    }
  }
}

const toConnection = (r: Record<string, unknown>): ConnectionRow => ({
  instanceId: r.instance_id as string,
  server: r.server as string,
  clientName: (r.client_name as string | null) ?? null,
  clientVersion: (r.client_version as string | null) ?? null,
  pid: r.pid as number,
  startedAt: r.started_at as string,
  lastActive: r.last_active as string,
  endedAt: (r.ended_at as string | null) ?? null,
  era: (r.era as 'legacy' | 'modern' | null) ?? null,
});

const toCall = (r: Record<string, unknown>): ToolCallRow => ({
  id: r.id as number,
  instanceId: r.instance_id as string,
  server: r.server as string,
  clientName: (r.client_name as string | null) ?? null,
  tool: r.tool as string,
  at: r.at as string,
  durationMs: r.duration_ms as number,
  ok: r.ok === 1,
  error: (r.error as string | null) ?? null,
});

/** The reader side, used by the host core. */
export class ActivityReader {
  constructor(private readonly db: Db) {}

  /** Instances still running: not ended, and their process is alive (a killed server never writes ended_at). */
  liveConnections(): ConnectionRow[] {
    const rows = this.db.prepare(`SELECT * FROM connections WHERE ended_at IS NULL ORDER BY last_active DESC LIMIT 200`).all() as Record<
      string,
      unknown
    >[];
    return rows.map(toConnection).filter((c) => pidAlive(c.pid));
  }

  recentCalls(limit = 50, server?: string): ToolCallRow[] {
    const rows = (
      server
        ? this.db.prepare(`SELECT * FROM tool_calls WHERE server = ? ORDER BY id DESC LIMIT ?`).all(server, limit)
        : this.db.prepare(`SELECT * FROM tool_calls ORDER BY id DESC LIMIT ?`).all(limit)
    ) as Record<string, unknown>[];
    return rows.map(toCall);
  }
}

/** Records which app connected to `server` (its name and version from initialize), for every way a server runs. */
export function recordClients(server: McpServer, activity: ActivityRecorder | undefined): void {
  server.server.oninitialized = () => {
    const info = server.server.getClientVersion();
    activity?.clientConnected(info?.name, info?.version);
  };
}
