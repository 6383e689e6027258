import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DataDirError, resolveDataDir } from '../../servers/shared/datadir.js';
import { DatabaseError } from '../../servers/shared/db.js';
import { VERSION } from '../../servers/shared/version.js';
import { SERVER_NAMES } from '../../servers/registry.js';
import { CLIENT_IDS, type ClientId } from './api/common.js';
import type { CheckReport, HostEvent } from './contract.js';
import { dataFolderFailure } from './doctor.js';
import { HostError } from './errors.js';
import { Host } from './host.js';
import { startShellServer } from './http/shell-server.js';
import { findDistDir, makeRuntime } from './runtime.js';
import { parsePgUrl } from '../../servers/products/postgres/connect.js';
import { visible, visibleLine } from '../../servers/shared/visible.js';

class CliError extends Error {}
/** Input the command cannot take (exit 2, as commander's own usage errors). */
class UsageError extends CliError {}

const here = path.dirname(fileURLToPath(import.meta.url));
const runtime = () => makeRuntime({ distDir: findDistDir(here), execPath: process.execPath, shell: 'headless' });

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};
const clientId = (v: string): ClientId => {
  if (!(CLIENT_IDS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${CLIENT_IDS.join(', ')}`);
  return v as ClientId;
};

async function withHost<T>(dataDir: string | undefined, fn: (host: Host) => Promise<T>): Promise<T> {
  const host = await Host.create({
    dataDir: resolveDataDir(dataDir),
    runtime: runtime(),
    autostart: false,
    clientWatchMs: 0,
    settingsWatchMs: 0,
    claudeLogWatchMs: 0,
    // Only what the command's methods touch: `connect` writes a client's config without opening the catalog.
    onDemand: true,
  });
  try {
    return await fn(host);
  } finally {
    await host.close();
  }
}

async function serve(opts: { port?: number; dataDir?: string; open: boolean }, out: NodeJS.WriteStream): Promise<number> {
  const rt = runtime();
  const host = await Host.create({ dataDir: resolveDataDir(opts.dataDir), runtime: rt });
  const shell = await startShellServer(host, { port: opts.port, rendererDir: rt.rendererDir });
  // Listen for a stop before saying where we are: whoever reads the address may stop us at once.
  // `on`, not `once`: conf's when-exit re-raises the signal it saw, and that second one must not
  // kill us halfway through stopping the servers.
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolve());
  });
  out.write(
    `MCP Tray ${VERSION} (headless) is running.\nOpen this address in your browser:\n\n  ${shell.url}\n\nData: ${host.dataDir}\nPress Ctrl+C to stop.\n`,
  );
  if (opts.open) {
    const { default: open } = await import('open');
    open(shell.url).catch(() => out.write('(Could not open a browser; copy the address above.)\n'));
  }
  await stopped;
  out.write('Stopping the servers…\n');
  await shell.close();
  await host.close();
  return 0;
}

/**
 * `local`, or an address that reads as one: checked before anything starts, a bad one is a usage
 * error (exit 2), and the message never repeats the address (it may hold a password).
 */
function checkDatabaseAddress(value: string): void {
  if (value === 'local') return;
  try {
    parsePgUrl(value);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function program(out: NodeJS.WriteStream, result: { code: number }): Command {
  const cli = new Command('mcp-tray')
    .description('Local MCP servers (products, weather) for Claude and other AI apps')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => process.stderr.write(s), outputError: () => {} });

  cli
    .command('serve')
    .description('run the app headless: the same UI in your browser, on 127.0.0.1')
    .option('--port <n>', 'port to listen on (default: any free port)', port)
    .option('--data-dir <dir>', 'data directory')
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; dataDir?: string; open: boolean }) => {
      result.code = await serve(o, out);
    });

  cli
    .command('server')
    .description('run one MCP server on stdio (what client configs start)')
    .argument('<name>', SERVER_NAMES.join(' | '))
    .option('--data-dir <dir>', 'data directory')
    .action(() => {
      // bin/mcp-tray.js starts servers directly, without loading this CLI; reaching here means a bad name.
      throw new CliError(`unknown server; use one of: ${SERVER_NAMES.join(', ')}`);
    });

  cli
    .command('connect')
    .description('add the enabled servers to a client config')
    .argument('<client>', CLIENT_IDS.join(' | '), clientId)
    .option('--config <path>', 'config file to write (default: the client’s own)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (client: ClientId, o: { config?: string; dataDir?: string }) => {
      const r = await withHost(o.dataDir, (h) => h.api.connectClient({ client, configPath: o.config }));
      out.write(`${r.message}\n${r.backup ? `Backup of the previous file: ${r.backup}\n` : ''}`);
    });

  cli
    .command('disconnect')
    .description("remove MCP Tray's entries from a client config")
    .argument('<client>', CLIENT_IDS.join(' | '), clientId)
    .option('--config <path>', 'config file to change (default: the client’s own)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (client: ClientId, o: { config?: string; dataDir?: string }) => {
      const r = await withHost(o.dataDir, (h) => h.api.disconnectClient({ client, configPath: o.config }));
      out.write(`${r.message}\n`);
    });

  cli
    .command('status')
    .description('servers and clients, as the app sees them')
    .option('--json', 'machine-readable output')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { json?: boolean; dataDir?: string }) => {
      const status = await withHost(o.dataDir, async (h) => ({
        dataDir: h.dataDir,
        servers: (await h.api.getState({})).servers.map((s) => ({ name: s.name, enabled: s.enabled })),
        clients: (await h.api.listClients({})).map((c) => ({
          id: c.id,
          name: c.name,
          state: c.state,
          configPath: c.configPath,
          detail: c.detail,
        })),
        claudeRoute: await h.api.getExtensions({}).then((e) => ({
          extensions: [...new Set(e.installed.filter((i) => i.enabled !== false).map((i) => i.server))],
          conflicts: e.conflicts,
        })),
        catalog: await h.api.getCatalogLocation({}).then((l) => ({ engine: l.engine, where: l.where })),
        products: await h.api.listProducts({ limit: 1 }).then(
          (r) => r.total,
          (err: HostError) => {
            if (err.code !== 'unavailable') throw err;
            return null;
          },
        ),
        cities: (await h.api.listCities({})).length,
        connections: (await h.api.getActivity({ limit: 100 })).connections.map((c) => ({
          client: c.client,
          server: c.server,
          pid: c.pid,
          lastActive: c.lastActive,
        })),
      }));
      if (o.json) return void out.write(`${JSON.stringify(status, null, 2)}\n`);
      out.write(
        `Data: ${status.dataDir} (${status.products === null ? 'the shared catalog cannot be reached' : `${status.products} products`}, ${status.cities} cities)\n`,
      );
      if (status.catalog.engine === 'postgres') out.write(`Catalog: shared database at ${status.catalog.where}\n`);
      out.write('\nServers:\n');
      for (const s of status.servers) out.write(`  ${s.name.padEnd(10)} ${s.enabled ? 'on' : 'off'}\n`);
      out.write('\nClients:\n');
      for (const c of status.clients)
        out.write(
          `  ${c.name.padEnd(16)} ${c.state.padEnd(14)} ${visibleLine(c.configPath)}${c.detail ? `\n  ${''.padEnd(16)} ${visible(c.detail)}` : ''}\n`,
        );
      if (status.claudeRoute.extensions.length)
        out.write(`\nInstalled as Claude Desktop extensions: ${status.claudeRoute.extensions.join(', ')}\n`);
      if (status.claudeRoute.conflicts.length)
        out.write(
          `  ${status.claudeRoute.conflicts.join(', ')}: also in claude_desktop_config.json, so Claude shows the tools twice (mcp-tray connect claude-desktop removes those entries)\n`,
        );
      out.write('\nIn use now:\n');
      if (status.connections.length === 0) out.write('  no app is running the servers\n');
      for (const c of status.connections)
        out.write(`  ${visibleLine(c.client)} → ${c.server} (pid ${c.pid}, last active ${c.lastActive})\n`);
    });

  cli
    .command('doctor')
    .description('run every check Claude needs to work, and say what to do about each failure')
    .option('--json', 'machine-readable output: { ok, checks: [{ id, ok, title, detail, next }] }')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { json?: boolean; dataDir?: string }) => {
      const dir = resolveDataDir(o.dataDir);
      let report: CheckReport;
      try {
        report = await withHost(o.dataDir, (h) => h.api.runChecks({}));
      } catch (err) {
        // A data folder that cannot be used stops every other check: say so as a check, not a crash.
        if (!(err instanceof DataDirError || err instanceof DatabaseError)) throw err;
        report = dataFolderFailure(dir, err.message);
      }
      if (o.json) out.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        for (const c of report.checks) {
          // Details quote text from outside (Claude's log, a database's error): no control character reaches the terminal.
          const [first, ...more] = visible(c.detail).split('\n');
          out.write(`${c.ok ? '✓' : '✗'} ${c.title}: ${first}\n`);
          for (const line of more) out.write(`    ${line}\n`);
          if (!c.ok && c.next) out.write(`    → ${visible(c.next)}\n`);
        }
        const failed = report.checks.filter((c) => !c.ok).length;
        out.write(failed ? `\n${failed} check${failed === 1 ? '' : 's'} failed.\n` : '\nEverything looks right.\n');
      }
      result.code = report.ok ? 0 : 1;
    });

  const extension = cli.command('extension').description('Claude Desktop extensions (.mcpb), one per server');
  extension
    .command('build')
    .description('write mcp-tray-<server>.mcpb for each server (default folder: extensions/ in the data folder)')
    .option('--out <dir>', 'folder to write the bundles to')
    .option('--data-dir <dir>', 'data directory (the extensions use it by default)')
    .option('--release', 'for the release downloads: look for MCP Tray where its installers put it, use its own data folder')
    .action(async (o: { out?: string; dataDir?: string; release?: boolean }) => {
      const r = await withHost(o.dataDir, (h) => h.api.buildExtensions({ outDir: o.out, release: o.release ?? false }));
      for (const f of r.files) out.write(`${f.file}\n`);
      process.stderr.write('Double-click a file (or drag it onto Claude Desktop → Settings → Extensions) to install it.\n');
    });

  const catalog = cli.command('catalog').description('bulk catalog data');
  catalog
    .command('import')
    .description('add or update products from a CSV or Excel (.xlsx) file (columns: name, price, category, stock, sku, description)')
    .argument('<file>', 'a .csv or .xlsx file')
    .option('--sheet <name>', 'for a spreadsheet: the sheet to read (the first one when left out)')
    .option('--skip-invalid', 'import the valid rows even if some rows have errors')
    .option('--data-dir <dir>', 'data directory')
    .action(async (file: string, o: { sheet?: string; skipInvalid?: boolean; dataDir?: string }) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        throw new CliError(
          `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
        );
      }
      const spreadsheet = /\.xlsx$/i.test(file);
      if (o.sheet !== undefined && !spreadsheet) throw new CliError('--sheet is for .xlsx files');
      const r = await withHost(o.dataDir, async (h) => {
        const preview = await h.api.previewImport({
          ...(spreadsheet ? { xlsx: bytes.toString('base64'), sheet: o.sheet } : { csv: bytes.toString('utf8') }),
          file: path.basename(file),
        });
        for (const e of preview.errors.slice(0, 20)) process.stderr.write(`${file}:${e.line}: ${e.message}\n`);
        if (preview.errors.length > 20) process.stderr.write(`… and ${preview.errors.length - 20} more rows with errors\n`);
        if (preview.errors.length && !o.skipInvalid) {
          await h.api.cancelImport({ token: preview.token });
          throw new CliError(`${preview.errors.length} row(s) have errors; nothing was imported (use --skip-invalid to import the rest)`);
        }
        const done = await importWithProgress(h, preview.token);
        if (done.cancelled) {
          out.write('Import cancelled: nothing was changed.\n');
          result.code = 130;
          return done;
        }
        out.write(
          `Imported: ${done.added} added, ${done.updated} updated, ${done.unchanged} unchanged${done.skipped ? `, ${done.skipped} skipped` : ''}.\n`,
        );
        // Closing puts the products it added into the search index first (a few seconds for a big file).
        if (done.added && process.stderr.isTTY) process.stderr.write('Putting the new products into the search index…');
        return done;
      });
      if (r.added && !r.cancelled && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    });
  catalog
    .command('export')
    .description('write every product to a CSV or Excel (.xlsx) file (by its extension)')
    .argument('<file>', 'a .csv or .xlsx file to write')
    .option('--data-dir <dir>', 'data directory')
    .action(async (file: string, o: { dataDir?: string }) => {
      const spreadsheet = /\.xlsx$/i.test(file);
      const { data, rows } = await withHost(o.dataDir, async (h) => {
        if (!spreadsheet) {
          const r = await h.api.exportCsv({});
          return { data: r.csv as string | Buffer, rows: r.rows };
        }
        const r = await h.api.exportXlsx({});
        return { data: Buffer.from(r.xlsx, 'base64'), rows: r.rows };
      });
      try {
        fs.writeFileSync(file, data);
      } catch (err) {
        throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
      }
      out.write(`Exported ${rows} products to ${file}.\n`);
    });
  catalog
    .command('use-database')
    .description(
      "where the catalog lives: a team's shared PostgreSQL database (postgres://user@host:5432/database[?sslmode=require]), or `local` for this computer",
    )
    .argument('<where>', 'a postgres:// address, or local')
    .option(
      '--copy',
      "shared: copy this computer's catalog into the (empty) database; local: copy the shared catalog down to this computer",
    )
    .option('--password-stdin', 'read the database password from standard input (otherwise it is asked for on a terminal)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (where: string, o: { copy?: boolean; passwordStdin?: boolean; dataDir?: string }) => {
      checkDatabaseAddress(where);
      const local = where === 'local';
      let password: string | undefined;
      if (!local) {
        if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(where)) {
          process.stderr.write(
            'Note: a password in the address is visible to other programs while this command runs; --password-stdin keeps it out.\n',
          );
        } else if (o.passwordStdin) password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
        else if (process.stdin.isTTY) password = (await askHidden(`Password for ${where} (Enter for none): `)) || undefined;
      }
      const done = await withHost(o.dataDir, async (h) => {
        const tty = process.stderr.isTTY === true;
        const onEvent = (e: HostEvent) => {
          if (e.type !== 'catalog-progress' || e.total === 0) return;
          const percent = Math.floor((100 * e.done) / e.total);
          process.stderr.write(
            e.phase === 'backup'
              ? `\rKeeping a copy of this computer's catalog first… ${percent}%\x1b[K`
              : `\rCopying… ${percent}% (${e.done.toLocaleString('en')} of ${e.total.toLocaleString('en')} rows)\x1b[K`,
          );
        };
        if (tty) h.on('event', onEvent);
        try {
          const loc = local
            ? await h.api.useLocalCatalog({ copy: o.copy ?? false })
            : await h.api.useDatabase({ url: where, password, copy: o.copy ?? false });
          return { loc, products: (await h.api.listProducts({ limit: 1 })).total };
        } finally {
          if (tty) {
            h.off('event', onEvent);
            process.stderr.write('\r\x1b[K');
          }
        }
      });
      out.write(
        done.loc.engine === 'postgres'
          ? `The catalog now lives in the shared database at ${done.loc.where} (${done.products.toLocaleString('en')} products).\n${
              /[?&]sslmode=(require|verify-full)/.test(done.loc.url ?? '')
                ? ''
                : 'The connection is not encrypted: anyone on the network between here and the database can read the catalog (add ?sslmode=require).\n'
            }`
          : `The catalog now lives on this computer: ${done.loc.where} (${done.products.toLocaleString('en')} products).\n`,
      );
    });
  return cli;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let answer = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData);
            return resolve();
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
  return answer;
}

