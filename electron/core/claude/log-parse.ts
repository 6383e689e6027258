/**
 * Reading what Claude Desktop itself says about our servers: the lines of its `mcp.log` and
 * `mcp-server-<entry>.log`, turned into events, and the events into one state per entry.
 *
 * The format drifts between Claude versions, so the parser is deliberately forgiving:
 * - 2024: `…Z [error] Could not start MCP server <name>: Error: spawn uvx ENOENT` + a stack;
 * - 2025: `…Z [info] [<name>] Initializing server...` in mcp.log, `…Z [<name>] [error] spawn uv ENOENT {"context":…}`
 *   in the per-server file;
 * - 2026: every line ends in `{ metadata: … }` (sometimes spread over many lines), "Server started and
 *   connected successfully" may come *before* the failure, and the child's own stderr appears as bare
 *   lines without a timestamp (`Failed to spawn process: No such file or directory`).
 */

import type { ClaudeServerState } from '../contract.js';
import { visible } from '../../../servers/shared/visible.js';

export type LogEventKind =
  /** Claude is starting the server ("Initializing server..."). */
  | 'start'
  /** The server answered (a "Message from server" line, or our own "ready" line on its stderr). */
  | 'ok'
  /** An error Claude logged about the server. */
  | 'error'
  /** A line the server itself wrote on stderr (2026 builds pass it through bare). */
  | 'stderr'
  /** "Server transport closed unexpectedly": the process went away on its own. */
  | 'exited'
  /** "Server disconnected": Claude gave up on it. */
  | 'disconnected'
  /** Claude stopped the server on purpose (it was quit, or the server switched off). */
  | 'shutdown';

export interface LogEvent {
  /** ISO time from the line (a bare line takes the time of the line before it). */
  at: string;
  kind: LogEventKind;
  /** The message as Claude wrote it, without the trailing metadata blob. */
  text: string;
  /** The log file it came from (a name, not a path). */
  file: string;
  /** The config entry the line is about (mcp-tray-products). */
  entryName: string;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\s+(.*)$/;
const LEVELS = '(info|warn|warning|error|debug|verbose|fatal)';
/** mcp.log: `[level] [name] message` */
const LEVEL_FIRST = new RegExp(`^\\[${LEVELS}\\]\\s+\\[(.+?)\\]\\s?(.*)$`, 'i');
/** mcp-server-<name>.log: `[name] [level] message` */
const NAME_FIRST = new RegExp(`^\\[(.+?)\\]\\s+\\[${LEVELS}\\]\\s?(.*)$`, 'i');
/** mcp.log, 2024: `[level] message` naming the server inside the message. */
const LEVEL_ONLY = new RegExp(`^\\[${LEVELS}\\]\\s+(.*)$`, 'i');
const COULD_NOT_START = /^Could not start MCP server (\S+?):\s*(.*)$/;

/** What of a log line is read: Claude's lines are short; a longer one is cut (its end is never the words a person needs). */
export const MAX_LINE = 16 * 1024;

/** A metadata tail's opening, right after its `{`: `metadata:`, `"key":`, or nothing more. */
const TAIL_OPENING = /\s*(?:metadata:|"[\w-]+"\s*:|$)/y;
const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);

/**
 * Drops the `{ metadata: … }` / `{"context":…}` tail Claude appends, keeping the words a person reads.
 * In one pass over the text (the regexes it replaces took time growing with the square of a line's
 * spaces: a line of 250,000 spaces took doctor 72 s).
 */
export function stripMetadata(message: string): string {
  let text = message.trimEnd();
  if (text.endsWith('%o')) text = text.slice(0, -2);
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) {
    if (!isSpace(text[i - 1])) continue;
    TAIL_OPENING.lastIndex = i + 1;
    if (TAIL_OPENING.test(text)) {
      text = text.slice(0, i);
      break;
    }
  }
  return text.trim();
}

function classify(level: string, message: string): LogEventKind | null {
  if (/^Initializing server/i.test(message)) return 'start';
  if (/^Message from server:/i.test(message)) return 'ok';
  if (/^Server transport closed unexpectedly/i.test(message)) return 'exited';
  if (/^Server disconnected/i.test(message)) return 'disconnected';
  if (/^Shutting down server/i.test(message)) return 'shutdown';
  if (
    /^(?:Server started and connected successfully|Message from client:|Client transport closed|Server transport closed|Using )/i.test(
      message,
    )
  )
    return null;
  if (/^(error|fatal)$/i.test(level)) return 'error';
  return null;
}

/** What a bare line from the server's stderr means to us: our own "ready" line is proof it started. */
function classifyStderr(line: string): LogEventKind {
  return /^mcp-tray \w+: ready \(pid \d+\)/.test(line) ? 'ok' : 'stderr';
}

