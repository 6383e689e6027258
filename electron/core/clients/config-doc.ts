// Client configs in YAML (Continue, Goose) and TOML (Codex): read and checked with a parser that
// says where a file breaks, edited as text splices of our own entries alone — every other byte
// (comments, blank lines, quoting, flow collections, other servers) stays as it was, so connect
// then disconnect gives the file back byte for byte. (Re-serialising a document would not: the
// `yaml` package's Document keeps comments but respaces them and flow collections.)
import {
  isMap,
  isScalar,
  isSeq,
  parse as parseYamlValue,
  parseDocument,
  stringify as yamlStringify,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { ConfigParseError, type ConfigFormat } from './config-parse.js';

/** Where our entries are in the text, and what the file holds, as config-parse.ts gives it for JSON. */
export interface DocParse {
  names: string[];
  ours: Record<string, unknown>;
  /** The text ranges of our entries (whole lines), by name. */
  ranges: Map<string, { start: number; end: number }>;
  /** Where a new entry goes (the start of a line), or null: the container is missing (appended at the end). */
  insertAt: number | null;
  /** The indentation of the container's entries (YAML). */
  indent: string;
  eol: '\n' | '\r\n';
}

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
/** The offset just past the line that holds `at` (after its line break), or the end of the text. */
const lineEnd = (text: string, at: number) => {
  const n = text.indexOf('\n', at);
  return n === -1 ? text.length : n + 1;
};
const lineCol = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
};
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/* ----- YAML ----- */

export function parseYaml(file: string, text: string, format: ConfigFormat): DocParse {
  const fail = (offset: number, reason: string): never => {
    const { line, column } = lineCol(text, offset);
    throw new ConfigParseError(file, line, column, reason, 'YAML');
  };
  // An empty file is a valid, empty YAML document (unlike JSON): taken as an empty mapping below.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    const [at] = problem.pos;
    fail(
      at,
      problem.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping; fix it by hand first' : problem.message.split('\n')[0]!,
    );
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const names: string[] = [];
  const ours: Record<string, unknown> = {};
  const ranges = new Map<string, { start: number; end: number }>();
  // Only comments (or nothing): an empty mapping.
  if (doc.contents === null) return { names, ours, ranges, insertAt: null, indent: '  ', eol };
  if (!isMap(doc.contents)) fail(0, 'the file must hold a mapping (key: value lines)');
  const root = doc.contents as unknown as { items: Pair[] };
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === format.containerKey);
  const container = pair?.value as YamlNode | null | undefined;
  if (!pair) return { names, ours, ranges, insertAt: null, indent: '  ', eol };
  if (container === null || container === undefined || (isScalar(container) && container.value === null)) {
    // "key:" with nothing after it: the entries go on the lines after the key.
    const keyStart = (pair.key as YamlNode).range![0];
    const keyIndent = keyStart - lineStart(text, keyStart);
    return { names, ours, ranges, insertAt: lineEnd(text, keyStart), indent: ' '.repeat(keyIndent + 2), eol };
  }
  const listed = format.list !== undefined;
  if (listed ? !isSeq(container) : !isMap(container))
    fail(
      container.range![0],
      `"${format.containerKey}" must be ${listed ? 'a list (- lines)' : 'a mapping (key: value lines)'} of servers`,
    );
  const block = !(container as { flow?: boolean }).flow;
  const items = (container as { items: unknown[] }).items;
  if (!block && items.length > 0)
    fail(
      container.range![0],
      `"${format.containerKey}" is written on one line ({ … } or [ … ]); MCP Tray only edits the usual one-entry-per-line form, so write it that way first`,
    );
  let last = -1;
  let indent = '  ';
  for (const [i, item] of items.entries()) {
    let name: string | undefined;
    let value: YamlNode | null;
    let start: number;
    if (listed) {
      value = item as YamlNode;
      if (!isMap(value)) fail(value.range![0], `each item of "${format.containerKey}" must be a mapping with a name`);
      const n = (value as unknown as { get: (k: string) => unknown }).get(format.list!.nameKey);
      name = typeof n === 'string' ? n : undefined;
      // The item's "- " is on the line where the item starts.
      start = lineStart(text, value.range![0]);
    } else {
      const p = item as Pair;
      name = isScalar(p.key) ? String(p.key.value) : undefined;
      value = p.value as YamlNode | null;
      start = lineStart(text, (p.key as YamlNode).range![0]);
      if (value !== null && !isMap(value))
        fail(value.range![0], `the entry "${name}" in "${format.containerKey}" must be a mapping, as its app expects`);
    }
    if (i === 0) indent = text.slice(start, start + (text.slice(start).length - text.slice(start).trimStart().length));
    const end = lineEnd(text, Math.max(start, (value?.range?.[1] ?? start) - 1));
    last = end;
    if (name === undefined) continue;
    names.push(name);
    if (format.isOurs(name)) {
      const json = value === null ? null : (value.toJSON() as unknown);
      // A list item carries its name: the entry is the rest.
      if (listed && isPlain(json)) delete json[format.list!.nameKey];
      ours[name] = json;
      ranges.set(name, { start, end });
    }
  }
  // An empty container written as {} or []: entries go on the lines after it.
  const keyStart = (pair.key as YamlNode).range![0];
  const insertAt = items.length === 0 ? lineEnd(text, container.range![0]) : last;
  return { names, ours, ranges, insertAt, indent: items.length === 0 ? ' '.repeat(keyStart - lineStart(text, keyStart) + 2) : indent, eol };
}

