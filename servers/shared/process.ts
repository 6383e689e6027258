import os from 'node:os';

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process as "host:pid": who holds something (an import being written, a catalog being moved). */
export const processTag = (): string => `${os.hostname()}:${process.pid}`;

/**
 * Whether the process a "host:pid" tag names is running: 'elsewhere' when it is another computer's
 * (which cannot be seen from here).
 */
export function taggedProcess(tag: string): 'running' | 'gone' | 'elsewhere' {
  const at = tag.lastIndexOf(':');
  if (tag.slice(0, at) !== os.hostname()) return 'elsewhere';
  const pid = Number(tag.slice(at + 1));
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? 'running' : 'gone';
}