/**
 * Writes a previewed import. On a terminal, the percentage on one line of stderr, and Ctrl-C stops
 * the import and rolls it back; piped, nothing but the result.
 */
async function importWithProgress(h: Host, token: string) {
  const tty = process.stderr.isTTY === true;
  const onEvent = (e: HostEvent) => {
    if (e.type !== 'import-progress' || e.token !== token || e.total === 0) return;
    const what = { backup: 'Backing up the catalog first', writing: 'Importing', reverting: 'Cancelling, rolling back' }[e.phase];
    const count = e.phase === 'backup' ? '' : ` (${e.done.toLocaleString('en')} of ${e.total.toLocaleString('en')})`;
    process.stderr.write(`\r${what}… ${Math.floor((100 * e.done) / e.total)}%${count}\x1b[K`);
  };
  const onInterrupt = () => void h.api.cancelImport({ token });
  if (tty) h.on('event', onEvent);
  process.once('SIGINT', onInterrupt);
  try {
    return await h.api.commitImport({ token, skipInvalid: true });
  } finally {
    process.off('SIGINT', onInterrupt);
    if (tty) {
      h.off('event', onEvent);
      process.stderr.write('\r\x1b[K');
    }
  }
}

/** Runs the CLI; returns the exit code. Failures print one line on stderr. */
export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const result = { code: 0 };
  try {
    await program(out, result).parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      process.stderr.write(`mcp-tray: ${visible(err.message.replace(/^error: /, ''))}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`mcp-tray: ${visible(err.message)}\n`);
      return 2;
    }
    const known = err instanceof CliError || err instanceof HostError || err instanceof DataDirError || err instanceof DatabaseError;
    // One line a person can read, never a stack (from the bundle, a wall of minified code): MCP_TRAY_DEBUG=1 adds it.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`mcp-tray: ${visible(known ? message : `something went wrong: ${message}`)}\n`);
    if (!known && process.env.MCP_TRAY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
