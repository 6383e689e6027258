import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { isDeepStrictEqual } from 'node:util';
import {
  applyEdits,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  visit,
  type Edit,
  type JSONPath,
  type Node,
  type ParseError,
  type ParseOptions,
} from 'jsonc-parser';
import { HostError } from '../errors.js';
import { keepNewest } from '../retention.js';
import { pidAlive } from '../../../servers/shared/process.js';

/** A config file we refuse to touch because it does not parse; says where it breaks. */
export class ConfigParseError extends HostError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      `${file} is not valid JSON at line ${line}, column ${column}: ${reason}. It was left exactly as it is; fix it (or restore a backup) and try again.`,
      'parse_error',
    );
  }
}

/** How one client's config file is laid out and read. */
export interface ConfigFormat {
  /** Top-level key holding the servers. */
  containerKey: string;
  /** The client's own parser takes JSON with comments and trailing commas (VS Code's mcp.json). */
  jsonc: boolean;
  /** Our own entries: the only ones whose values are read, compared or changed. */
  isOurs: (name: string) => boolean;
}

/** What a status check needs from a config: cheap to keep, and cached per file version. */
export interface ConfigView {
  exists: boolean;
  /** Every entry name in the container, in file order. */
  names: string[];
  /** The values of our entries. */
  ours: Record<string, unknown>;
}

interface Range {
  offset: number;
  length: number;
}

export interface ConfigSnapshot extends ConfigView {
  /** The path as given (may be a symlink). */
  file: string;
  /** Where writes go: the symlink's target, so the link itself is kept. */
  target: string;
  bytes: Buffer | null;
  text: string;
  /** The container's value ({ … }), when the file has one. */
  container: Range | null;
  /** The root object, and the end of its last member (where a missing container goes). */
  root: Range | null;
  rootLastEnd: number | null;
  eol: '\n' | '\r\n';
  insertSpaces: boolean;
  tabSize: number;
  /** The file's mode bits, kept on rewrite. */
  mode: number | null;
}

const ERROR_WORDS: Record<string, string> = {
  InvalidCommentToken: 'comments are not allowed in this file',
  PropertyNameExpected: 'a property name was expected (is there a trailing comma?)',
  ValueExpected: 'a value was expected (is there a trailing comma?)',
  CloseBraceExpected: 'a closing } is missing (is the file cut short?)',
  CloseBracketExpected: 'a closing ] is missing (is the file cut short?)',
  CommaExpected: 'a comma is missing',
  ColonExpected: 'a colon is missing',
  EndOfFileExpected: 'there is more text after the end of the JSON',
  UnexpectedEndOfString: 'a string is not closed (is the file cut short?)',
  UnexpectedEndOfComment: 'a comment is not closed',
  InvalidSymbol: 'there is a character that does not belong in JSON',
  InvalidUnicode: 'there is an invalid \\u escape',
  InvalidEscapeCharacter: 'there is an invalid escape sequence',
  InvalidCharacter: 'there is an invalid character in a string',
};

/** No client config nests this deep; past it we stop before the parser's recursion could overflow the stack. */
export const MAX_DEPTH = 256;

const parseOptions = (jsonc: boolean): ParseOptions => ({
  disallowComments: !jsonc,
  allowTrailingComma: jsonc,
  allowEmptyContent: false,
});

/** Offset of the first byte that is not valid UTF-8, or -1. Only called once isUtf8 said no. */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
    }
    // Overlong, surrogate and past-U+10FFFF forms.
    const n1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && n1 < 0xa0) || (c === 0xed && n1 > 0x9f) || (c === 0xf0 && n1 < 0x90) || (c === 0xf4 && n1 > 0x8f)) return i;
    i += need + 1;
  }
  return -1;
}

function bytePosition(b: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = b.indexOf(10); i !== -1 && i < offset; i = b.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: b.subarray(lineStart, offset).toString('utf8').length + 1 };
}

/** Counts full-file parses, so a test can hold us to one per click. */
export const parseStats = { scans: 0 };

interface Frame {
  role: 'root' | 'container' | 'ours' | 'other';
  /** Keys seen so far, where duplicates matter (the levels we read or edit). */
  keys: Set<string> | null;
  /** The property whose value comes next. */
  key: string | null;
  keyLine: number;
  keyCh: number;
  start: number;
}

