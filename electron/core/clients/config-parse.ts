// Reading a client config: one visitor pass over the text that checks everything we promise to
// check (syntax, depth, duplicate keys, UTF-8, object shapes) and finds our entries.
import { isUtf8 } from 'node:buffer';
import { getNodeValue, parseTree, printParseErrorCode, visit, type ParseError, type ParseOptions } from 'jsonc-parser';
import { HostError } from '../errors.js';
import { docValue, parseTomlConfig, parseYaml, type DocParse } from './config-doc.js';

/** A config file we refuse to touch because it does not parse; says where it breaks. */
export class ConfigParseError extends HostError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    readonly syntax: 'JSON' | 'YAML' | 'TOML' = 'JSON',
  ) {
    super(
      `${file} is not valid ${syntax} at line ${line}, column ${column}: ${reason}. It was left exactly as it is; fix it (or restore a backup) and try again.`,
      'parse_error',
    );
  }
}

/** How one client's config file is laid out and read. */
export interface ConfigFormat {
  /** The file's language: JSON (with comments when `jsonc`), YAML or TOML (config-doc.ts). */
  syntax?: 'json' | 'yaml' | 'toml';
  /** The servers are a list of mappings, each named by this key (Continue's mcpServers), not a mapping by name. */
  list?: { nameKey: string };
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
  /** A YAML or TOML file: where our entries are (config-doc.ts). */
  doc?: DocParse;
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

export const parseOptions = (jsonc: boolean): ParseOptions => ({
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
  /** Keys seen so far and their lines, where duplicates matter (the levels we read or edit). */
  keys: Map<string, number> | null;
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
  // A value of the wrong kind is reported once the whole file is read: the same key may come again
  // further down, and then that is what the person has to fix (they may be looking at the second one).
  let wrongKind: ConfigParseError | null = null;
  const later = (line: number, ch: number, reason: string): 'other' => {
    wrongKind ??= new ConfigParseError(file, line + 1, ch + 1, reason);
    return 'other';
  };

  const valueStarts = (line: number, ch: number, kind: string): Frame['role'] => {
    const parent = stack.at(-1);
    if (!parent) {
      found.rootKind = kind;
      return 'root';
    }
    if (parent.role === 'root' && parent.key === format.containerKey) {
      if (kind !== 'object') return later(parent.keyLine, parent.keyCh, `"${format.containerKey}" must be an object ({ … }) of servers`);
      return 'container';
    }
    if (parent.role === 'container') {
      if (kind !== 'object')
        return later(
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
    stack.push({ role: checked ? role : 'other', keys: checked ? new Map() : null, key: null, keyLine: line, keyCh: ch, start: offset });
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
            const first = frame.keys.get(property);
            if (first !== undefined)
              fail(
                line,
                ch,
                `the key "${property}" appears twice in the same object (${first === line ? `both on line ${line + 1}` : `on lines ${first + 1} and ${line + 1}`}); apps disagree on which one counts, so fix it by hand first`,
              );
            frame.keys.set(property, line);
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
        onError: (error, _offset, _length, line, ch) => {
          if (wrongKind) throw wrongKind;
          fail(line, ch, ERROR_WORDS[printParseErrorCode(error)] ?? printParseErrorCode(error));
        },
      },
      parseOptions(format.jsonc),
    );
  } catch (err) {
    if (err instanceof RangeError) throw new ConfigParseError(file, 1, 1, 'the file nests too deeply to read');
    throw err;
  }
  if (wrongKind) throw wrongKind;
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
export function parseConfigBytes(file: string, bytes: Buffer, format: ConfigFormat): Omit<ConfigSnapshot, 'target' | 'bytes' | 'mode'> {
  const syntax = !format.syntax || format.syntax === 'json' ? 'JSON' : format.syntax === 'yaml' ? 'YAML' : 'TOML';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ConfigParseError(
      file,
      1,
      1,
      `the file starts with a byte-order mark (BOM), which ${syntax === 'JSON' ? 'JSON does not allow' : 'MCP Tray does not edit'}; save it as UTF-8 without BOM`,
      syntax,
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
      syntax,
    );
  }
  const text = bytes.toString('utf8');
  if (syntax === 'JSON') return parseConfigText(file, text, format);
  parseStats.scans++;
  const doc = format.syntax === 'yaml' ? parseYaml(file, text, format) : parseTomlConfig(file, text, format);
  return {
    file,
    exists: true,
    text,
    names: doc.names,
    ours: doc.ours,
    container: null,
    root: null,
    rootLastEnd: null,
    eol: doc.eol,
    insertSpaces: true,
    tabSize: 2,
    doc,
  };
}

/** The JSON value of a config's bytes (for merging), or undefined while they do not parse. */
export function valueOf(bytes: Buffer, format: ConfigFormat): unknown {
  if (format.syntax === 'yaml' || format.syntax === 'toml') return docValue(bytes.toString('utf8'), format);
  const errors: ParseError[] = [];
  const tree = parseTree(bytes.toString('utf8'), errors, parseOptions(format.jsonc));
  return tree && errors.length === 0 ? (getNodeValue(tree) as unknown) : undefined;
}
