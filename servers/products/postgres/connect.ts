// Where a shared catalog lives (a postgres:// URL, never with its password: that is kept in the
// secret file), how to connect to it, and what a connection failure means in plain words.
import type { ClientConfig } from 'pg';
import { StoreError } from '../../shared/errors.js';
import { visible } from '../../shared/visible.js';

/** The code of GuardedClient's refusal (client.ts), here so this module stays free of pg itself. */
export const CLEARTEXT_REFUSED = 'MCP_TRAY_CLEARTEXT_REFUSED';
/** The code of GuardedClient's cap on what is buffered before a connection is ready. */
export const TOO_MUCH_BEFORE_READY = 'MCP_TRAY_TOO_MUCH_BEFORE_READY';

export type SslMode = 'disable' | 'require' | 'verify-full';

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
}

/** libpq's modes: allow and prefer may end up unencrypted, so here they are plainly unencrypted (and said so). */
const SSL_MODES: Record<string, SslMode> = {
  disable: 'disable',
  allow: 'disable',
  prefer: 'disable',
  require: 'require',
  'verify-ca': 'verify-full',
  'verify-full': 'verify-full',
};

/**
 * Reads a postgres:// (or postgresql://) URL. A password in it is split off (it goes to the secret
 * file, never into settings); everything else must be there or have its usual default.
 */
export function parsePgUrl(raw: string): { target: PgTarget; password?: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new StoreError('The database address is not a URL; it looks like postgres://user@host:5432/database', 'invalid');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StoreError(`The database address must start with postgres:// (it starts with ${url.protocol}//)`, 'invalid');
  }
  const host = decode(url.hostname, 'host name').replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new StoreError('The database address has no host name: postgres://user@HOST:5432/database', 'invalid');
  const port = url.port ? Number(url.port) : 5432;
  const database = decode(url.pathname.replace(/^\//, ''), 'database name');
  if (!database || database.includes('/')) {
    throw new StoreError('The database address has no database name at its end: postgres://user@host:5432/DATABASE', 'invalid');
  }
  const user = decode(url.username, 'user name');
  if (!user) throw new StoreError('The database address has no user name: postgres://USER@host:5432/database', 'invalid');
  let sslmode: SslMode = 'disable';
  for (const [key, value] of url.searchParams) {
    if (key !== 'sslmode')
      throw new StoreError(`The database address has an option MCP Tray does not use: ${key} (only sslmode)`, 'invalid');
    const mode = SSL_MODES[value];
    if (!mode) throw new StoreError(`sslmode=${value} is not one of disable, prefer, require, verify-ca, verify-full`, 'invalid');
    sslmode = mode;
  }
  const password = url.password ? decode(url.password, 'password') : undefined;
  return { target: { host, port, database, user, sslmode }, ...(password ? { password } : {}) };
}

/** A %-escaped part of the address, or a plain refusal naming the part (never the password's text). */
function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new StoreError(
      `The database address has a broken %-escape in its ${what}: a % must be followed by two hexadecimal digits (write %25 for a % itself)`,
      'invalid',
    );
  }
}

/** The URL as settings keep it: no password, the TLS mode spelled out when there is one. */
export function formatPgUrl(t: PgTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const ssl = t.sslmode === 'disable' ? '' : `?sslmode=${t.sslmode}`;
  return `postgres://${encodeURIComponent(t.user)}@${host}:${t.port}/${encodeURIComponent(t.database)}${ssl}`;
}

/** "db.example:5432/shop" — how messages name the database (never with the password). */
export const describeTarget = (t: PgTarget) => `${t.host}:${t.port}/${t.database}`;

export function clientConfig(t: PgTarget, password: string | undefined): ClientConfig {
  return {
    host: t.host,
    port: t.port,
    database: t.database,
    user: t.user,
    ...(password !== undefined ? { password } : {}),
    // require: encrypted, the certificate not checked (libpq's meaning); verify-full: checked against the system's CAs.
    ssl: t.sslmode === 'disable' ? false : { rejectUnauthorized: t.sslmode === 'verify-full' },
    connectionTimeoutMillis: 5000,
    application_name: 'MCP Tray',
    keepAlive: true,
  };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE']);

/**
 * A connection or query failure as a person can act on it, naming the database but never the
 * password; null when the error is not about reaching the database (a query's own error).
 */
export function pgProblem(err: unknown, t: PgTarget): StoreError | null {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  // The server's own words, quoted in ours: shown as text, never as terminal commands.
  const message = visible(e?.message ?? String(err));
  const where = `The shared catalog at ${t.host}:${t.port}`;
  if (
    UNREACHABLE.has(code) ||
    /timeout expired|Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  ) {
    return new StoreError(
      `${where} can't be reached (${code || message}). Check that the database server is running and that this computer may connect to it; nothing was changed.`,
      'unavailable',
    );
  }
  if (['57P01', '57P02', '57P03', '08006', '08001', '08004'].includes(code)) {
    return new StoreError(
      `${where} is not accepting connections right now (${message}); nothing was changed. Try again in a moment.`,
      'unavailable',
    );
  }
  if (code === TOO_MUCH_BEFORE_READY)
    return new StoreError(
      `${where} sent far more than a database sends while a connection starts (over 1 MB), so MCP Tray hung up: is that address really a PostgreSQL server?`,
      'unavailable',
    );
  if (code === CLEARTEXT_REFUSED)
    return new StoreError(
      `${where} asked for the password in clear text over an unencrypted connection, so MCP Tray did not send it: add ?sslmode=require to the address (or have the server use scram-sha-256 passwords).`,
      'unavailable',
    );
  if (code === '28P01')
    return new StoreError(`${where} refused the password for user "${t.user}": it is wrong or has changed.`, 'unavailable');
  if (code === '3D000')
    return new StoreError(`${where} has no database named "${t.database}": create it, or check the name.`, 'unavailable');
  if (code === '28000' && /no encryption|SSL off/i.test(message)) {
    return new StoreError(`${where} requires an encrypted connection (TLS): add ?sslmode=require to the address.`, 'unavailable');
  }
  if (code === '28000')
    return new StoreError(`${where} does not let user "${t.user}" connect from this computer: ${message}`, 'unavailable');
  if (/does not support SSL/i.test(message)) {
    return new StoreError(
      `${where} does not offer encrypted connections (TLS): use sslmode=disable, or enable TLS on the server.`,
      'unavailable',
    );
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(message)) {
    return new StoreError(
      // (Node 24 adds "; if the root CA is installed locally, try running Node.js with --use-system-ca": advice for developers, not for this app's users.)
      `${where}'s certificate could not be verified (${message.split(';')[0]}): use sslmode=require to encrypt without checking it, or install its certificate authority.`,
      'unavailable',
    );
  }
  if (code === '42501') {
    return new StoreError(
      `${where}: user "${t.user}" lacks a permission MCP Tray needs (${message}). Ask for owner rights on the database.`,
      'unavailable',
    );
  }
  return null;
}
