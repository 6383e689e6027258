/**
 * The one failure a person or a model can act on (unknown id, SKU taken, undo conflict, bad value,
 * live weather unavailable), with a code. Mapped once per boundary: the tool kit makes it an
 * isError result, the host's dispatch a HostError with the same code, a resource read error -32602.
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    /** unavailable: the catalog's database cannot be reached (a shared catalog's server is away). */
    readonly code: 'not_found' | 'conflict' | 'invalid' | 'unavailable',
  ) {
    super(message);
  }
}

/** What a caller reads instead of SQLite's "database is locked". */
export const BUSY_MESSAGE =
  'The catalog is busy: another program (or MCP Tray saving a large change, such as a CSV import) is writing to it right now. Nothing was changed; try again in a few seconds.';

/**
 * SQLite's "database is locked/busy" (another connection held the write lock past busy_timeout,
 * which already retried for us) as a StoreError in plain words; null for any other error.
 */
export function busyError(err: unknown): StoreError | null {
  return /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(err)) ? new StoreError(BUSY_MESSAGE, 'conflict') : null;
}

/** better-sqlite3's error code ("SQLITE_BUSY_SNAPSHOT", …), or '' for anything else. */
export const sqliteCode = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};
