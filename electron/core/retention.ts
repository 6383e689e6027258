import fs from 'node:fs';
import path from 'node:path';

/**
 * Keeps the newest `keep` entries of a folder whose names sort by time (ISO timestamps), removing
 * the older ones: backups of client configs and of the databases both rotate this way.
 */
export function keepNewest(dir: string, keep: number, select: (name: string) => boolean = () => true): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(select).sort();
  } catch {
    return;
  }
  for (const old of names.slice(0, Math.max(0, names.length - keep))) fs.rmSync(path.join(dir, old), { recursive: true, force: true });
}
