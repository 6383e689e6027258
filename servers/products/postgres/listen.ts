// Changes made anywhere reach this install: one connection LISTENs on the catalog's channel and
// calls back for every commit another install (or another process here) made. When the database
// goes away it reconnects with backoff, LISTENs again and calls back once (anything may have
// changed meanwhile).
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { type ClientConfig } from 'pg';
import { CHANNEL } from './schema.js';
import { GuardedClient } from './client.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

export class PgListener extends EventEmitter<{ lost: [] }> {
  private client: pg.Client | undefined;
  private readonly subscribers = new Set<() => void>();
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly config: ClientConfig,
    /** Our own writers' application_name: their notifications are skipped (they announce themselves). */
    private readonly ownTag: string,
  ) {
    super();
  }

  subscribe(onChange: () => void): () => void {
    this.subscribers.add(onChange);
    this.connecting ??= this.connect(false);
    return () => this.subscribers.delete(onChange);
  }

  /** Whether the LISTEN connection is up (for status; a failed one keeps retrying). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private tell(): void {
    for (const s of [...this.subscribers]) s();
  }

  private async connect(again: boolean): Promise<void> {
    if (this.closed) return;
    const client = new GuardedClient({ ...this.config, application_name: `${this.ownTag} listener` });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.emit('lost');
      client.removeAllListeners('notification');
      void client.end().catch(() => {});
      this.retry();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload !== this.ownTag) this.tell();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      this.retry();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    if (again) this.tell();
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connecting = this.connect(true);
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
