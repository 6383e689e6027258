// Backups of a client config: one before every change we make, the newest 30 kept (an automatic
// repair's few apart), named by when they were made.
import fs from 'node:fs';
import path from 'node:path';
import { keepNewest } from '../retention.js';
import { BACKUP_KINDS, type BackupKind } from '../api/clients.js';

export type { BackupKind };

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const KEEP_BACKUPS = 30;
/** Automatic repairs keep their own few: a program fighting over the file cannot evict the person's 30. */
const KEEP_REPAIR_BACKUPS = 5;
const REPAIR_SUFFIX = '.repair.bak';
const isRepairBackup = (n: string) => n.endsWith(REPAIR_SUFFIX);

/** What made a backup (it is of the file just before that): named in the file, so the list can say it. */
const KIND_IN_NAME = new RegExp(`\\.(${BACKUP_KINDS.join('|')})\\.bak$`);
export const backupKind = (name: string): BackupKind | null => (KIND_IN_NAME.exec(name)?.[1] as BackupKind | undefined) ?? null;

/**
 * Copies the file's bytes to backups/<name>.<time>.<kind>.bak (`.repair.bak` for an automatic repair's),
 * keeping the newest 30 (and 5 of repairs', counted apart). Two backups in one millisecond (two
 * windows, or the CLI beside the app) get `_2`, `_3`, … rather than failing.
 */
export function makeBackup(file: string, bytes: Buffer, backupDir: string, kind?: BackupKind): string {
  fs.mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const base = `${path.basename(file)}.${stamp()}`;
  let name = '';
  for (let n = 1; ; n++) {
    name = `${base}${n === 1 ? '' : `_${n}`}${kind ? `.${kind}.bak` : '.bak'}`;
    try {
      fs.writeFileSync(path.join(backupDir, name), bytes, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw err;
    }
  }
  if (kind === 'repair') keepNewest(backupDir, KEEP_REPAIR_BACKUPS, isRepairBackup);
  else keepNewest(backupDir, KEEP_BACKUPS, (n) => n.endsWith('.bak') && !isRepairBackup(n));
  return name;
}

export function listBackups(backupDir: string): Array<{ file: string; at: string; size: number; kind: BackupKind | null }> {
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
        return [{ file, at: st.mtime.toISOString(), size: st.size, kind: backupKind(file) }];
      } catch {
        return []; // removed by another writer's pruning meanwhile
      }
    })
    .sort((a, b) => (a.file < b.file ? 1 : -1));
}
