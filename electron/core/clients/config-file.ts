import fs from 'node:fs';
import path from 'node:path';
import { applyEdits, modify, parseTree, getNodeValue, printParseErrorCode, type Edit, type Node, type ParseError } from 'jsonc-parser';
import writeFileAtomic from 'write-file-atomic';
import * as z from 'zod';
import { HostError } from '../errors.js';

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

export interface ConfigSnapshot {
  /** The path as given (may be a symlink). */
  file: string;
  /** Where writes go: the symlink's target, so the link itself is kept. */
  target: string;
  exists: boolean;
  bytes: Buffer | null;
  text: string;
  root: Record<string, unknown>;
  eol: '\n' | '\r\n';
  insertSpaces: boolean;
  tabSize: number;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
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

const ContainerSchema = z.record(z.string(), z.unknown());

/**
 * Reads and checks a client config. Anything that is not a JSON object whose container key
 * (mcpServers / servers) is an object stops here with a ConfigParseError: we never write a file
 * we could not fully understand.
 */
export function readConfig(file: string, containerKey: string): ConfigSnapshot {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    /* missing file, or a dangling link: written where the link points, created below */
    try {
      const link = fs.readlinkSync(file);
      target = path.resolve(path.dirname(file), link);
    } catch {
      target = file;
    }
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { file, target, exists: false, bytes: null, text: '', root: {}, eol: '\n', insertSpaces: true, tabSize: 2 };
    }
    throw new HostError(`Cannot read ${file}: ${(err as Error).message}`, 'invalid');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ConfigParseError(
      file,
      1,
      1,
      'the file starts with a byte-order mark (BOM), which JSON does not allow; save it as UTF-8 without BOM',
    );
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new ConfigParseError(file, 1, 1, 'the file is empty');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const { line, column } = lineCol(text, first?.offset ?? 0);
    const code = first ? printParseErrorCode(first.error) : 'InvalidSymbol';
    throw new ConfigParseError(file, line, column, ERROR_WORDS[code] ?? code);
  }
  const root = getNodeValue(tree) as unknown;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new ConfigParseError(
      file,
      1,
      1,
      `the file must hold a JSON object ({ … }) but holds ${Array.isArray(root) ? 'an array' : root === null ? 'null' : `a ${typeof root}`}`,
    );
  }
  const container = (root as Record<string, unknown>)[containerKey];
  if (container !== undefined && (Array.isArray(container) || !ContainerSchema.safeParse(container).success)) {
    const node = tree.children?.find((c) => c.children?.[0]?.value === containerKey);
    const { line, column } = lineCol(text, node?.offset ?? 0);
    throw new ConfigParseError(file, line, column, `"${containerKey}" must be an object ({ … }) of servers`);
  }
  const indentMatch = /\n([ \t]+)\S/.exec(text);
  const indent = indentMatch?.[1] ?? '  ';
  return {
    file,
    target,
    exists: true,
    bytes,
    text,
    root: root as Record<string, unknown>,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
  };
}

/**
 * Changes only the named entries of the container, as minimal text edits: every other byte of the
 * file (other servers, other keys, indentation, line endings, key order) stays as it was. Our own
 * entries are rendered in the file's indentation and line endings. `undefined` removes an entry.
 */
export function editConfig(snap: ConfigSnapshot, containerKey: string, changes: Record<string, unknown>): string {
  const present = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (!snap.exists) return `${JSON.stringify({ [containerKey]: present }, null, 2)}\n`;
  const unit = snap.insertSpaces ? ' '.repeat(snap.tabSize) : '\t';
  const eol = snap.eol;
  const render = (value: unknown, depth: number) =>
    JSON.stringify(value, null, unit)
      .split('\n')
      .join(eol + unit.repeat(depth));
  const prop = (obj: Node | undefined, key: string) => obj?.children?.find((c) => c.type === 'property' && c.children?.[0]?.value === key);
  let text = snap.text;
  for (const [name, value] of Object.entries(changes)) {
    const root = parseTree(text)!;
    const containerProp = prop(root, containerKey);
    const container = containerProp?.children?.[1];
    const existing = prop(container, name);
    let edit: Edit;
    if (value === undefined) {
      if (!existing) continue;
      // Removal: jsonc-parser takes the property and its comma out, touching nothing else.
      text = applyEdits(text, modify(text, [containerKey, name], undefined, {}));
      continue;
    } else if (existing) {
      const v = existing.children![1]!;
      edit = { offset: v.offset, length: v.length, content: render(value, 2) };
    } else if (container?.children?.length) {
      const last = container.children[container.children.length - 1]!;
      edit = {
        offset: last.offset + last.length,
        length: 0,
        content: `,${eol}${unit.repeat(2)}${JSON.stringify(name)}: ${render(value, 2)}`,
      };
    } else if (container) {
      edit = {
        offset: container.offset,
        length: container.length,
        content: `{${eol}${unit.repeat(2)}${JSON.stringify(name)}: ${render(value, 2)}${eol}${unit}}`,
      };
    } else if (root.children?.length) {
      const last = root.children[root.children.length - 1]!;
      edit = {
        offset: last.offset + last.length,
        length: 0,
        content: `,${eol}${unit}${JSON.stringify(containerKey)}: ${render({ [name]: value }, 1)}`,
      };
    } else {
      edit = {
        offset: root.offset,
        length: root.length,
        content: `{${eol}${unit}${JSON.stringify(containerKey)}: ${render({ [name]: value }, 1)}${eol}}`,
      };
    }
    text = applyEdits(text, [edit]);
  }
  return text;
}