/**
 * One pass over the whole file with jsonc-parser's visitor (no tree is built for it): checks the
 * syntax, the nesting depth, duplicate keys where we read or edit, and that the container and every
 * entry in it are objects; records where the container and our entries are. Only our entries'
 * values are then parsed.
 */
export function parseConfigText(file: string, text: string, format: ConfigFormat): Omit<ConfigSnapshot, 'target' | 'bytes' | 'mode'> {
  parseStats.scans++;
  if (text.trim() === '') throw new ConfigParseError(file, 1, 1, 'the file is empty');
  const fail = (line: number, ch: number, reason: string): never => {
    throw new ConfigParseError(file, line + 1, ch + 1, reason);
  };
  const stack: Frame[] = [];
  // One state object (not loose lets): TypeScript does not see assignments made inside the callbacks.
  const found = {
    container: null as Range | null,
    root: null as Range | null,
    rootLastEnd: null as number | null,
    rootKind: null as string | null,
  };
  const names: string[] = [];
  const ourRanges = new Map<string, Range>();

  const valueStarts = (line: number, ch: number, kind: string): Frame['role'] => {
    const parent = stack.at(-1);
    if (!parent) {
      found.rootKind = kind;
      return 'root';
    }
    if (parent.role === 'root' && parent.key === format.containerKey) {
      if (kind !== 'object') fail(parent.keyLine, parent.keyCh, `"${format.containerKey}" must be an object ({ … }) of servers`);
      return 'container';
    }
    if (parent.role === 'container') {
      if (kind !== 'object')
        fail(
          parent.keyLine,
          parent.keyCh,
          `the entry "${parent.key}" in "${format.containerKey}" must be an object ({ … }), as its app expects`,
        );
      return format.isOurs(parent.key!) ? 'ours' : 'other';
    }
    return parent.role === 'ours' ? 'ours' : 'other';
  };
  const valueEnds = (end: number, start: number) => {
    const parent = stack.at(-1);
    if (parent?.role === 'root') found.rootLastEnd = end;
    if (parent?.role === 'container' && format.isOurs(parent.key!)) ourRanges.set(parent.key!, { offset: start, length: end - start });
  };
  const open = (offset: number, line: number, ch: number, kind: 'object' | 'array') => {
    if (stack.length >= MAX_DEPTH) fail(line, ch, `the file nests deeper than ${MAX_DEPTH} levels, which no app's settings do`);
    const role = valueStarts(line, ch, kind);
    const checked = kind === 'object' && role !== 'other';
    stack.push({ role: checked ? role : 'other', keys: checked ? new Set() : null, key: null, keyLine: line, keyCh: ch, start: offset });
  };
  const close = (offset: number, length: number) => {
    const frame = stack.pop()!;
    const range = { offset: frame.start, length: offset + length - frame.start };
    if (frame.role === 'root') found.root = range;
    if (frame.role === 'container') found.container = range;
    valueEnds(offset + length, frame.start);
  };

  try {
    visit(
      text,
      {
        onObjectBegin: (offset, _l, line, ch) => open(offset, line, ch, 'object'),
        onObjectEnd: close,
        onArrayBegin: (offset, _l, line, ch) => open(offset, line, ch, 'array'),
        onArrayEnd: close,
        onObjectProperty: (property, _offset, _l, line, ch) => {
          const frame = stack.at(-1)!;
          if (frame.keys) {
            if (frame.keys.has(property))
              fail(
                line,
                ch,
                `the key "${property}" appears twice in the same object; apps disagree on which one counts, so fix it by hand first`,
              );
            frame.keys.add(property);
          }
          frame.key = property;
          frame.keyLine = line;
          frame.keyCh = ch;
          if (frame.role === 'container') names.push(property);
        },
        onLiteralValue: (value: unknown, offset, length, line, ch) => {
          if (stack.length === 0) found.rootKind = value === null ? 'null' : `a ${typeof value}`;
          else {
            valueStarts(line, ch, 'literal');
            valueEnds(offset + length, offset);
          }
        },
        onError: (error, _offset, _length, line, ch) =>
          fail(line, ch, ERROR_WORDS[printParseErrorCode(error)] ?? printParseErrorCode(error)),
      },
      parseOptions(format.jsonc),
    );
  } catch (err) {
    if (err instanceof RangeError) throw new ConfigParseError(file, 1, 1, 'the file nests too deeply to read');
    throw err;
  }
  const { container, root, rootLastEnd, rootKind } = found;
  if (rootKind !== 'object' || !root) {
    throw new ConfigParseError(
      file,
      1,
      1,
      `the file must hold a JSON object ({ … }) but holds ${rootKind === 'array' ? 'an array' : rootKind}`,
    );
  }
  const ours: Record<string, unknown> = {};
  for (const [name, r] of ourRanges) {
    ours[name] = getNodeValue(parseTree(text.slice(r.offset, r.offset + r.length), [], parseOptions(format.jsonc))!) as unknown;
  }
  const indentMatch = /\n([ \t]+)\S/.exec(text);
  const indent = indentMatch?.[1] ?? '  ';
  return {
    file,
    exists: true,
    text,
    names,
    ours,
    container,
    root,
    rootLastEnd,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
  };
}

