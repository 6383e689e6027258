// COPY … FROM STDIN: how many rows go into PostgreSQL at once (an import's chunk, a whole catalog
// copied up), in the text format: one line a row, tab-separated, \N for NULL.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const escapeField = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
};

/** Writes rows (values in the columns' order) into a table with COPY; returns how many went in. */
export async function copyRows(
  c: PoolClient,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<number> {
  if (rows.length === 0) return 0;
  const stream = c.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  async function* lines() {
    let batch = '';
    for (const row of rows) {
      batch += `${row.map(escapeField).join('\t')}\n`;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  await pipeline(Readable.from(lines()), stream);
  return stream.rowCount;
}
