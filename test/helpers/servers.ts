import type { ServerName } from '../../servers/registry.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const serverScript = (name: ServerName) => path.join(ROOT, 'dist', 'servers', `${name}.cjs`);

const made: string[] = [];
/** Removes the temp folders made so far (test/setup.ts calls it after each test file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function tempDir(prefix = 'mcp-tray-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close: () => Promise<void>;
}

/** Starts a built server as a child process and connects the real SDK client to it over stdio. */
export async function connect(
  name: ServerName,
  dataDir: string,
  opts: { clientName?: string; env?: Record<string, string> } = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverScript(name), '--data-dir', dataDir],
    env: { ...getDefaultEnvironment(), MCP_TRAY_CACHE_DIR: path.join(dataDir, '.cache'), ...opts.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: opts.clientName ?? 'claude-ai', version: '0.14.0' }, { capabilities: {} });
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** Resolves when the predicate holds, polling; rejects with the message after the timeout. */
export async function until(predicate: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${message}`);
}

export function writeSettings(dataDir: string, settings: unknown): void {
  const file = path.join(dataDir, 'settings.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(settings, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** Reads a JSON resource and parses it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: assertions check the shape
export async function readJson(client: Client, uri: string): Promise<any> {
  const content = (await client.readResource({ uri })).contents[0];
  if (!content || !('text' in content)) throw new Error(`${uri}: no text content`);
  return JSON.parse(content.text);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
