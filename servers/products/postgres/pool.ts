/**
 * A team's shared catalog's connections: a small pool (its clients refuse a cleartext password
 * without TLS, client.ts), the schema checked once per connection to the database, every error in
 * plain words, named statements (each connection plans a query text once), transactions, and the
 * LISTEN connection through which every install hears the others' changes (listen.ts).
 */
import crypto from 'node:crypto';
import pg, { type PoolClient } from 'pg';
import { StoreError } from '../../shared/errors.js';
import { GuardedClient } from './client.js';
import { clientConfig, pgProblem, type PgTarget } from './connect.js';
import { PgListener } from './listen.js';
import { migrate } from './schema.js';

/** bigint and numeric come back as JavaScript numbers (every value here is far below 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const names = new Map<string, string>();
/** A prepared statement's name for a query text (the same text, the same name). */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `mcp_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    if (names.size < 1000) names.set(sql, name);
  }
  return name;
}

export interface PgPoolOptions {
  /** Put the sample catalog into a database MCP Tray sets up for the first time (default false). */
  seed?: boolean;
  /** Connections held at most (default 4). */
  poolSize?: number;
}

export class PgPool {
  /** Whether substring search has its trigram index (pg_trgm); without it, search reads every product. */
  searchIndexed = false;
  /**
   * Moves with every write of ours and every change another install announces: what was read
   * before it moved may be stale (kept totals). Trusted only while `hearing` (the LISTEN connection is up).
   */
  version = 0;
  private readonly pool: pg.Pool;
  /** Our connections' application_name: notifications carrying it are our own writes. */
  private readonly tag = `MCP Tray ${crypto.randomBytes(4).toString('hex')}`;
  private listener: PgListener | undefined;
  private ready: Promise<void> | undefined;

  constructor(
    readonly target: PgTarget,
    private readonly password: string | undefined,
    private readonly opts: PgPoolOptions,
  ) {
    this.pool = new pg.Pool({
      Client: GuardedClient,
      ...clientConfig(target, password),
      application_name: this.tag,
      max: opts.poolSize ?? 4,
      idleTimeoutMillis: 30_000,
      types,
    });
    // A connection that drops while idle (the server restarted) is only reported here; the next
    // query opens a new one. Without this listener the error would end the process.
    this.pool.on('error', () => {});
  }

  /** The schema, checked once per connection to the database (again after a failure). */
  ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      const c = await this.pool.connect();
      try {
        this.searchIndexed = (await migrate(c, { seed: this.opts.seed ?? false })).searchIndexed;
      } finally {
        c.release();
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw this.plain(err);
    });
    return this.ready;
  }

  /** The error as a caller should read it: unreachable database, taken SKU, or as it is. */
  plain(err: unknown): unknown {
    if (err instanceof StoreError) return err;
    const problem = pgProblem(err, this.target);
    if (problem) return problem;
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'products_sku') {
      return new StoreError('That SKU is already used by another product (someone added it just now); choose another SKU', 'conflict');
    }
    if (e.code === '40P01' || e.code === '40001') {
      return new StoreError('Someone else was changing the same products at the same moment; nothing was changed. Try again.', 'conflict');
    }
    return err;
  }

  async read<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.ensureReady();
    try {
      return (await this.pool.query<R>({ name: statementName(sql), text: sql, values: params })).rows;
    } catch (err) {
      throw this.plain(err);
    }
  }

  /** One transaction on one connection: committed whole, or rolled back and the error in plain words. */
  async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    await this.ensureReady();
    let c: PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw this.plain(err);
    }
    let broken = false;
    // A connection lost while checked out reports here (the pool only listens to idle ones): the
    // query in flight fails with it, and without a listener the error would end the process.
    const lost = () => (broken = true);
    c.on('error', lost);
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      this.version++;
      await c.query('COMMIT');
      this.version++;
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => (broken = true));
      throw this.plain(err);
    } finally {
      c.off('error', lost);
      c.release(broken);
    }
  }

  /** Whether changes made elsewhere are heard (the LISTEN connection is up). */
  get hearing(): boolean {
    return this.listener?.listening ?? false;
  }

  watch(onChange: () => void): () => void {
    if (!this.listener) {
      this.listener = new PgListener(clientConfig(this.target, this.password), this.tag);
      // Any change announced (or the connection lost and found again): what was kept is stale.
      this.listener.subscribe(() => this.version++);
      this.listener.on('lost', () => this.version++);
    }
    return this.listener.subscribe(onChange);
  }

  async close(): Promise<void> {
    await this.listener?.close();
    await this.pool.end();
  }
}