export function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

function readBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/**
 * Atomic replace: a temp file in the same folder, fsync, rename (write-file-atomic), keeping the
 * file's mode. Windows can refuse a rename while another program has the file open (EPERM/EBUSY):
 * a few bounded retries.
 */
export async function writeAtomic(target: string, text: string): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  removeStaleTempFiles(target);
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFileAtomic(target, text, { encoding: 'utf8', fsync: true });
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt < 5 && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') && process.platform === 'win32') {
        await new Promise((r) => setTimeout(r, 50 * attempt));
        continue;
      }
      throw new HostError(`Cannot write ${target}: ${(err as Error).message}`, 'invalid');
    }
  }
}

/**
 * A writer killed between writing its temp file and renaming it (power cut, SIGKILL) leaves
 * `<name>.<number>` beside the file; the file itself is whole. The next write clears such leftovers
 * once they are old enough that no live writer can own them.
 */
export function removeStaleTempFiles(target: string, olderThanMs = 60_000): void {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    const file = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > olderThanMs) fs.rmSync(file, { force: true });
    } catch {
      /* gone already */
    }
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
  snapshot: ConfigSnapshot;
}

/**
 * Read → edit our entries → check nobody changed the file meanwhile → back up → atomic write.
 * If the file changed between our read and our write, read and merge again: another program's
 * edit is never overwritten.
 */
export async function updateConfig(
  file: string,
  containerKey: string,
  changes: Record<string, unknown>,
  opts: UpdateOptions,
): Promise<UpdateResult> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const snap = readConfig(file, containerKey);
    const text = editConfig(snap, containerKey, changes);
    if (snap.exists && text === snap.text) return { changed: false, backup: null, snapshot: snap };
    await opts.beforeWrite?.(attempt);
    if (!sameBytes(readBytes(snap.target), snap.bytes)) continue;
    const backup = snap.exists ? makeBackup(snap, opts.backupDir) : null;
    await writeAtomic(snap.target, text);
    return { changed: true, backup, snapshot: readConfig(file, containerKey) };
  }
  throw new HostError(`${file} keeps changing while we write it; close the program that is editing it and try again`, 'conflict');
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const KEEP_BACKUPS = 30;

/** Copies the file's current bytes to backups/<name>.<time>.bak, keeping the newest 30. */
export function makeBackup(snap: ConfigSnapshot, backupDir: string): string {
  fs.mkdirSync(backupDir, { recursive: true });
  const name = `${path.basename(snap.file)}.${stamp()}.bak`;
  const file = path.join(backupDir, name);
  fs.writeFileSync(file, snap.bytes!, { flag: 'wx' });
  const all = listBackups(backupDir);
  for (const old of all.slice(KEEP_BACKUPS)) fs.rmSync(path.join(backupDir, old.file), { force: true });
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
    .map((file) => {
      const st = fs.statSync(path.join(backupDir, file));
      return { file, at: st.mtime.toISOString(), size: st.size };
    })
    .sort((a, b) => (a.file < b.file ? 1 : -1));
}

/** Puts a backup back (atomically), after backing up what is there now, so a restore can be undone. */
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
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    /* the file is gone: the restore recreates it */
  }
  const current = readBytes(target);
  const safety = current ? makeBackup({ file, bytes: current } as ConfigSnapshot, backupDir) : null;
  await writeAtomic(target, bytes.toString('utf8'));
  return safety;
}
