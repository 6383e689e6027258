/** What the CLI's commands share: its errors, and a host opened for one command (only what the command needs). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { resolveDataDir } from '../../../servers/shared/datadir.js';
import { CLIENT_IDS, type ClientId } from '../api/common.js';
import { Host } from '../host.js';
import { findDistDir, makeRuntime } from '../runtime.js';

export class CliError extends Error {}
/** Input the command cannot take (exit 2, as commander's own usage errors). */
export class UsageError extends CliError {}

const here = path.dirname(fileURLToPath(import.meta.url));
export const runtime = () => makeRuntime({ distDir: findDistDir(here), execPath: process.execPath, shell: 'headless' });

export const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};
export const clientId = (v: string): ClientId => {
  if (!(CLIENT_IDS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${CLIENT_IDS.join(', ')}`);
  return v as ClientId;
};

export async function withHost<T>(dataDir: string | undefined, fn: (host: Host) => Promise<T>): Promise<T> {
  const host = await Host.create({
    dataDir: resolveDataDir(dataDir),
    runtime: runtime(),
    autostart: false,
    clientWatchMs: 0,
    settingsWatchMs: 0,
    claudeLogWatchMs: 0,
    // Only what the command's methods touch: `connect` writes a client's config without opening the catalog.
    onDemand: true,
  });
  try {
    return await fn(host);
  } finally {
    await host.close();
  }
}