/** Checks the bytes are a config we can edit without changing a byte we do not own. */
export function parseConfigBytes(file: string, bytes: Buffer, format: ConfigFormat) {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ConfigParseError(
      file,
      1,
      1,
      'the file starts with a byte-order mark (BOM), which JSON does not allow; save it as UTF-8 without BOM',
    );
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = bytePosition(bytes, at);
    throw new ConfigParseError(
      file,
      line,
      column,
      `byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} is not UTF-8 (the file was saved in another encoding); MCP Tray only edits UTF-8 files, so save it as UTF-8`,
    );
  }
  return parseConfigText(file, bytes.toString('utf8'), format);
}

function resolveTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    /* missing file, or a dangling link: written where the link points, created below */
    try {
      return path.resolve(path.dirname(file), fs.readlinkSync(file));
    } catch {
      return file;
    }
  }
}

function readBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HostError(`Cannot read ${file}: ${(err as Error).message}`, 'invalid');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function snapshotOf(file: string, target: string, bytes: Buffer | null, format: ConfigFormat): ConfigSnapshot {
  if (bytes === null) {
    return {
      file,
      target,
      exists: false,
      bytes: null,
      text: '',
      names: [],
      ours: {},
      container: null,
      root: null,
      rootLastEnd: null,
      eol: '\n',
      insertSpaces: true,
      tabSize: 2,
      mode: null,
    };
  }
  let mode: number | null = null;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    /* gone meanwhile: the write recreates it */
  }
  return { ...parseConfigBytes(file, bytes, format), target, bytes, mode };
}

/**
 * Reads and checks a client config. Anything that is not a JSON object whose container is an object
 * of objects stops here with a ConfigParseError: we never write a file we could not fully understand.
 * A file caught half-written by another program (it does not parse, and its bytes are still
 * changing) is read again for up to a second before we give up.
 */
export async function readConfig(file: string, format: ConfigFormat): Promise<ConfigSnapshot> {
  const target = resolveTarget(file);
  let stamp = stampOf(target);
  let bytes = readBytes(target);
  let still = 0;
  const started = Date.now();
  for (let tries = 0; ; tries++) {
    try {
      return snapshotOf(file, target, bytes, format);
    } catch (err) {
      if (!(err instanceof ConfigParseError) || tries >= 20) throw err;
      await sleep(Math.min(50, 5 * 2 ** tries));
      const again = { stamp: stampOf(target), bytes: readBytes(target) };
      // Untouched for a while: it really is broken. (An empty file is most likely a writer caught
      // between truncating and writing, perhaps descheduled on a busy machine: give it the full second.)
      still = again.stamp === stamp && sameBytes(again.bytes, bytes) ? still + 1 : 0;
      if (still >= 3 && Date.now() - started > 150 && bytes !== null && bytes.length > 0) throw err;
      ({ stamp, bytes } = again);
    }
  }
}

/* ----- a cached view for status checks ----- */

