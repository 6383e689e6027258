import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ActivityRecorder, openActivityDb, recordClients } from './activity.js';
import type { ServerDefinition } from './definition.js';
import type { BuiltServer, Observe, OpenData, ServerData } from './server-data.js';
import type { Settings } from './settings-schema.js';
import { setEra } from './subscriptions.js';
import { envelopeClient } from './request-context.js';
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

  /** The instance serving the connection (built when its first message arrives: serveStdio's factory). */
  let running: BuiltServer | undefined;
  let data: ServerData;
  let activity: ActivityRecorder | undefined;
  let settings: Settings;
  const observe: Observe = (tool, at, ms, error, ctx) => activity?.toolCall(tool, at, ms, error, envelopeClient(ctx));
  try {
    const files = dataFiles(ensureDataDir(resolveDataDir(dataDirFlag)));
    const read = readSettingsFile(files.settings);
    if (read.problem) process.stderr.write(`mcp-tray ${name}: using default settings: ${read.problem}\n`);
    try {
      activity = new ActivityRecorder(openActivityDb(files.activity), name);
    } catch (err) {
      process.stderr.write(`mcp-tray ${name}: activity will not be recorded: ${(err as Error).message}\n`);
    }
    settings = read.settings;
    data = await open(files, read.settings);
    watchSettingsFile(files.settings, 1000, (s) => {
      if (s.problem) return void process.stderr.write(`mcp-tray ${name}: ignoring settings change: ${s.problem}\n`);
      settings = s.settings;
      if (running) running.applySettings(s.settings);
      else data.applySettings?.(s.settings);
    });
  } catch (err) {
    return fail((err as Error).message);
  }

  let closing = false;
  const shutdown = async (code = 0) => {
    if (closing) return;
    closing = true;
    try {
      activity?.close();
      await running?.close();
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

  // The SDK closes the connection on a line longer than its stdio buffer (10 MB), reports a line
  // that is JSON but not JSON-RPC, and skips one that is not JSON at all; the first two get one line
  // on stderr saying what happened, never a silent exit.
  let tooLong = false;
  const reportError = (err: Error) => {
    const limit = /maximum size of (\d+) bytes/.exec(err.message);
    if (limit) {
      tooLong = true;
      const mb = Math.round(Number(limit[1]) / 1024 / 1024);
      process.stderr.write(
        `mcp-tray ${name}: the client sent a message longer than ${mb} MB on one line (the stdio limit); closing the connection\n`,
      );
      // The SDK's stdio transport has closed itself: nothing more can arrive.
      void shutdown(1);
    } else {
      process.stderr.write(`mcp-tray ${name}: ignored a message from the client: ${err.message.split('\n')[0]}\n`);
    }
  };

  /**
   * One instance per connection, of the era its first message opens: a 2025 client's initialize, or
   * a 2026-07-28 client's enveloped request (server/discover, or any other). A client that probes
   * with server/discover and then falls back to initialize gets a second instance; the first is
   * discarded (closed) by the SDK, and closes what it holds.
   */
  const factory = ({ era }: { era: 'legacy' | 'modern' }) => {
    const built = data.create(settings, observe);
    setEra(built.server, era);
    activity?.setEra(era);
    recordClients(built.server, activity);
    running = built;
    built.server.server.onclose = () => {
      // A discarded probe instance is replaced at once; the serving one closing ends the process.
      setTimeout(() => (running === built ? void shutdown(tooLong ? 1 : 0) : void built.close()), 50).unref();
    };
    return built.server;
  };
  try {
    serveStdio(factory, { onerror: reportError });
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
