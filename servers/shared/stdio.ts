import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ActivityRecorder, openActivityDb, recordClients } from './activity.js';
import type { ServerDefinition } from './definition.js';
import type { BuiltServer, OpenData, ServerData } from './server-data.js';
import { dataFiles, ensureDataDir, resolveDataDir } from './datadir.js';
import { readSettingsFile, watchSettingsFile } from './settings.js';

/**
 * The stdio entry shared by both servers. stdout belongs to the protocol, so everything a person
 * should read goes to stderr: one line, and a non-zero exit code when the server cannot start.
 */
export async function runStdioServer(def: ServerDefinition, open: OpenData, argv: readonly string[]): Promise<void> {
  const { name } = def;
  keepYoungGenerationSmall();
  // A stray console.log from any library would corrupt the JSON-RPC stream.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  const fail = (message: string, code = 1): never => {
    process.stderr.write(`mcp-tray ${name}: ${message}\n`);
    process.exit(code);
  };

  let dataDirFlag: string | undefined;
  try {
    const { values } = parseArgs({ args: [...argv], options: { 'data-dir': { type: 'string' } }, strict: true, allowPositionals: false });
    dataDirFlag = values['data-dir'];
  } catch (err) {
    fail(`${(err as Error).message}. Usage: mcp-tray server ${name} [--data-dir DIR]`, 2);
  }

  let running: BuiltServer;
  let data: ServerData;
  let activity: ActivityRecorder | undefined;
  try {
    const files = dataFiles(ensureDataDir(resolveDataDir(dataDirFlag)));
    const read = readSettingsFile(files.settings);
    if (read.problem) process.stderr.write(`mcp-tray ${name}: using default settings: ${read.problem}\n`);
    try {
      activity = new ActivityRecorder(openActivityDb(files.activity), name);
    } catch (err) {
      process.stderr.write(`mcp-tray ${name}: activity will not be recorded: ${(err as Error).message}\n`);
    }
    data = await open(files, read.settings);
    running = data.create(read.settings, (tool, at, ms, error) => activity?.toolCall(tool, at, ms, error));
    const follow = running.applySettings;
    watchSettingsFile(files.settings, 1000, (s) => {
      if (s.problem) process.stderr.write(`mcp-tray ${name}: ignoring settings change: ${s.problem}\n`);
      else follow(s.settings);
    });
  } catch (err) {
    return fail((err as Error).message);
  }

  const { server } = running;
  recordClients(server, activity);

  let closing = false;
  const shutdown = async (code = 0) => {
    if (closing) return;
    closing = true;
    try {
      activity?.close();
      await running.close();
      await data.close();
    } catch (err) {
      process.stderr.write(`mcp-tray ${name}: error while closing: ${(err as Error).message}\n`);
    }
    process.exit(code);
  };

  // Clients stop a stdio server by closing its stdin; exit then, so no server is left behind.
  process.stdin.on('end', () => void shutdown());
  process.stdin.on('close', () => void shutdown());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown());
  process.on('uncaughtException', (err) => {
    process.stderr.write(`mcp-tray ${name}: unexpected error: ${err.stack ?? err.message}\n`);
    void shutdown(1);
  });

  // The SDK closes the connection on a line longer than its stdio buffer (10 MB) or reports a line
  // that is not JSON-RPC; either way, one line on stderr says what happened, never a silent exit.
  let tooLong = false;
  server.server.onerror = (err) => {
    const limit = /maximum size of (\d+) bytes/.exec(err.message);
    if (limit) {
      tooLong = true;
      const mb = Math.round(Number(limit[1]) / 1024 / 1024);
      process.stderr.write(
        `mcp-tray ${name}: the client sent a message longer than ${mb} MB on one line (the stdio limit); closing the connection\n`,
      );
    } else {
      process.stderr.write(`mcp-tray ${name}: ignored a message from the client: ${err.message.split('\n')[0]}\n`);
    }
  };
  server.server.onclose = () => void shutdown(tooLong ? 1 : 0);

  try {
    await server.connect(new StdioServerTransport());
  } catch (err) {
    return fail(`cannot start on stdio: ${(err as Error).message}`);
  }
  process.stderr.write(`mcp-tray ${name}: ready (pid ${process.pid})\n`);
}

/**
 * A stdio server answers one small request at a time, yet V8 grows its young generation from its
 * start size up to 2×16 MB under a steady stream of them, and never gives it back: most of the
 * products server's growth over 3,000 queries (RSS 1.53× its size after start, `npm run bench
 * memory`). Growing by a factor of 1 keeps it at the start size (1.13×); short-lived garbage is
 * still collected young. The growth factor is read at each growth step, so setting it now works;
 * the semi-space *limit* is fixed at start-up and would need a command-line flag in every client's
 * config entry. The launcher (servers/launcher.cjs) sets it before compiling anything, as the code
 * cache must be made and used under the same flags; this covers a bundle started without it.
 */
function keepYoungGenerationSmall(): void {
  if (process.env.MCP_TRAY_YOUNG_GENERATION === 'grow') return; // the benchmark's "before"
  try {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    /* a runtime without the flag: only memory is at stake */
  }
}
