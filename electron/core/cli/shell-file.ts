/**
 * Where a running headless shell (`mcp-tray serve`) can be found again: its signed-in address in the
 * data folder (owner-only, like the catalog's secret), so `mcp-tray open` can give a person a fresh
 * way back in after they closed the tab. Removed when the shell stops.
 */
import fs from 'node:fs';
import { dataFiles } from '../../../servers/shared/datadir.js';
import { pidAlive } from '../../../servers/shared/process.js';
import { writeAtomic } from '../clients/atomic-write.js';
import { HostError } from '../errors.js';

export interface ShellRecord {
  pid: number;
  url: string;
  startedAt: string;
}

export async function saveShell(dataDir: string, url: string): Promise<void> {
  const file = dataFiles(dataDir).shell;
  await writeAtomic(file, `${JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() } satisfies ShellRecord)}\n`);
  fs.chmodSync(file, 0o600);
}

/** Removes the record if it is this process's (another shell may have started since). */
export function forgetShell(dataDir: string): void {
  const file = dataFiles(dataDir).shell;
  try {
    if ((JSON.parse(fs.readFileSync(file, 'utf8')) as ShellRecord).pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    /* gone already, or not readable: nothing of ours to remove */
  }
}

/**
 * The running shell's address for this data folder, checked: its process is alive and the address
 * answers with the token (within 3 s). Otherwise a plain error saying how to start one.
 */
export async function runningShell(dataDir: string): Promise<ShellRecord> {
  const file = dataFiles(dataDir).shell;
  const notRunning = (why: string) =>
    new HostError(`MCP Tray's headless shell is not running for ${dataDir} (${why}). Start it with: mcp-tray serve`, 'not_found');
  let rec: ShellRecord;
  try {
    rec = JSON.parse(fs.readFileSync(file, 'utf8')) as ShellRecord;
  } catch (err) {
    throw notRunning((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it has not been started' : `${file} cannot be read`);
  }
  if (typeof rec.pid !== 'number' || typeof rec.url !== 'string' || !pidAlive(rec.pid)) {
    fs.rmSync(file, { force: true });
    throw notRunning('it stopped');
  }
  const u = new URL(rec.url);
  const token = u.searchParams.get('token') ?? '';
  try {
    const res = await fetch(new URL('./api/getState', `${u.origin}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    throw notRunning(`${u.origin} did not answer within 3 s: ${(err as Error).message}`);
  }
  return rec;
}
