// The shared catalog's password, kept apart from everything else: one file in the data folder that
// only this account can read (0600), never in settings.json, a client's config entry, a process's
// arguments or a log. Servers that Claude starts find it here; the app writes it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';

const Secret = z.object({ url: z.string(), password: z.string() });

/** The password kept for this database address, if any (one for another address is not used). */
export function readCatalogPassword(file: string, url: string): string | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const s = Secret.parse(JSON.parse(raw));
    return s.url === url ? s.password : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the password for a database address (replacing any other), owner-only, written whole or not at all. */
export function writeCatalogPassword(file: string, url: string, password: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify({ url, password })}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fs.chmodSync(file, 0o600);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export function forgetCatalogPassword(file: string): void {
  fs.rmSync(file, { force: true });
}
