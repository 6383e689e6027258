// Issue 16, §2: what Claude Desktop itself says about our servers. The log lines below follow real
// samples from public issue trackers (Claude Desktop 2024, 2025 and 2026 builds), with the server
// names changed to ours.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaudeLogs, claudeLogsDir, readTail } from '../../electron/core/claude/logs.js';
import { parseLogLines, reduceEvents, stripMetadata } from '../../electron/core/claude/log-parse.js';
import { fakePlatform } from '../helpers/host.js';
import { tempDir } from '../helpers/servers.js';

const APP = '/Applications/MCP Tray.app/Contents/MacOS/MCP Tray';

/** Claude Desktop 2025: `[level] [name]` in mcp.log, `[name] [level]` with a JSON blob in the per-server file. */
const enoent2025 = {
  main: `2025-04-19T01:35:57.319Z [info] [mcp-tray-products] Initializing server...
2025-04-19T01:35:57.342Z [error] [mcp-tray-products] spawn ${APP} ENOENT
2025-04-19T01:35:57.343Z [error] [mcp-tray-products] spawn ${APP} ENOENT
2025-04-19T01:35:57.348Z [info] [mcp-tray-products] Server transport closed
2025-04-19T01:35:57.348Z [info] [mcp-tray-products] Client transport closed
2025-04-19T01:35:57.349Z [info] [mcp-tray-products] Server transport closed unexpectedly, this is likely due to the process exiting early. If you are developing this MCP server you can add output to stderr (i.e. \`console.error('...')\` in JavaScript, \`print('...', file=sys.stderr)\` in python) and it will appear in this log.
2025-04-19T01:35:57.349Z [error] [mcp-tray-products] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)
`,
  server: `2025-04-19T01:35:57.318Z [mcp-tray-products] [info] Initializing server...
2025-04-19T01:35:57.341Z [mcp-tray-products] [error] spawn ${APP} ENOENT {"context":"connection","stack":"Error: spawn ${APP} ENOENT\\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\\n    at onErrorNT (node:internal/child_process:483:16)"}
2025-04-19T01:35:57.342Z [mcp-tray-products] [error] spawn ${APP} ENOENT {"stack":"Error: spawn ${APP} ENOENT\\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)"}
2025-04-19T01:35:57.347Z [mcp-tray-products] [info] Server transport closed
2025-04-19T01:35:57.347Z [mcp-tray-products] [info] Client transport closed
2025-04-19T01:35:57.348Z [mcp-tray-products] [error] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging) {"context":"connection"}
`,
};

/** Claude Desktop 2026: metadata on every line (over several lines), "connected successfully" before the failure, bare stderr. */
const spawn2026 = `2026-04-03T08:20:33.103Z [mcp-tray-weather] [info] Initializing server... { metadata: undefined }
2026-04-03T08:20:33.105Z [mcp-tray-weather] [info] Using MCP server command: ${APP} with args and path: {
  metadata: {
    args: [ '/Applications/MCP Tray.app/Contents/Resources/app.asar.unpacked/dist/servers/weather.cjs', [length]: 1 ],
    paths: [
      '/usr/local/bin',
      '/opt/homebrew/bin',
      [length]: 2
    ]
  }
} %o
2026-04-03T08:20:33.106Z [mcp-tray-weather] [info] Server started and connected successfully { metadata: undefined }
Failed to spawn process: No such file or directory
2026-04-03T08:20:33.111Z [mcp-tray-weather] [info] Server transport closed { metadata: undefined }
2026-04-03T08:20:33.111Z [mcp-tray-weather] [info] Server transport closed unexpectedly, this is likely due to the process exiting early. If you are developing this MCP server you can add output to stderr (i.e. \`console.error('...')\` in JavaScript, \`print('...', file=sys.stderr)\` in python) and it will appear in this log. { metadata: undefined }
2026-04-03T08:20:33.111Z [mcp-tray-weather] [error] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging) { metadata: { context: 'connection', stack: undefined } }
`;

/** A start that answered (2025 builds log the initialize exchange). */
const success = (at: string, name = 'mcp-tray-products') => {
  const t = (ms: number) => new Date(Date.parse(at) + ms).toISOString();
  return `${t(0)} [${name}] [info] Initializing server...
${t(10)} [${name}] [info] Server started and connected successfully
${t(12)} [${name}] [info] Message from client: {"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"claude-ai","version":"0.1.0"}},"jsonrpc":"2.0","id":0}
mcp-tray ${name.replace('mcp-tray-', '')}: ready (pid 4242)
${t(80)} [${name}] [info] Message from server: {"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"${name}","version":"0.1.0"}}}
`;
};

