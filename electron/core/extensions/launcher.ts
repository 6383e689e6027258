/**
 * The entry point of MCP Tray's Claude Desktop extensions (server/launch.cjs inside each .mcpb).
 *
 * Claude runs it with the Node.js built into Claude itself. That Node's ABI changes with every
 * Claude update, so the servers' native SQLite module cannot be loaded here; instead this file
 * finds the installed MCP Tray and hands the connection to the server run by MCP Tray's own
 * runtime (its executable with ELECTRON_RUN_AS_NODE=1, exactly like MCP Tray's config entries):
 * stdin, stdout and stderr are passed straight through.
 *
 * When MCP Tray cannot be found, a silent "Server disconnected" would be all the person sees. So
 * this file then answers MCP itself: it lists the tools and answers every call with what is wrong
 * and what to do, so Claude can say it in the chat (and writes the same line to Claude's log).
 *
 * Node builtins only, plain CommonJS: it must run on whatever Node Claude ships.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export interface LauncherRuntime {
  server: string;
  title: string;
  /** Where to look for MCP Tray, in order: this install first, then the usual install places. */
  candidates: Array<{ command: string; script: string; env: Record<string, string> }>;
  tools: Array<{ name: string; description: string }>;
  version: string;
}

/** `${HOME}` and `${LOCALAPPDATA}` in candidate paths, so one bundle finds the usual places on any account. */
export function expand(p: string, env: NodeJS.ProcessEnv = process.env): string {
  return p
    .replace(/\$\{HOME\}/g, os.homedir())
    .replace(/\$\{LOCALAPPDATA\}/g, env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'));
}

export function findRuntime(rt: LauncherRuntime, exists: (p: string) => boolean = fs.existsSync) {
  for (const c of rt.candidates) {
    const command = expand(c.command);
    const script = expand(c.script);
    if (exists(command) && exists(script)) return { command, script, env: c.env };
  }
  return null;
}

function missing(rt: LauncherRuntime): string {
  const looked = rt.candidates.map((c) => expand(c.command)).join(', ');
  return (
    `MCP Tray is not installed where this extension looks for it (${looked}). ` +
    `The ${rt.title} extension runs MCP Tray's own server, so MCP Tray must be installed: install it (or move it back to Applications), ` +
    'open it once, then quit and reopen Claude Desktop. In MCP Tray, the Apps page can build this extension again for where it is now.'
  );
}

/** The 2026-07-28 revision's per-request envelope key, and where a modern result names its server. */
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';
const MODERN = '2026-07-28';

/**
 * A minimal MCP server over stdio that explains the problem in every answer, to a 2025 client
 * (initialize) and a 2026-07-28 one (server/discover, and an envelope on each request) alike.
 */
function explainOverMcp(rt: LauncherRuntime, message: string): void {
  const send = (msg: unknown) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let req: { id?: string | number; method?: string; params?: { protocolVersion?: string; _meta?: Record<string, unknown> } };
    try {
      req = JSON.parse(line) as typeof req;
    } catch {
      return;
    }
    if (req.id === undefined || typeof req.method !== 'string') return; // notifications need no answer
    // A 2026-07-28 request names its revision in its envelope; its results say they are complete and name the server.
    const modern = req.params?._meta?.[PROTOCOL_VERSION_KEY] === MODERN;
    // 2026-07-28 lists say how long they may be cached: these answers are only for now.
    const list = (result: Record<string, unknown>) => ok(modern ? { ...result, ttlMs: 0, cacheScope: 'private' } : result);
    const ok = (result: Record<string, unknown>) =>
      send({
        jsonrpc: '2.0',
        id: req.id,
        result: modern
          ? { ...result, resultType: 'complete', _meta: { [SERVER_INFO_KEY]: { name: rt.server, version: rt.version } } }
          : result,
      });
    switch (req.method) {
      case 'server/discover':
        return ok({ supportedVersions: [MODERN], capabilities: { tools: {} }, instructions: message });
      case 'initialize':
        return ok({
          protocolVersion: req.params?.protocolVersion ?? '2025-06-18',
          capabilities: { tools: {} },
          serverInfo: { name: rt.server, version: rt.version },
          instructions: message,
        });
      case 'ping':
        return ok({});
      case 'tools/list':
        return list({ tools: rt.tools.map((t) => ({ ...t, inputSchema: { type: 'object' } })) });
      case 'tools/call':
        return ok({ content: [{ type: 'text', text: message }], isError: true });
      case 'prompts/list':
        return list({ prompts: [] });
      case 'resources/list':
        return list({ resources: [] });
      case 'resources/templates/list':
        return list({ resourceTemplates: [] });
      default:
        return send({ jsonrpc: '2.0', id: req.id, error: { code: -32601, message: `${req.method}: ${message}` } });
    }
  });
  rl.on('close', () => process.exit(0));
}

export function main(): void {
  const rt = JSON.parse(fs.readFileSync(path.join(__dirname, 'runtime.json'), 'utf8')) as LauncherRuntime;
  const found = findRuntime(rt);
  if (!found) {
    const message = missing(rt);
    process.stderr.write(`${rt.server}: ${message}\n`);
    explainOverMcp(rt, message);
    return;
  }
  const child = spawn(found.command, [found.script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...found.env },
    windowsHide: true,
  });
  child.on('error', (err) => {
    process.stderr.write(`${rt.server}: could not start MCP Tray's server (${found.command}): ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => child.kill(s));
}

// Run when loaded as the bundle's entry (not when imported by tests).
if (typeof require !== 'undefined' && require.main === module) main();