const viewCache = new Map<string, { stamp: string; view: ConfigView | ConfigParseError }>();
function stampOf(target: string): string {
  try {
    const s = fs.statSync(target, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

/**
 * The entries of a config, for telling its state: parsed once per version of the file (by inode,
 * size and times), so showing five clients' states after a click does not parse a 60 MB file again.
 */
export function inspectConfig(file: string, format: ConfigFormat): ConfigView {
  const target = resolveTarget(file);
  const key = `${target}\0${format.containerKey}`;
  const stamp = stampOf(target);
  const hit = viewCache.get(key);
  if (hit?.stamp === stamp) {
    if (hit.view instanceof ConfigParseError) throw hit.view;
    return hit.view;
  }
  let view: ConfigView | ConfigParseError;
  try {
    const snap = snapshotOf(file, target, readBytes(target), format);
    view = { exists: snap.exists, names: snap.names, ours: snap.ours };
  } catch (err) {
    if (!(err instanceof ConfigParseError)) throw err;
    view = err;
  }
  if (stamp === stampOf(target)) viewCache.set(key, { stamp, view });
  if (view instanceof ConfigParseError) throw view;
  return view;
}

/* ----- editing ----- */

/**
 * Changes only the named entries of the container, as minimal text edits on the container alone:
 * every other byte of the file (other servers, other keys, comments, indentation, line endings, key
 * order) stays as it was. Our own entries are rendered in the file's indentation and line endings.
 * `undefined` removes an entry.
 */
export function editConfig(snap: ConfigSnapshot, format: ConfigFormat, changes: Record<string, unknown>): string {
  const key = format.containerKey;
  const present = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (!snap.exists) return `${JSON.stringify({ [key]: present }, null, 2)}\n`;
  const unit = snap.insertSpaces ? ' '.repeat(snap.tabSize) : '\t';
  const eol = snap.eol;
  const render = (value: unknown, depth: number) =>
    JSON.stringify(value, null, unit)
      .split('\n')
      .join(eol + unit.repeat(depth));
  const text = snap.text;
  if (!snap.container) {
    if (Object.keys(present).length === 0) return text;
    const root = snap.root!;
    const edit: Edit =
      snap.rootLastEnd !== null
        ? { offset: snap.rootLastEnd, length: 0, content: `,${eol}${unit}${JSON.stringify(key)}: ${render(present, 1)}` }
        : { offset: root.offset, length: root.length, content: `{${eol}${unit}${JSON.stringify(key)}: ${render(present, 1)}${eol}}` };
    return applyEdits(text, [edit]);
  }
  // The container's own text is small even when the file is not (~/.claude.json): edit it alone.
  const { offset, length } = snap.container;
  let sub = text.slice(offset, offset + length);
  const options = parseOptions(format.jsonc);
  const prop = (obj: Node | undefined, name: string) =>
    obj?.children?.find((c) => c.type === 'property' && c.children?.[0]?.value === name);
  for (const [name, value] of Object.entries(changes)) {
    const container = parseTree(sub, [], options)!;
    const existing = prop(container, name);
    let edit: Edit;
    if (value === undefined) {
      if (!existing) continue;
      // Removal: jsonc-parser takes the property and its comma out, touching nothing else.
      sub = applyEdits(sub, modify(sub, [name], undefined, {}));
      continue;
    } else if (existing) {
      const v = existing.children![1]!;
      edit = { offset: v.offset, length: v.length, content: render(value, 2) };
    } else if (container.children?.length) {
      const last = container.children[container.children.length - 1]!;
      edit = {
        offset: last.offset + last.length,
        length: 0,
        content: `,${eol}${unit.repeat(2)}${JSON.stringify(name)}: ${render(value, 2)}`,
      };
    } else {
      edit = {
        offset: 0,
        length: sub.length,
        content: `{${eol}${unit.repeat(2)}${JSON.stringify(name)}: ${render(value, 2)}${eol}${unit}}`,
      };
    }
    sub = applyEdits(sub, [edit]);
  }
  return text.slice(0, offset) + sub + text.slice(offset + length);
}

/** What the view of a file is once `changes` are applied to `snap` (without parsing it again). */
function viewAfter(snap: ConfigView, changes: Record<string, unknown>, written: boolean): ConfigView {
  const names = snap.names.filter((n) => !(n in changes) || changes[n] !== undefined);
  const ours = { ...snap.ours };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete ours[name];
    else {
      ours[name] = JSON.parse(JSON.stringify(value)) as unknown;
      if (!names.includes(name)) names.push(name);
    }
  }
  return { exists: snap.exists || written, names, ours };
}

export function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

/* ----- writing ----- */

/**
 * Our temp and keep files: `.<name>.mcp-tray-<pid>-<8 hex>.tmp|.prev` beside the file. Nobody names a
 * file like this by hand, so a leftover can be told apart from a person's own backup with certainty.
 */
const OURS = /^\.(.+)\.mcp-tray-(\d+)-[0-9a-f]{8}\.(tmp|prev)$/;
const ourSideFile = (target: string, kind: 'tmp' | 'prev') =>
  path.join(path.dirname(target), `.${path.basename(target)}.mcp-tray-${process.pid}-${crypto.randomBytes(4).toString('hex')}.${kind}`);

/**
 * A writer killed between writing its temp file and renaming it (power cut, SIGKILL) leaves a temp
 * file beside the config; the config itself is whole. The next write clears such leftovers, and only
 * ours: files named by this program whose writer is gone (or that are older than any write takes,
 * in case the pid was reused).
 */
export function removeStaleTempFiles(target: string, olderThanMs = 10 * 60_000): void {
  const dir = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = OURS.exec(name);
    if (!m || m[1] !== path.basename(target)) continue;
    const pid = Number(m[2]);
    const file = path.join(dir, name);
    try {
      const old = Date.now() - fs.statSync(file).mtimeMs > olderThanMs;
      if (old || (pid !== process.pid && !pidAlive(pid))) fs.rmSync(file, { force: true });
    } catch {
      /* gone already */
    }
  }
}

/** Writes and fsyncs a temp file beside target with the given mode; returns its path. */
function writeTemp(target: string, data: string | Buffer, mode: number | null): string {
  const tmp = ourSideFile(target, 'tmp');
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
  try {
    if (mode !== null) fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return tmp;
}

/** rename(2), with a few bounded retries where Windows refuses while another program has the file open. */
async function renameInto(tmp: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(tmp, target);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt < 5 && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') && process.platform === 'win32') {
        await sleep(50 * attempt);
        continue;
      }
      throw err;
    }
  }
  try {
    // The rename itself is durable once the folder is synced (not possible, nor needed, on Windows).
    const dirFd = fs.openSync(path.dirname(target), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    /* best effort */
  }
}