/** A YAML or TOML config's value (for merging another program's edit), or undefined while it does not parse. */
export function docValue(text: string, format: ConfigFormat): unknown {
  try {
    return format.syntax === 'yaml' ? (parseYamlValue(text) as unknown) : parseToml(text);
  } catch {
    return undefined;
  }
}

export function editYaml(text: string, parsed: DocParse, format: ConfigFormat, changes: Record<string, unknown>): string {
  const { eol } = parsed;
  const render = (name: string, value: unknown, indent: string) => {
    const body = format.list
      ? yamlStringify([isPlain(value) ? { [format.list.nameKey]: name, ...value } : value], { indent: 2, lineWidth: 0 })
      : yamlStringify({ [name]: value }, { indent: 2, lineWidth: 0 });
    return body
      .trimEnd()
      .split('\n')
      .map((l) => indent + l)
      .join(eol)
      .concat(eol);
  };
  // Removals and replacements first, from the end of the file back (earlier offsets stay valid).
  const cuts = Object.keys(changes)
    .filter((n) => parsed.ranges.has(n))
    .map((n) => ({ name: n, ...parsed.ranges.get(n)! }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  let insertAt = parsed.insertAt;
  const empty = parsed.names.length === 0 && parsed.ranges.size === 0;
  for (const c of cuts) {
    const value = changes[c.name];
    // The last entry of a file whose last line has no line break stays without one.
    const last = c.end >= out.length && !out.endsWith('\n');
    let content = value === undefined ? '' : render(c.name, value, parsed.indent);
    if (last && content.endsWith(eol)) content = content.slice(0, -eol.length);
    let start = c.start;
    // Removing that last entry: the line break before it was written with it.
    if (last && content === '' && out.slice(0, start).endsWith(eol)) start -= eol.length;
    out = out.slice(0, start) + content + out.slice(c.end);
    if (insertAt !== null && insertAt >= c.end) insertAt += content.length - (c.end - start);
  }
  const added = Object.entries(changes).filter(([n, v]) => v !== undefined && !parsed.ranges.has(n));
  if (added.length === 0) return out;
  const lines = added.map(([n, v]) => render(n, v, parsed.indent)).join('');
  if (insertAt === null) {
    // No container yet: "key:" and the entries at the end of the file.
    const sep = out === '' || out.endsWith('\n') ? '' : eol;
    return `${out}${sep}${format.containerKey}:${eol}${lines}`;
  }
  if (empty && insertAt > 0) {
    // An empty {} or [] after the key: replaced by the entries on their own lines.
    const keyLine = lineStart(out, insertAt - 1);
    const line = out.slice(keyLine, insertAt);
    const bare = line.replace(/:[ \t]*(\{[ \t]*\}|\[[ \t]*\])[ \t]*(#.*)?(\r?\n)?$/, ':$2$3');
    if (bare !== line) return out.slice(0, keyLine) + bare + lines + out.slice(insertAt);
  }
  // At the end of a file whose last line has no line break: the break goes before our lines, none after.
  const atBareEnd = insertAt === out.length && out !== '' && !out.endsWith('\n');
  return atBareEnd ? out + eol + lines.slice(0, -eol.length) : out.slice(0, insertAt) + lines + out.slice(insertAt);
}

/* ----- TOML ----- */

/** A TOML key as written: bare when it can be. */
const tomlKey = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));
/** A string as a TOML basic string: JSON's escapes are TOML's (\", \\, \n, \uXXXX). */
const tomlValue = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  if (isPlain(v))
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`)
      .join(', ')} }`;
  throw new Error(`cannot write ${typeof v} in TOML`);
};

/** A table header line: its dotted key's parts, or null. */
function headerKeys(line: string): string[] | null {
  const m = /^\s*\[(?!\[)\s*(.+?)\s*\]\s*(#.*)?$/.exec(line);
  if (!m) return /^\s*\[\[/.test(line) ? ['[['] : null;
  return [...m[1]!.matchAll(/\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)/g)].map((x) => {
    const k = x[1]!;
    return k.startsWith('"') ? (JSON.parse(k) as string) : k.startsWith("'") ? k.slice(1, -1) : k;
  });
}

export function parseTomlConfig(file: string, text: string, format: ConfigFormat): DocParse {
  if (text.trim() === '') {
    // An empty TOML file is a valid, empty document (Codex creates none until asked).
    return { names: [], ours: {}, ranges: new Map(), insertAt: null, indent: '', eol: '\n' };
  }
  let value: Record<string, unknown>;
  try {
    value = parseToml(text) as Record<string, unknown>;
  } catch (err: unknown) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new ConfigParseError(
        file,
        err.line,
        err.column,
        /already|overwrite|redefin/i.test(reason) ? `${reason}; fix it by hand first` : reason,
        'TOML',
      );
    }
    throw err;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const container = value[format.containerKey];
  if (container !== undefined && !isPlain(container))
    throw new ConfigParseError(file, 1, 1, `"${format.containerKey}" must be a table of servers`, 'TOML');
  const names = Object.keys(container ?? {});
  const ours: Record<string, unknown> = {};
  for (const n of names) {
    if (!isPlain((container as Record<string, unknown>)[n]))
      throw new ConfigParseError(file, 1, 1, `the entry "${n}" in "${format.containerKey}" must be a table, as its app expects`, 'TOML');
    if (format.isOurs(n)) ours[n] = (container as Record<string, unknown>)[n];
  }
  // Our tables, as line ranges: from "[mcp_servers.<ours>]" to the next table header.
  const ranges = new Map<string, { start: number; end: number }>();
  let open: { name: string; start: number } | null = null;
  let offset = 0;
  const closeAt = (at: number) => {
    if (!open) return;
    // Blank and comment lines before the next table belong to what follows, not to our table.
    for (;;) {
      const prev = text.lastIndexOf('\n', at - 2) + 1;
      if (prev <= open.start || !/^\s*(#.*)?\r?\n?$/.test(text.slice(prev, at))) break;
      at = prev;
    }
    const r = ranges.get(open.name);
    ranges.set(open.name, r ? { start: r.start, end: at } : { start: open.start, end: at });
    open = null;
  };
  for (const line of text.split('\n')) {
    const keys = headerKeys(line.replace(/\r$/, ''));
    if (keys) {
      const mine = keys[0] === format.containerKey && keys.length >= 2 && format.isOurs(keys[1]!) ? keys[1]! : null;
      if (!(open && mine === open.name)) closeAt(offset);
      if (mine && !open) open = { name: mine, start: offset };
    }
    offset += line.length + 1;
  }
  closeAt(text.length);
  for (const n of Object.keys(ours)) {
    if (!ranges.has(n))
      throw new ConfigParseError(
        file,
        1,
        1,
        `the entry "${n}" is written inside another table or as dotted keys; MCP Tray only edits its own [${format.containerKey}.${n}] tables, so remove it by hand`,
        'TOML',
      );
  }
  return { names, ours, ranges, insertAt: null, indent: '', eol };
}

export function editToml(text: string, parsed: DocParse, format: ConfigFormat, changes: Record<string, unknown>): string {
  const { eol } = parsed;
  const render = (name: string, value: Record<string, unknown>) =>
    [`[${format.containerKey}.${tomlKey(name)}]`, ...Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)].join(eol) +
    eol;
  let out = text;
  // A file whose last line has no line break keeps it that way (so connect then disconnect gives it back as it was).
  const bareEnd = text !== '' && !text.endsWith('\n');
  // Our tables go: each with the one blank line before it that we put there.
  const cuts = [...parsed.ranges.entries()].filter(([n]) => n in changes).sort((a, b) => b[1].start - a[1].start);
  for (const [, r] of cuts) {
    let start = r.start;
    const before = out.slice(0, start);
    if (before.endsWith(`${eol}${eol}`)) start -= eol.length;
    else if (before === eol) start = 0;
    const last = r.end >= out.length && !out.endsWith('\n');
    out = out.slice(0, start) + out.slice(r.end);
    // Ours was the last table, written without a final line break: the break before it was ours too.
    if (last && out.endsWith(eol)) out = out.slice(0, -eol.length);
  }
  const added = Object.entries(changes).filter((e): e is [string, Record<string, unknown>] => isPlain(e[1]));
  for (const [name, value] of added) {
    if (out !== '' && !out.endsWith('\n')) out += eol;
    out += `${out === '' ? '' : eol}${render(name, value)}`;
  }
  return added.length && bareEnd && out.endsWith(eol) ? out.slice(0, -eol.length) : out;
}
