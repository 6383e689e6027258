import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DataDirError, resolveDataDir } from '../../servers/shared/datadir.js';
import { DatabaseError } from '../../servers/shared/db.js';
import { VERSION } from '../../servers/shared/version.js';
import { SERVER_NAMES } from '../../servers/registry.js';
import { CLIENT_IDS, type ClientId } from './api/common.js';
import type { CheckReport, ClientState } from './contract.js';
import { dataFolderFailure } from './doctor.js';
import { HostError } from './errors.js';
import { Host } from './host.js';
import { startShellServer } from './http/shell-server.js';
import { CliError, UsageError, clientId, port, runtime, withHost } from './cli/common.js';
import { catalogCommands } from './cli/catalog.js';
import { forgetShell, runningShell, saveShell } from './cli/shell-file.js';
import { visible, visibleLine } from '../../servers/shared/visible.js';

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
  // Found again by `mcp-tray open` (a closed tab is not a dead end).
  await saveShell(host.dataDir, shell.url);
  out.write(
    `MCP Tray ${VERSION} (headless) is running.\nOpen this address in your browser:\n\n  ${shell.url}\n\nData: ${host.dataDir}\nClosed the tab? mcp-tray open brings it back.\nPress Ctrl+C to stop.\n`,
  );
  if (opts.open) {
    const { default: open } = await import('open');
    open(shell.url).catch(() => out.write('(Could not open a browser; copy the address above.)\n'));
  }
  await stopped;
  out.write('Stopping the servers…\n');
  forgetShell(host.dataDir);
  await shell.close();
  await host.close();
  return 0;
}

/** An app's state in words (--json keeps the machine words). */
const STATE_WORDS: Record<ClientState, string> = {
  connected: 'connected',
  'not-connected': 'not connected',
  'not-installed': 'not found on this computer',
  outdated: 'needs repair',
  'entry-missing': 'entries missing',
  error: 'its file has an error',
};

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
    .command('open')
    .description('open the running headless shell in your browser again (signed in), or print its address')
    .option('--print', 'print the address instead of opening a browser')
    .option('--data-dir <dir>', 'data directory')
    .action(async (o: { print?: boolean; dataDir?: string }) => {
      const shell = await runningShell(resolveDataDir(o.dataDir));
      if (o.print) {
        out.write(`${shell.url}\n`);
        return;
      }
      out.write(`Opening MCP Tray in your browser:\n\n  ${shell.url}\n`);
      const { default: open } = await import('open');
      await open(shell.url).catch(() => out.write('(Could not open a browser; copy the address above.)\n'));
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
    .command('fix-config')
    .description('fix a client config that does not read, where the fix is sure (a trailing comma, a file cut short); a backup is kept')
    .argument('<client>', CLIENT_IDS.join(' | '), clientId)
    .option('--config <path>', 'config file to fix (default: the client’s own)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (client: ClientId, o: { config?: string; dataDir?: string }) => {
      const r = await withHost(o.dataDir, (h) => h.api.fixConfig({ client, configPath: o.config }));
      out.write(`${r.message}\n${r.backup ? `Backup of the file as it was: ${r.backup}\n` : ''}`);
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
        connections: (await h.api.getActivity({ limit: 100 })).connections
          .filter((c) => !c.ownInstance)
          .map((c) => ({
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
          `  ${c.name.padEnd(19)} ${STATE_WORDS[c.state].padEnd(24)} ${visibleLine(c.configPath)}${c.detail ? `\n  ${''.padEnd(19)} ${visible(c.detail)}` : ''}\n`,
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
        out.write(`  ${visibleLine(c.client)} is using ${c.server} (last active ${new Date(c.lastActive).toLocaleString()})\n`);
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
        // Looking never makes a data folder (with sample data) where there was none.
        if (!fs.existsSync(dir))
          throw new DataDirError(
            `there is no data folder at ${dir}: MCP Tray has not been run with it. Start MCP Tray (or mcp-tray serve) once, or give the folder it uses with --data-dir`,
          );
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
          // The window's Repair, from a terminal.
          if (!c.ok && c.next && /\bRepair\b/.test(c.next))
            out.write('      (in a terminal: mcp-tray connect <app> does what Repair does; mcp-tray status names the apps)\n');
        }
        const failed = report.checks.filter((c) => !c.ok).length;
        out.write(`\nThe data folder checked: ${dir}\n`);
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

  catalogCommands(cli, out, result);
  return cli;
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