const cannotWrite = (target: string, err: unknown) => new HostError(`Cannot write ${target}: ${(err as Error).message}`, 'invalid');

/** Atomic replace, no questions asked (restoring a backup): temp file, fsync, rename. */
export async function writeAtomic(target: string, data: string | Buffer): Promise<void> {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    removeStaleTempFiles(target);
    let mode: number | null = null;
    try {
      mode = fs.statSync(target).mode & 0o7777;
    } catch {
      /* new file */
    }
    const tmp = writeTemp(target, data, mode);
    try {
      await renameInto(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  } catch (err) {
    throw err instanceof HostError ? err : cannotWrite(target, err);
  }
}

export interface UpdateOptions {
  backupDir: string;
  /** Test hook: runs after our read, before our write (as another program might). */
  beforeWrite?: (attempt: number) => void | Promise<void>;
}

export interface UpdateResult {
  changed: boolean;
  backup: string | null;
  /** The file's entries after the update, known without reading it again. */
  view: ConfigView;
}

/** The JSON value of a config's bytes (for merging), or undefined while they do not parse. */
function valueOf(bytes: Buffer, format: ConfigFormat): unknown {
  const errors: ParseError[] = [];
  const tree = parseTree(bytes.toString('utf8'), errors, parseOptions(format.jsonc));
  return tree && errors.length === 0 ? (getNodeValue(tree) as unknown) : undefined;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Carries another program's edit (from `base` to `theirs`) into `text`, a later version of the file
 * that was built without it: each value it added, changed or removed is carried over where `text`
 * still holds the base's value (where `text` changed it too, `text` wins), as jsonc-parser edits
 * that leave the rest of `text` as it is. Our own entries are not touched.
 */
export function carryOver(
  base: unknown,
  theirs: unknown,
  text: string,
  format: ConfigFormat,
  formatting: { insertSpaces: boolean; tabSize: number; eol: string },
): string {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, parseOptions(format.jsonc));
  if (!tree || errors.length) return text;
  const now = getNodeValue(tree) as unknown;
  const edits: Array<[JSONPath, unknown]> = [];
  const walk = (at: JSONPath, b: unknown, t: unknown, n: unknown) => {
    if (isDeepStrictEqual(b, t)) return;
    if (isPlain(b) && isPlain(t) && isPlain(n)) {
      for (const key of new Set([...Object.keys(b), ...Object.keys(t)])) {
        if (at.length === 1 && at[0] === format.containerKey && format.isOurs(key)) continue;
        walk([...at, key], b[key], t[key], n[key]);
      }
    } else if (at.length > 0 && isDeepStrictEqual(n, b)) edits.push([at, t]);
  };
  walk([], base, theirs, now);
  let out = text;
  for (const [at, value] of edits) out = applyEdits(out, modify(out, at, value, { formattingOptions: formatting }));
  return out;
}

/**
 * rename(2) of `source` over `target`, keeping the file it replaces by a hard link taken just before:
 * returns what that file held right after it was replaced, with the link (the caller removes it),
 * or null where there was no file (or no hard links on this file system).
 */
async function swapIn(source: string, target: string, expected: Buffer | null): Promise<{ replaced: Buffer; keep: string } | null> {
  let keep: string | null = null;
  if (expected !== null) {
    keep = ourSideFile(target, 'prev');
    try {
      fs.linkSync(target, keep);
    } catch {
      keep = null;
    }
  }
  await renameInto(source, target);
  return keep ? { replaced: fs.readFileSync(keep), keep } : null;
}

/** A file another program is still writing into: wait (briefly) until it parses, then read it. */
async function settled(keep: string, format: ConfigFormat): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const value = valueOf(fs.readFileSync(keep), format);
    if (value !== undefined) return value;
    await sleep(10);
  }
  return undefined;
}