function logsFor(files: Record<string, string>) {
  const home = tempDir('mcp-tray-home-');
  const platform = fakePlatform(home, 'linux', { XDG_CONFIG_HOME: path.join(home, '.config') });
  const dir = claudeLogsDir(platform);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, logs: new ClaudeLogs(platform) };
}
const entry = (logs: ClaudeLogs, server: 'products' | 'weather') => logs.report().servers.find((s) => s.server === server)!;

describe("reading Claude Desktop's logs", () => {
  it('finds the logs folder where Claude Desktop writes it on each OS', () => {
    expect(claudeLogsDir(fakePlatform('/Users/ann', 'darwin'))).toBe('/Users/ann/Library/Logs/Claude');
    expect(claudeLogsDir(fakePlatform('C:\\Users\\ann', 'win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }))).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Claude\\logs',
    );
    expect(claudeLogsDir(fakePlatform('/home/ann', 'linux', { XDG_CONFIG_HOME: '/home/ann/.cfg' }))).toBe('/home/ann/.cfg/Claude/logs');
    expect(claudeLogsDir(fakePlatform('/home/ann', 'linux'))).toBe('/home/ann/.config/Claude/logs');
  });

  it('2025 builds: quotes the spawn ENOENT line from both files once, and says what to do', () => {
    const { logs } = logsFor({ 'mcp.log': enoent2025.main, 'mcp-server-mcp-tray-products.log': enoent2025.server });
    const p = entry(logs, 'products');
    expect(p.state).toBe('failing');
    expect(p.problem!.quote).toBe(`spawn ${APP} ENOENT`);
    expect(p.problem!.meaning).toBe(
      `Claude can't find MCP Tray at ${APP}: it was moved, or it is running from a temporary place (a disk image, the Downloads folder or an AppImage).`,
    );
    expect(p.problem!.next).toMatch(/Applications folder .* Repair/);
    expect(p.problem!.at).toBe('2025-04-19T01:35:57.341Z');
    // The weather server has no lines: never started by Claude.
    expect(entry(logs, 'weather')).toMatchObject({ state: 'never', problem: null });
  });

  it('2026 builds: "connected successfully" before the failure is not success; the bare stderr line is the cause', () => {
    const { logs } = logsFor({ 'mcp-server-mcp-tray-weather.log': spawn2026 });
    const w = entry(logs, 'weather');
    expect(w.state).toBe('failing');
    expect(w.problem!.quote).toBe('Failed to spawn process: No such file or directory');
    expect(w.problem!.context).toContain(
      'Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)',
    );
    // The multi-line metadata blob and its "%o" are not taken for things the server printed.
    expect(w.problem!.context.join('\n')).not.toMatch(/paths|length|%o/);
    expect(w.problem!.meaning).toMatch(/can't find MCP Tray/);
  });

  it('2024 builds: "Could not start MCP server <name>" with a stack in mcp.log', () => {
    const main = `2024-12-04T03:32:52.210Z [info] Initializing server mcp-tray-weather
2024-12-04T03:32:52.217Z [error] Could not start MCP server mcp-tray-weather: Error: spawn ${APP} EACCES
    at ChildProcess._handle.onexit (node:internal/child_process:286:19)
    at onErrorNT (node:internal/child_process:484:16) {
  errno: -13,
  code: 'EACCES',
  syscall: 'spawn ${APP}',
  spawnargs: [Array]
}
2024-12-04T03:32:52.218Z [error] Could not start MCP server other-server: Error: spawn uvx ENOENT
`;
    const { logs } = logsFor({ 'mcp.log': main });
    const w = entry(logs, 'weather');
    expect(w.state).toBe('failing');
    expect(w.problem!.quote).toBe(`Could not start MCP server mcp-tray-weather: Error: spawn ${APP} EACCES`);
    expect(w.problem!.meaning).toBe(`Claude is not allowed to run ${APP}.`);
  });

  it("ignores other servers' lines, in mcp.log and in their own files", () => {
    const others = `2025-03-23T13:35:24.803Z [info] [filesystem] Initializing server...
2025-03-23T13:35:24.813Z [error] [filesystem] spawn mcp-filesystem-server ENOENT
2025-03-23T13:35:24.818Z [error] [filesystem] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging)
`;
    const { logs } = logsFor({
      'mcp.log': others + success('2025-03-23T13:36:00.000Z').replace(/\[mcp-tray-products\] \[info\]/g, '[info] [mcp-tray-products]'),
      'mcp-server-filesystem.log': 'Failed to spawn process: No such file or directory\n' + others,
    });
    const p = entry(logs, 'products');
    expect(p.state).toBe('ok');
    expect(p.problem).toBeNull();
    expect(entry(logs, 'weather').state).toBe('never');
  });

  it('an older error followed by a successful start is history, not a problem', () => {
    const { logs } = logsFor({ 'mcp-server-mcp-tray-products.log': enoent2025.server + success('2025-04-19T02:00:00.000Z') });
    const p = entry(logs, 'products');
    expect(p).toMatchObject({ state: 'ok', problem: null, resolvedErrorAt: '2025-04-19T01:35:57.348Z' });
    expect(p.lastOkAt).toBe('2025-04-19T02:00:00.080Z'); // the answer to initialize
  });

  it('a success followed by a failed start is a problem again (both line orders)', () => {
    const { logs } = logsFor({ 'mcp-server-mcp-tray-products.log': success('2025-04-19T01:00:00.000Z') + enoent2025.server });
    expect(entry(logs, 'products').state).toBe('failing');
  });

  it('a server that crashes after it answered is failing, with its last words; one Claude shut down is not', () => {
    const crash = `${success('2026-05-01T10:00:00.000Z')}mcp-tray products: unexpected error: RangeError: Invalid array length
2026-05-01T10:05:00.000Z [mcp-tray-products] [info] Server transport closed unexpectedly, this is likely due to the process exiting early. { metadata: undefined }
2026-05-01T10:05:00.001Z [mcp-tray-products] [error] Server disconnected. For troubleshooting guidance, please visit our [debugging documentation](https://modelcontextprotocol.io/docs/tools/debugging) { metadata: { context: 'connection', stack: undefined } }
`;
    const crashed = entry(logsFor({ 'mcp-server-mcp-tray-products.log': crash }).logs, 'products');
    expect(crashed.state).toBe('failing');
    expect(crashed.problem!.quote).toBe('mcp-tray products: unexpected error: RangeError: Invalid array length');
    expect(crashed.problem!.meaning).toBe('Product catalog stopped at start: unexpected error: RangeError: Invalid array length.');

    const quit = `${success('2026-05-01T10:00:00.000Z')}2026-05-01T10:05:00.000Z [mcp-tray-products] [info] Client transport closed { metadata: undefined }
2026-05-01T10:05:00.000Z [mcp-tray-products] [info] Shutting down server... { metadata: undefined }
2026-05-01T10:05:00.001Z [mcp-tray-products] [info] Server transport closed unexpectedly, this is likely due to the process exiting early. { metadata: undefined }
`;
    expect(entry(logsFor({ 'mcp-server-mcp-tray-products.log': quit }).logs, 'products')).toMatchObject({
      state: 'stopped',
      problem: null,
    });
  });

  it('leaves out a last line still being written, and reads it once it is finished', () => {
    const { dir, logs } = logsFor({ 'mcp-server-mcp-tray-products.log': success('2026-05-01T10:00:00.000Z') });
    const file = path.join(dir, 'mcp-server-mcp-tray-products.log');
    fs.appendFileSync(
      file,
      '2026-05-01T11:00:00.000Z [mcp-tray-products] [info] Initializing server...\n2026-05-01T11:00:00.020Z [mcp-tray-products] [error] spawn /x ENO',
    );
    // The half-written error is not read as "spawn /x ENO": the start is seen, the failure not yet.
    expect(entry(logs, 'products').state).toBe('starting');
    fs.appendFileSync(file, 'ENT {"context":"connection"}\n');
    const p = entry(logs, 'products');
    expect(p.state).toBe('failing');
    expect(p.problem!.quote).toBe('spawn /x ENOENT');
  });

  it('reads huge files from the end, a bounded amount, looking further back only until the latest start is in view', () => {
    const chatter = (n: number, at: string) =>
      `${at} [mcp-tray-products] [info] Message from server: {"jsonrpc":"2.0","id":${n},"result":{"content":[{"type":"text","text":"${'x'.repeat(900)}"}]}}\n`;
    // A start 1.5 MB back, behind ~1,600 lines of tool-call chatter: found by widening the window.
    let text = enoent2025.server.replace(/2025-04-19T01:35:57/g, '2026-05-01T09:00:00') + success('2026-05-01T10:00:00.000Z');
    for (let i = 0; i < 1600; i++) text += chatter(i, '2026-05-01T10:30:00.000Z');
    const { dir, logs } = logsFor({ 'mcp-server-mcp-tray-products.log': text });
    expect(entry(logs, 'products')).toMatchObject({ state: 'ok', lastStartAt: '2026-05-01T10:00:00.000Z' });

    // The same start 12 MB back is past the bound: the reader stops at 4 MB instead of reading it all.
    const file = path.join(dir, 'mcp-server-mcp-tray-products.log');
    const block = Array.from({ length: 1000 }, (_, i) => chatter(i, '2026-05-01T11:00:00.000Z')).join('');
    for (let i = 0; i < 12; i++) fs.appendFileSync(file, block);
    expect(fs.statSync(file).size).toBeGreaterThan(12 * 1024 * 1024);
    expect(readTail(file, 4 * 1024 * 1024).lines.join('\n').length).toBeLessThanOrEqual(4 * 1024 * 1024);
    const far = entry(logs, 'products');
    expect(far.lastStartAt).toBeNull();
    expect(far.state).toBe('ok'); // the answers it did see say the server is working
  });

  it('after a rotation, looks into the newest rotated copy for the latest start', () => {
    const { dir, logs } = logsFor({
      'mcp1.log': enoent2025.main,
      'mcp.log': '2025-04-19T02:00:00.000Z [info] [filesystem] Initializing server...\n',
    });
    fs.utimesSync(path.join(dir, 'mcp1.log'), new Date('2025-04-19T01:59:00Z'), new Date('2025-04-19T01:59:00Z'));
    const p = entry(logs, 'products');
    expect(p.state).toBe('failing');
    expect(p.problem!.file).toBe('mcp1.log');
  });

  it('a missing or unreadable folder says nothing rather than failing', () => {
    const home = tempDir('mcp-tray-home-');
    const report = new ClaudeLogs(fakePlatform(home)).report();
    expect(report.found).toBe(false);
    expect(report.servers.every((s) => s.state === 'never' && s.problem === null)).toBe(true);
    const { dir, logs } = logsFor({});
    fs.mkdirSync(path.join(dir, 'mcp.log')); // a folder where a file should be
    expect(logs.report().servers.map((s) => s.state)).toEqual(['never', 'never']);
  });

  it('keeps the words of a message and drops the metadata Claude appends', () => {
    expect(stripMetadata('spawn uv ENOENT {"context":"connection","stack":"Error: x"}')).toBe('spawn uv ENOENT');
    expect(stripMetadata('Server transport closed { metadata: undefined }')).toBe('Server transport closed');
    expect(stripMetadata('spawn python ENOENT {')).toBe('spawn python ENOENT');
    expect(stripMetadata('Using MCP server command: x with path: { %o')).toBe('Using MCP server command: x with path:');
    expect(stripMetadata('{a} spawn x ENOENT { metadata: 1 }')).toBe('{a} spawn x ENOENT');
    expect(stripMetadata('a {b} c')).toBe('a {b} c'); // braces in the words stay
    expect(stripMetadata('x'.repeat(10) + ' '.repeat(100_000))).toBe('x'.repeat(10));
  });

  it('when the missing program is there now, says to restart Claude rather than to move the app', () => {
    const here = process.execPath;
    const lines = parseLogLines(
      [
        '2025-04-19T01:35:57.318Z [mcp-tray-products] [info] Initializing server...',
        `2025-04-19T01:35:57.341Z [mcp-tray-products] [error] spawn ${here} ENOENT {"context":"connection"}`,
      ],
      'x.log',
      ['mcp-tray-products'],
      'mcp-tray-products',
    );
    const r = reduceEvents(lines);
    expect(r.state).toBe('failing');
    const { logs } = logsFor({
      'mcp-server-mcp-tray-products.log': lines.map((l) => `${l.at} [mcp-tray-products] [error] ${l.text}`).join('\n') + '\n',
    });
    expect(entry(logs, 'products').problem!.next).toMatch(/^Quit Claude Desktop completely/);
  });

  it('watches the files and reports only when what they say changes', async () => {
    const { dir, logs } = logsFor({});
    const seen: string[] = [];
    const stop = logs.watch(50, (r) => seen.push(r.servers.find((s) => s.server === 'products')!.state));
    try {
      fs.writeFileSync(path.join(dir, 'mcp-server-mcp-tray-products.log'), enoent2025.server);
      await expect.poll(() => seen, { timeout: 5000 }).toEqual(['failing']);
      fs.appendFileSync(path.join(dir, 'mcp-server-mcp-tray-products.log'), success('2025-04-19T03:00:00.000Z'));
      await expect.poll(() => seen, { timeout: 5000 }).toEqual(['failing', 'ok']);
      // A line that changes nothing (another tool call answered) is not an event.
      fs.appendFileSync(
        path.join(dir, 'mcp-server-mcp-tray-products.log'),
        '2025-04-19T03:00:05.000Z [mcp-tray-products] [info] Message from client: {"method":"tools/list","jsonrpc":"2.0","id":1}\n',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual(['failing', 'ok']);
    } finally {
      stop();
    }
  });
});
