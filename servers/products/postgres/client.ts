// The PostgreSQL connection every part of the shared catalog uses (the pool's and the listener's):
// pg's own Client, refusing what pg itself would allow.
import pg from 'pg';

import type { ClientConfig } from 'pg';
import { CLEARTEXT_REFUSED, TOO_MUCH_BEFORE_READY } from './connect.js';

/** What a server may send before the connection is ready (authentication, parameters: a few hundred bytes in practice). */
const MAX_BEFORE_READY = 1024 * 1024;

interface Stream {
  encrypted?: boolean;
  destroy(): void;
  on(event: 'data', fn: (chunk: Buffer) => void): void;
  off(event: 'data', fn: (chunk: Buffer) => void): void;
}
interface ClientInternals {
  connection: { stream: Stream; once(event: 'readyForQuery', fn: () => void): void };
  _handleErrorWhileConnecting(err: Error): void;
}

const failure = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * Never sends the password in clear text over a connection that is not encrypted: a server (or
 * anything that answers in its place) asking for it so gets nothing, and the connection fails with
 * CLEARTEXT_REFUSED. Over TLS, or with SCRAM or MD5 (what servers ask for by default), nothing changes.
 */
export class GuardedClient extends pg.Client {
  /**
   * Also caps what is buffered before the connection is ready: a "server" announcing a 2 GB message
   * had the client buffer ~640 MB while it waited for the rest, until the connect timeout.
   */
  constructor(config?: ClientConfig) {
    super(config);
    const self = this as unknown as ClientInternals;
    // The socket as it is now: once TLS starts, the encrypted bytes still arrive through it.
    const raw = self.connection.stream;
    let seen = 0;
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= MAX_BEFORE_READY) return;
      raw.off('data', count);
      self._handleErrorWhileConnecting(
        failure(`the server sent over ${MAX_BEFORE_READY / 1024 / 1024} MB before the connection was ready`, TOO_MUCH_BEFORE_READY),
      );
      raw.destroy();
    };
    raw.on('data', count);
    self.connection.once('readyForQuery', () => raw.off('data', count));
  }

  /** pg calls this when the server asks for the password in clear text (pg 8's Client, pinned). */
  _handleAuthCleartextPassword(msg: unknown): void {
    const self = this as unknown as ClientInternals;
    if (self.connection.stream.encrypted === true) {
      (pg.Client.prototype as unknown as { _handleAuthCleartextPassword(m: unknown): void })._handleAuthCleartextPassword.call(this, msg);
      return;
    }
    self._handleErrorWhileConnecting(
      failure('the server asked for the password in clear text over an unencrypted connection', CLEARTEXT_REFUSED),
    );
    self.connection.stream.destroy();
  }
}