/**
 * Read → edit our entries → back up → temp file + fsync → check → rename. Another program's edit is
 * never overwritten:
 * - just before the rename the file is compared with what the edit was based on; if it changed, we
 *   read and merge again;
 * - the file being replaced is hard-linked first, so after the rename we can read exactly what we
 *   replaced. If another program wrote into it after our check (in place), and nobody has read our
 *   file yet, its file is put back at once (the same guarded rename) and we start over from it.
 * - Should it already have built on our file (a whole write of its own within microseconds), its
 *   edit is carried into every version we read until one of our writes lands clean.
 * What is left is the gap between link(2) and rename(2): two system calls back to back.
 */
export async function updateConfig(
  file: string,
  format: ConfigFormat,
  changes: Record<string, unknown> | ((snap: ConfigView) => Record<string, unknown>),
  opts: UpdateOptions,
): Promise<UpdateResult> {
  /** Other programs' edits that our writes replaced: carried into every version we base an edit on. */
  const carried: Array<{ base: unknown; theirs: unknown }> = [];
  const withCarried = (disk: ConfigSnapshot): ConfigSnapshot => {
    if (!carried.length || !disk.exists) return disk;
    const text = carried.reduce((t, c) => carryOver(c.base, c.theirs, t, format, disk), disk.text);
    return text === disk.text ? disk : { ...snapshotOf(file, disk.target, Buffer.from(text, 'utf8'), format), mode: disk.mode };
  };
  const carry = async (base: Buffer, keep: string) => {
    const theirs = await settled(keep, format);
    if (theirs !== undefined) carried.push({ base: valueOf(base, format), theirs });
  };
  let disk = await readConfig(file, format);
  /** What we expect to find in the file right before our rename. */
  let expected = disk.bytes;
  /** What we edit: the file as it is, plus any carried edits. */
  let snap = disk;
  let backup: string | null = null;
  let prepared = false;
  let changed = false;
  const reread = async (attempt: number) => {
    // A busy writer: step out of its rhythm before reading again (never between a read and our write).
    if (attempt > 2) await sleep(Math.random() * 2 * Math.min(attempt, 10));
    disk = await readConfig(file, format);
    expected = disk.bytes;
    snap = withCarried(disk);
  };
  // Give up after 20 tries, unless we hold someone's edit that only our next write can bring back:
  // then keep at it (for up to 30 s) rather than leave the file without it.
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; attempt <= 20 || (carried.length > 0 && Date.now() < deadline); attempt++) {
    const wanted = typeof changes === 'function' ? changes(snap) : changes;
    const data = Buffer.from(editConfig(snap, format, wanted), 'utf8');
    const result = (): UpdateResult => {
      const view = viewAfter(snap, wanted, changed);
      seedView(file, format, view);
      return { changed, backup, view };
    };
    if (expected !== null ? data.equals(expected) : Object.values(wanted).every((v) => v === undefined)) return result();
    await opts.beforeWrite?.(attempt);
    const { target } = snap;
    const leftovers: string[] = [];
    try {
      if (!prepared) {
        // Once, before the first write: not between a read and its write, where every millisecond
        // widens the window another program can write in. The backup is of the file as we found it.
        fs.mkdirSync(path.dirname(target), { recursive: true });
        removeStaleTempFiles(target);
        if (expected !== null) backup = makeBackup(snap.file, expected, opts.backupDir);
        prepared = true;
      }
      const tmp = writeTemp(target, data, snap.mode);
      leftovers.push(tmp);
      if (!sameBytes(readBytes(target), expected)) {
        await reread(attempt);
        continue;
      }
      const swap = await swapIn(tmp, target, expected);
      leftovers.pop();
      if (swap) leftovers.push(swap.keep);
      if (!swap || swap.replaced.equals(expected!)) {
        changed = true;
        return result();
      }
      // Someone wrote into the file between our check and our rename.
      if (sameBytes(readBytes(target), data)) {
        // Nobody has written over ours yet: put theirs back at once (guarded the same way) and start
        // over from it.
        const back = await swapIn(swap.keep, target, data);
        leftovers.pop();
        if (back) leftovers.push(back.keep);
        if (back && !back.replaced.equals(data)) await carry(data, back.keep);
      } else {
        await carry(expected!, swap.keep);
        changed = true;
      }
      await reread(attempt);
    } catch (err) {
      throw err instanceof HostError ? err : cannotWrite(target, err);
    } finally {
      for (const f of leftovers) fs.rmSync(f, { force: true });
    }
  }
  throw new HostError(`${file} keeps changing while we write it; close the program that is editing it and try again`, 'conflict');
}

