import fs from 'node:fs';
import path from 'node:path';
import type { ClaudeLogEntry, ClaudeLogReport, ServerName } from '../contract.js';
import { SERVER_NAMES, SERVER_TITLES } from '../../../servers/registry.js';
import { claudeDesktopDir, entryName, type PlatformInfo } from '../clients/registry.js';
import { fileStamp } from '../../../servers/shared/file-stamp.js';
import { explain, parseLogLines, reduceEvents, type LogEvent } from './log-parse.js';
import { extensionDisplayName } from '../extensions/installed.js';
import { openRegularFile } from '../regular-file.js';

/** The names Claude logs a server under: its config entry's, or its extension's display name. */
const namesOf = (server: ServerName) => [entryName(server), extensionDisplayName(server)];

/** Claude Desktop's logs folder: macOS ~/Library/Logs/Claude, Windows %APPDATA%\Claude\logs, Linux $XDG_CONFIG_HOME/Claude/logs. */
export function claudeLogsDir(p: PlatformInfo): string {
  if (p.platform === 'darwin') return path.posix.join(p.home, 'Library', 'Logs', 'Claude');
  return (p.platform === 'win32' ? path.win32 : path.posix).join(claudeDesktopDir(p), 'logs');
}

/** The first look at a file's end; doubled while our entries' latest start is not in view, up to the cap. */
const FIRST_WINDOW = 256 * 1024;
const MAX_WINDOW = 4 * 1024 * 1024;

export interface TailRead {
  /** Whole lines only: the line cut by the window's start and a last line still being written are left out. */
  lines: string[];
  /** The window reached the start of the file. */
  whole: boolean;
}

/**
 * Reads up to `bytes` from the end of a file, as whole lines. Only a regular file (openRegularFile):
 * a FIFO or a device where a log should be is refused without waiting.
 */
export function readTail(file: string, bytes: number): TailRead {
  const { fd, size } = openRegularFile(file);
  try {
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    const lines = buf.subarray(0, got).toString('utf8').split('\n');
    if (start > 0) lines.shift();
    lines.pop(); // "" after the last newline, or a line not finished yet
    return { lines, whole: start === 0 };
  } finally {
    fs.closeSync(fd);
  }
}

/** Older copies of a log kept by rotation (`mcp1.log`, `mcp.1.log`, `mcp.log.1`, `mcp.old.log`), newest first. */
export function rotatedCopies(dir: string, base: string): string[] {
  const stem = base.replace(/\.log$/, '');
  const esc = stem.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const re = new RegExp(`^(?:${esc}(?:\\.old|\\.\\d+|\\d+)\\.log|${esc}\\.log\\.\\d+)$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => re.test(n));
  } catch {
    return [];
  }
  return names
    .map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime)
    .map((f) => f.file);
}

/**
 * Claude Desktop's own view of our servers, from its logs. Reads are tail-first and bounded, and a
 * file is parsed again only when its size or time changed.
 */
export class ClaudeLogs {
  readonly dir: string;
  private readonly cache = new Map<string, { stamp: string; events: LogEvent[] }>();
  private watched: Array<() => void> = [];
  private last = '';

  constructor(platform: PlatformInfo) {
    this.dir = claudeLogsDir(platform);
  }

  /** The events of our entries in one file, looking further back until each entry's latest start is in view. */
  private fileEvents(file: string, serverFileOf?: string): LogEvent[] {
    const stamp = fileStamp(file);
    if (stamp === null) return [];
    const hit = this.cache.get(file);
    if (hit && hit.stamp === stamp) return hit.events;
    const entries = serverFileOf ? [serverFileOf] : SERVER_NAMES.flatMap(namesOf);
    const name = path.basename(file);
    let events: LogEvent[] = [];
    try {
      for (let window = FIRST_WINDOW; ; window *= 2) {
        const tail = readTail(file, window);
        events = parseLogLines(tail.lines, name, entries, serverFileOf);
        const started = entries.every((en) => events.some((e) => e.kind === 'start' && e.entryName === en));
        if (tail.whole || window >= MAX_WINDOW || started) break;
      }
    } catch {
      events = []; // unreadable (permissions, gone meanwhile): nothing to say
    }
    this.cache.set(file, { stamp, events });
    return events;
  }

  /** The events of one file and, when its latest start is not in it, of its newest rotated copy before it. */
  private logEvents(base: string, serverFileOf?: string): LogEvent[] {
    const current = this.fileEvents(path.join(this.dir, base), serverFileOf);
    if (current.some((e) => e.kind === 'start')) return current;
    const older = rotatedCopies(this.dir, base)[0];
    return older ? [...this.fileEvents(older, serverFileOf), ...current] : current;
  }

  /**
   * The latest state per server. `commandOf` gives the program our entry tells Claude to run (for
   * the "can't find" explanation, which newer Claude builds no longer name).
   */
  report(commandOf: (server: ServerName) => string | null = () => null): ClaudeLogReport {
    const found = fs.existsSync(this.dir);
    const shared = found ? this.logEvents('mcp.log') : [];
    const servers = SERVER_NAMES.map((server): ClaudeLogEntry => {
      const entry = entryName(server);
      const names = namesOf(server);
      const own = found ? names.flatMap((n) => this.logEvents(`mcp-server-${n}.log`, n)) : [];
      const events = merge(
        sortByTime(own),
        shared.filter((e) => names.includes(e.entryName)),
      );
      const r = reduceEvents(events);
      const title = SERVER_TITLES[server];
      return {
        server,
        title,
        entry,
        state: r.state,
        lastStartAt: r.lastStartAt,
        lastOkAt: r.lastOkAt,
        resolvedErrorAt: r.resolvedErrorAt,
        problem: r.problem
          ? {
              at: r.problem.at,
              quote: r.problem.text,
              file: r.problem.file,
              context: r.context.map((c) => c.text),
              ...explain(r.problem, r.context, commandOf(server), title, (f) => fs.existsSync(f)),
            }
          : null,
      };
    });
    return { dir: this.dir, found, servers };
  }

  /**
   * Looks at the logs every `ms` (a stat per file) and calls `onChange` with a new report when what
   * it says changed. Returns a stop function.
   */
  watch(ms: number, onChange: (report: ClaudeLogReport) => void, commandOf?: (server: ServerName) => string | null): () => void {
    this.last = JSON.stringify(this.report(commandOf));
    const files = ['mcp.log', ...SERVER_NAMES.flatMap(namesOf).map((n) => `mcp-server-${n}.log`)].map((f) => path.join(this.dir, f));
    const listener = () => {
      const next = this.report(commandOf);
      const text = JSON.stringify(next);
      if (text === this.last) return;
      this.last = text;
      onChange(next);
    };
    for (const f of files) fs.watchFile(f, { interval: ms, persistent: false }, listener);
    const stop = () => files.forEach((f) => fs.unwatchFile(f, listener));
    this.watched.push(stop);
    return stop;
  }

  close(): void {
    for (const stop of this.watched) stop();
    this.watched = [];
  }
}

/**
 * One timeline from the entry's own file and mcp.log, which mostly say the same things a
 * millisecond apart: an event already told by the other file within a second is dropped.
 */
function merge(own: readonly LogEvent[], shared: readonly LogEvent[]): LogEvent[] {
  const all = [...own, ...shared.filter((s) => !own.some((o) => o.kind === s.kind && o.text === s.text && near(o.at, s.at)))];
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map((x) => x.e);
}
const sortByTime = (events: LogEvent[]) =>
  events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map((x) => x.e);
const near = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) <= 1000;