/** A line of a multi-line metadata blob or a stack trace, not something the server printed. */
const isContinuation = (line: string) => /^[\s{}[\]()']/.test(line);

/**
 * Parses the lines of one log file and returns the events of the given entries (by entry name).
 * `serverFileOf`: when the file is one entry's own `mcp-server-<entry>.log`, bare lines in it are
 * that server's stderr; in mcp.log they cannot be told apart and are skipped.
 */
export function parseLogLines(lines: readonly string[], file: string, entries: readonly string[], serverFileOf?: string): LogEvent[] {
  const wanted = new Set(entries);
  const out: LogEvent[] = [];
  let lastAt: string | null = null;
  let depth = 0; // open braces of a metadata blob spread over several lines
  const countBraces = (s: string) => {
    for (const ch of s) {
      if (ch === '{') depth++;
      else if (ch === '}') depth = Math.max(0, depth - 1);
    }
  };
  for (const raw of lines) {
    const line = (raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw).replace(/\r$/, '');
    const ts = TIMESTAMP.exec(line);
    if (!ts) {
      if (depth > 0 || !line.trim() || isContinuation(line)) {
        countBraces(line);
        continue;
      }
      // A bare line: the child's stderr, passed through by 2026 builds. Only attributable in its own file.
      if (serverFileOf && wanted.has(serverFileOf) && lastAt) {
        out.push({ at: lastAt, kind: classifyStderr(line.trim()), text: visible(line.trim()), file, entryName: serverFileOf });
      }
      continue;
    }
    depth = 0;
    const at = ts[1]!;
    const rest = ts[2]!;
    lastAt = at;
    let level: string;
    let name: string | null;
    let message: string;
    const a = LEVEL_FIRST.exec(rest);
    const b = a ? null : NAME_FIRST.exec(rest);
    if (a) [level, name, message] = [a[1]!, a[2]!, a[3]!];
    else if (b) [name, level, message] = [b[1]!, b[2]!, b[3]!];
    else {
      const c = LEVEL_ONLY.exec(rest);
      if (!c) continue;
      level = c[1]!;
      message = c[2]!;
      const named = COULD_NOT_START.exec(message);
      name = named ? named[1]! : null;
    }
    countBraces(message);
    if (!name || !wanted.has(name)) continue;
    const kind = classify(level, message);
    if (kind) out.push({ at, kind, text: visible(stripMetadata(message)), file, entryName: name });
  }
  return out;
}

export type { ClaudeServerState };

export interface EntryLogState {
  state: ClaudeServerState;
  lastStartAt: string | null;
  lastOkAt: string | null;
  /** The error that explains the current failure, quoted as Claude wrote it. */
  problem: LogEvent | null;
  /** Other lines of the failing start, oldest first (the stderr the server printed, Claude's closing words). */
  context: LogEvent[];
  /** When an earlier error was put behind by a later successful start (history, not a problem). */
  resolvedErrorAt: string | null;
}

/** Which line of a failed start says the most: a specific error, then the server's own words, then Claude's. */
const CAUSE_RANK: Record<LogEventKind, number> = { error: 4, stderr: 3, exited: 2, disconnected: 1, start: 0, ok: 0, shutdown: 0 };
const causeRank = (e: LogEvent) => (e.kind === 'error' && /^Server disconnected/i.test(e.text) ? 1 : CAUSE_RANK[e.kind]);

/**
 * The latest state of one entry from its events (time order). Only the latest start counts: an
 * older error followed by a successful start is history.
 */
export function reduceEvents(events: readonly LogEvent[]): EntryLogState {
  let attempt: { at: string | null; okAt: string | null; trouble: LogEvent[]; ended: boolean; shutdown: boolean } | null = null;
  let lastOkAt: string | null = null;
  let lastStartAt: string | null = null;
  let lastErrorAt: string | null = null;
  let resolvedErrorAt: string | null = null;
  const fresh = (at: string | null) => ({ at, okAt: null, trouble: [] as LogEvent[], ended: false, shutdown: false });
  for (const e of events) {
    switch (e.kind) {
      case 'start':
        attempt = fresh(e.at);
        lastStartAt = e.at;
        break;
      case 'ok':
        attempt ??= fresh(null);
        if (!attempt.okAt) attempt.okAt = e.at;
        lastOkAt = e.at;
        if (lastErrorAt && !attempt.trouble.some((t) => causeRank(t) >= 2)) resolvedErrorAt = lastErrorAt;
        break;
      case 'shutdown':
        attempt ??= fresh(null);
        attempt.shutdown = true;
        break;
      default:
        attempt ??= fresh(null);
        // After a clean shutdown Claude's closing words are not a failure.
        if (attempt.shutdown && (e.kind === 'exited' || e.kind === 'disconnected')) break;
        attempt.trouble.push(e);
        if (e.kind === 'exited' || e.kind === 'disconnected') attempt.ended = true;
        if (e.kind !== 'stderr') lastErrorAt = e.at;
    }
  }
  const base = { lastStartAt, lastOkAt, resolvedErrorAt };
  if (!attempt) return { ...base, state: 'never', problem: null, context: [] };
  // Stderr lines alone are not a failure (servers write notes there); an error or an early exit is.
  const failed = attempt.trouble.some((t) => t.kind !== 'stderr');
  // A start that answered and then failed (crashed later) counts too, unless Claude shut it down.
  const relevant = attempt.okAt ? attempt.trouble.filter((t) => t.at >= attempt.okAt! && t.kind !== 'stderr') : attempt.trouble;
  if (failed && (!attempt.okAt || (attempt.ended && relevant.length > 0) || relevant.some((t) => t.kind === 'error'))) {
    const considered = attempt.okAt ? attempt.trouble.filter((t) => t.at >= attempt.okAt!) : attempt.trouble;
    const problem = considered.reduce<LogEvent | null>((best, e) => (!best || causeRank(e) > causeRank(best) ? e : best), null);
    return { ...base, resolvedErrorAt: null, state: 'failing', problem, context: considered.filter((e) => e !== problem) };
  }
  if (attempt.shutdown) return { ...base, state: 'stopped', problem: null, context: [] };
  if (attempt.okAt) return { ...base, state: 'ok', problem: null, context: [] };
  return { ...base, state: 'starting', problem: null, context: [] };
}

export interface Explanation {
  /** What it means, in plain words. */
  meaning: string;
  /** What to do next. */
  next: string;
}

/**
 * Plain words for Claude's error line. `command` is the program our entry tells Claude to run (for
 * the "can't find" case, where 2026 builds no longer name it).
 */
export function explain(
  problem: LogEvent,
  context: readonly LogEvent[],
  command: string | null,
  title: string,
  exists: (file: string) => boolean = () => false,
): Explanation {
  const all = [problem, ...context].map((e) => e.text).join('\n');
  const spawn = /spawn (.+?) (ENOENT|EACCES|EPERM|ENOTDIR)/.exec(all);
  if ((spawn && spawn[2] === 'ENOENT') || /Failed to spawn process: No such file or directory|ENOENT/.test(all)) {
    const where = spawn?.[1] ?? command ?? 'the path in its settings';
    if (where.startsWith('/') || /^[A-Za-z]:\\/.test(where) ? exists(where) : false) {
      // The settings point at a file that is there now: repaired since, and Claude has not restarted.
      return {
        meaning: `When Claude Desktop last started ${title}, it could not find ${where}; it is there now.`,
        next: 'Quit Claude Desktop completely (its menu-bar or tray icon → Quit) and open it again. If this comes back, click Repair on the Apps page.',
      };
    }
    return {
      meaning: `Claude can't find MCP Tray at ${where}: it was moved, or it is running from a temporary place (a disk image, the Downloads folder or an AppImage).`,
      next: 'Move MCP Tray to your Applications folder (on Windows and Linux: install it), open it from there and click Repair on the Apps page; then quit and reopen Claude Desktop.',
    };
  }
  if ((spawn && spawn[2] !== 'ENOENT') || /EACCES|EPERM|permission denied/i.test(all)) {
    return {
      meaning: `Claude is not allowed to run ${spawn?.[1] ?? command ?? 'MCP Tray'}.`,
      next: 'Reinstall MCP Tray (or make sure your security software lets Claude start it), click Repair on the Apps page, then quit and reopen Claude Desktop.',
    };
  }
  if (/timed? ?out|timeout/i.test(all)) {
    return {
      meaning: `Claude gave up waiting for ${title} to start.`,
      next: 'The computer may have been busy: quit and reopen Claude Desktop. If it happens again, run the checks on the Apps page (or `mcp-tray doctor`).',
    };
  }
  const ours = [problem, ...context].find((e) => e.kind === 'stderr' && /^mcp-tray \w+: /.test(e.text));
  if (ours) {
    return {
      meaning: `${title} stopped at start: ${ours.text.replace(/^mcp-tray \w+: /, '')}.`,
      next: 'Open MCP Tray and look at the Servers page (it shows the same error); run the checks on the Apps page for the next step.',
    };
  }
  if (/JSON|Unexpected token|position \d+/i.test(all)) {
    return {
      meaning: 'Claude could not read what it got: its settings file or a message was not valid JSON.',
      next: 'Open the Apps page in MCP Tray: it shows whether claude_desktop_config.json has an error and where. Click Repair, then quit and reopen Claude Desktop.',
    };
  }
  const code = /(?:exit(?:ed)? (?:with )?code|code)\s*[:=]?\s*(-?\d+)/i.exec(all);
  if (code) {
    return {
      meaning: `${title} stopped with exit code ${code[1]} when Claude started it.`,
      next: 'Run the checks on the Apps page (or `mcp-tray doctor`): they start the server the way Claude does and show its own error.',
    };
  }
  return {
    meaning: `Claude could not keep ${title} running.`,
    next: 'Run the checks on the Apps page (or `mcp-tray doctor`); then quit and reopen Claude Desktop.',
  };
}
