import fs from 'node:fs';

/**
 * A file's version, cheaply (one stat): inode, size and times in nanoseconds. Changes when the file
 * is rewritten in place or replaced by a rename; 'missing' when there is none.
 */
export function fileStamp(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'missing';
  }
}
