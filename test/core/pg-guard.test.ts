// Issue 23.4.9 and 4.11: what the shared catalog's connection refuses from a server (or anything
// answering in its place): a request for the password in clear text over an unencrypted connection,
// and a flood of bytes before the connection is ready. Real parts: pg's client in the catalog's own
// pool, against a hostile "database" on a loopback socket that speaks just enough of the protocol.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openPgCatalog } from '../../servers/products/postgres/catalog.js';
import type { PgTarget } from '../../servers/products/postgres/connect.js';

const PASSWORD = 'correct horse battery staple';
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A "database" that answers the client's startup with `reply`, recording what the client sends. */
async function hostile(reply: (socket: net.Socket) => void) {
  const got: Buffer[] = [];
  const seen = { written: 0, closed: false };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('close', () => (seen.closed = true));
    let replied = false;
    socket.on('data', (d) => {
      got.push(d);
      if (!replied) {
        replied = true;
        reply(socket);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target: PgTarget = {
    host: '127.0.0.1',
    port: (server.address() as net.AddressInfo).port,
    database: 'shop',
    user: 'ann',
    sslmode: 'disable',
  };
  return { target, sent: () => Buffer.concat(got), seen };
}

describe('the shared catalog’s connection refuses what a hostile server asks', () => {
  it('never sends the password in clear text over an unencrypted connection, and says why in plain words', async () => {
    // AuthenticationCleartextPassword: 'R', length 8, code 3.
    const h = await hostile((s) => s.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])));
    await expect(openPgCatalog(h.target, PASSWORD, { strict: true, poolSize: 1 })).rejects.toThrow(
      /asked for the password in clear text over an unencrypted connection, so MCP Tray did not send it: add \?sslmode=require/,
    );
    expect(h.sent().includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('hangs up on a "server" that floods it before the connection is ready, having buffered little', async () => {
    // A message header announcing 2 GB, then zeros for as long as the client reads them.
    const h = await hostile((s) => {
      s.write(Buffer.from([0x52, 0x7f, 0xff, 0xff, 0xff]));
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!s.destroyed && s.write(chunk)) h.seen.written += chunk.length;
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    await expect(openPgCatalog(h.target, PASSWORD, { strict: true, poolSize: 1 })).rejects.toThrow(
      /sent far more than a database sends while a connection starts \(over 1 MB\), so MCP Tray hung up/,
    );
    // It stopped reading at about 1 MB (plus what the sockets' buffers held), not hundreds of MB.
    expect(h.seen.written).toBeLessThan(32 * 1024 * 1024);
  });
});