function seedView(file: string, format: ConfigFormat, view: ConfigView) {
  const target = resolveTarget(file);
  viewCache.set(`${target}\0${format.containerKey}`, { stamp: stampOf(target), view });
}

/* ----- backups ----- */

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const KEEP_BACKUPS = 30;

/**
 * Copies the file's bytes to backups/<name>.<time>.bak, keeping the newest 30. Two backups in one
 * millisecond (two windows, or the CLI beside the app) get `_2`, `_3`, … rather than failing.
 */
export function makeBackup(file: string, bytes: Buffer, backupDir: string): string {
  fs.mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const base = `${path.basename(file)}.${stamp()}`;
  let name = '';
  for (let n = 1; ; n++) {
    name = `${base}${n === 1 ? '' : `_${n}`}.bak`;
    try {
      fs.writeFileSync(path.join(backupDir, name), bytes, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw err;
    }
  }
  keepNewest(backupDir, KEEP_BACKUPS, (n) => n.endsWith('.bak'));
  return name;
}

export function listBackups(backupDir: string): Array<{ file: string; at: string; size: number }> {
  let names: string[];
  try {
    names = fs.readdirSync(backupDir).filter((n) => n.endsWith('.bak'));
  } catch {
    return [];
  }
  return names
    .flatMap((file) => {
      try {
        const st = fs.statSync(path.join(backupDir, file));
        return [{ file, at: st.mtime.toISOString(), size: st.size }];
      } catch {
        return []; // removed by another writer's pruning meanwhile
      }
    })
    .sort((a, b) => (a.file < b.file ? 1 : -1));
}

/** Puts a backup's exact bytes back (atomically), after backing up what is there now, so a restore can be undone. */
export async function restoreBackup(file: string, backupDir: string, backupName: string): Promise<string | null> {
  if (backupName !== path.basename(backupName) || !backupName.endsWith('.bak'))
    throw new HostError(`Not a backup name: ${backupName}`, 'invalid');
  const source = path.join(backupDir, backupName);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(source);
  } catch {
    throw new HostError(`No backup called ${backupName}`, 'not_found');
  }
  const target = resolveTarget(file);
  const current = readBytes(target);
  const safety = current ? makeBackup(file, current, backupDir) : null;
  await writeAtomic(target, bytes);
  return safety;
}
