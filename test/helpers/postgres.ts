// A throwaway PostgreSQL for the shared-catalog tests: a real cluster (Debian's postgresql, not a
// mock) initialised in a temp folder, password authentication, listening on 127.0.0.1 at a free
// port with its socket in the temp folder; stopped and deleted afterwards. initdb refuses to run as
// root, so as root the cluster belongs to the `postgres` user (runuser). When PostgreSQL cannot be
// found or started the tests fail with a one-line reason: they never skip silently.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { writeCatalogPassword } from '../../servers/shared/secret.js';
import { dataFiles } from '../../servers/shared/datadir.js';
import { openPgCatalog } from '../../servers/products/postgres/catalog.js';
import { parsePgUrl } from '../../servers/products/postgres/connect.js';
import { writeSettings } from './servers.js';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql');
  return path.join(root, newest, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  port: number;
  /** The superuser's password (the tests' "team" password). */
  password: string;
  user: string;
  /**
   * A new, empty database; returns its address without the password. The server offers TLS (a
   * self-signed certificate); a database named `tls_only` refuses connections without it.
   */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (a database going away mid-session) and starts it again on the same port. */
  stop(): void;
  start(): void;
  close(): Promise<void>;
}

/** A throwaway cluster; `tls: false` for one that offers no encrypted connections at all (ssl=off). */
export async function startPostgres({ tls = true }: { tls?: boolean } = {}): Promise<TestPostgres> {
  const bin = binDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-tray-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const file = path.join(bin, cmd);
    try {
      return asRoot
        ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe', encoding: 'utf8' })
        : execFileSync(file, args, { stdio: 'pipe', encoding: 'utf8' });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`PostgreSQL ${cmd} failed: ${(e.stderr || e.message).trim().split('\n').slice(-2).join(' ')}`);
    }
  };
  const password = crypto.randomBytes(12).toString('hex');
  const user = 'team';
  const pwfile = path.join(root, 'pw');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    fs.chmodSync(root, 0o755);
    execFileSync('chown', ['-R', 'postgres', root]);
  }
  const data = path.join(root, 'data');
  run('initdb', ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']);
  fs.rmSync(pwfile, { force: true });
  // TLS with a self-signed certificate (as a small provider's might be), and one database that requires it.
  let ssl = '-c ssl=off';
  if (tls) {
    const cert = path.join(root, 'server.crt');
    const key = path.join(root, 'server.key');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'],
      {
        stdio: 'ignore',
      },
    );
    fs.chmodSync(key, 0o600);
    if (asRoot) execFileSync('chown', ['postgres', cert, key]);
    const hba = path.join(data, 'pg_hba.conf');
    fs.writeFileSync(hba, `hostnossl tls_only all 127.0.0.1/32 reject\n${fs.readFileSync(hba, 'utf8')}`);
    ssl = `-c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`;
  }
  const port = await freePort();
  const opts = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200 ${ssl}`;
  const start = () => run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(root, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  let n = 0;
  return {
    port,
    password,
    user,
    async createDatabase(name = `catalog_${process.pid}_${++n}`) {
      const c = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://${user}@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async close() {
      try {
        stop();
      } catch {
        /* already stopped */
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A data folder whose catalog is a fresh database on the test server (the sample catalog in it, as
 * a first start on this computer has): settings name the address, the password is in the secret file.
 */
export async function sharedDataDir(pgServer: TestPostgres, dir: string, opts: { seed?: boolean; url?: string } = {}): Promise<string> {
  const url = opts.url ?? (await pgServer.createDatabase());
  fs.mkdirSync(dir, { recursive: true });
  writeSettings(dir, { catalog: { engine: 'postgres', url } });
  writeCatalogPassword(dataFiles(dir).catalogSecret, url, pgServer.password);
  const catalog = await openPgCatalog(parsePgUrl(url).target, pgServer.password, { seed: opts.seed ?? true, strict: true });
  await catalog.close();
  return url;
}
