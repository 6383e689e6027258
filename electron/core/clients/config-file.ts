// A client config file, end to end: read and check it (config-parse.ts), edit only our entries,
// write it without losing anyone's edit (atomic-write.ts, config-merge.ts), back it up and restore.
import fs from 'node:fs';
import path from 'node:path';
import { applyEdits, modify, parseTree, type Edit, type Node } from 'jsonc-parser';
import { HostError } from '../errors.js';
import { fileStamp } from '../../../servers/shared/file-stamp.js';
import { cannotWrite, removeStaleTempFiles, sleep, swapIn, writeAtomic, writeTemp } from './atomic-write.js';
import { carryOver } from './config-merge.js';
import { editToml, editYaml } from './config-doc.js';
import { readRegularFile } from '../regular-file.js';
import { makeBackup, type BackupKind } from './config-backups.js';
import {
  ConfigParseError,
  parseConfigBytes,
  parseOptions,
  valueOf,
  type ConfigFormat,
  type ConfigSnapshot,
  type ConfigView,
} from './config-parse.js';

export * from './config-parse.js';
export { carryOver } from './config-merge.js';
export { removeStaleTempFiles, writeAtomic } from './atomic-write.js';
export { listBackups, makeBackup } from './config-backups.js';

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
    return readRegularFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HostError(`Cannot read ${file}: ${(err as Error).message}`, 'invalid');
  }
}

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
  let stamp = fileStamp(target);
  let bytes = readBytes(target);
  let still = 0;
  const started = Date.now();
  for (let tries = 0; ; tries++) {
    try {
      return snapshotOf(file, target, bytes, format);
    } catch (err) {
      if (!(err instanceof ConfigParseError) || tries >= 20) throw err;
      await sleep(Math.min(50, 5 * 2 ** tries));
      const again = { stamp: fileStamp(target), bytes: readBytes(target) };
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

/**
 * The entries of a config, for telling its state: parsed once per version of the file (by inode,
 * size and times), so showing five clients' states after a click does not parse a 60 MB file again.
 */
export function inspectConfig(file: string, format: ConfigFormat): ConfigView {
  const target = resolveTarget(file);
  const key = `${target}\0${format.containerKey}`;
  const stamp = fileStamp(target);
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
  if (stamp === fileStamp(target)) viewCache.set(key, { stamp, view });
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
  if (format.syntax === 'yaml' || format.syntax === 'toml') {
    const edit = format.syntax === 'yaml' ? editYaml : editToml;
    const doc = snap.doc ?? { names: [], ours: {}, ranges: new Map(), insertAt: null, indent: '  ', eol: '\n' as const };
    return edit(snap.exists ? snap.text : '', doc, format, snap.exists ? changes : present);
  }
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

export interface UpdateOptions {
  backupDir: string;
  /** What the change is (the backup is named after it); 'repair', an automatic repair's, is kept apart so repairs never push the person's restore points out. */
  backupKind?: BackupKind;
  /** Test hook: runs after our read, before our write (as another program might). */
  beforeWrite?: (attempt: number) => void | Promise<void>;
}

export interface UpdateResult {
  changed: boolean;
  backup: string | null;
  /** The file's entries after the update, known without reading it again. */
  view: ConfigView;
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
  /** A version of ours replaced someone's edit, if only for a moment (see below). */
  let exposed = false;
  let lingers = 0;
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
        if (expected !== null) backup = makeBackup(snap.file, expected, opts.backupDir, opts.backupKind);
        prepared = true;
      }
      // Contended (another program is rewriting the file right now): every millisecond between our
      // read and our rename is a chance for it to write first, so the temp file is synced after the
      // rename instead of before (the backup taken before the first write covers a crash in between).
      const contended = attempt > 1;
      const tmp = writeTemp(target, data, snap.mode, !contended);
      leftovers.push(tmp);
      if (!sameBytes(readBytes(target), expected)) {
        // It just wrote: the longest quiet moment it leaves is now, so read again at once.
        await reread(0);
        continue;
      }
      const swap = await swapIn(tmp, target, expected, contended);
      leftovers.pop();
      if (swap) leftovers.push(swap.keep);
      if (!swap || swap.replaced.equals(expected!)) {
        changed = true;
        // When a version without someone's edit was in place for a moment, the other program may have
        // read it and may still write that back over ours. Look again shortly: while what we carry
        // is missing, go on (within the same bounds).
        if (exposed && lingers < 5) {
          await sleep(25);
          const now = await readConfig(file, format);
          if (withCarried(now).text !== now.text) {
            lingers++;
            disk = now;
            expected = now.bytes;
            snap = withCarried(now);
            continue;
          }
        }
        return result();
      }
      exposed = true;
      // Someone wrote into the file between our check and our rename.
      if (sameBytes(readBytes(target), data)) {
        // Nobody has written over ours yet: put theirs back at once (guarded the same way) and start
        // over from it. Their edit is carried as well: in the moment ours was in place, the other
        // program may have read it and may write that (without its own edit) over what we put back.
        const theirs = valueOf(swap.replaced, format);
        const back = await swapIn(swap.keep, target, data);
        leftovers.pop();
        if (back) leftovers.push(back.keep);
        if (theirs !== undefined) carried.push({ base: valueOf(expected!, format), theirs });
        // Caught between its truncate and its write: what it writes lands in the file we put back.
        else await carry(expected!, target);
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
  viewCache.set(`${target}\0${format.containerKey}`, { stamp: fileStamp(target), view });
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
  const safety = current ? makeBackup(file, current, backupDir, 'restore') : null;
  await writeAtomic(target, bytes);
  return safety;
}
