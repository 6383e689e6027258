/** `mcp-tray catalog …`: importing and exporting the catalog, and moving it to a team's shared database or back. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parsePgUrl } from '../../../servers/products/postgres/connect.js';
import type { HostEvent } from '../contract.js';
import type { Host } from '../host.js';
import { CliError, UsageError, withHost } from './common.js';
import { visibleLine } from '../../../servers/shared/visible.js';
import { fieldCommands } from './fields.js';

/**
 * `local`, or an address that reads as one: checked before anything starts, a bad one is a usage
 * error (exit 2), and the message never repeats the address (it may hold a password).
 */
function checkDatabaseAddress(value: string): void {
  if (value === 'local') return;
  try {
    parsePgUrl(value);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function catalogCommands(cli: Command, out: NodeJS.WriteStream, result: { code: number }): void {
  const catalog = cli.command('catalog').description('bulk catalog data');
  catalog
    .command('import')
    .description('add or update products from a CSV or Excel (.xlsx) file (columns: name, price, category, stock, sku, description)')
    .argument('<file>', 'a .csv or .xlsx file')
    .option('--sheet <name>', 'for a spreadsheet: the sheet to read (the first one when left out)')
    .option('--skip-invalid', 'import the valid rows even if some rows have errors')
    .option('--add-fields', 'columns the catalog has no field for become fields of it (types from their values)')
    .option('--leave-out-columns', 'columns the catalog has no field for are left out')
    .option('--data-dir <dir>', 'data directory')
    .action(
      async (
        file: string,
        o: { sheet?: string; skipInvalid?: boolean; addFields?: boolean; leaveOutColumns?: boolean; dataDir?: string },
      ) => {
        if (o.addFields && o.leaveOutColumns) throw new UsageError('give --add-fields or --leave-out-columns, not both');
        const newColumns = o.addFields ? 'add' : o.leaveOutColumns ? 'leave-out' : undefined;
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch (err) {
          throw new CliError(
            `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
          );
        }
        const spreadsheet = /\.xlsx$/i.test(file);
        if (o.sheet !== undefined && !spreadsheet) throw new CliError('--sheet is for .xlsx files');
        const r = await withHost(o.dataDir, async (h) => {
          const preview = await h.api.previewImport({
            ...(spreadsheet ? { xlsx: bytes.toString('base64'), sheet: o.sheet } : { csv: bytes.toString('utf8') }),
            file: path.basename(file),
          });
          for (const e of preview.errors.slice(0, 20)) process.stderr.write(`${file}:${e.line}: ${e.message}\n`);
          if (preview.errors.length > 20) process.stderr.write(`… and ${preview.errors.length - 20} more rows with errors\n`);
          if (preview.errors.length && !o.skipInvalid) {
            await h.api.cancelImport({ token: preview.token });
            throw new CliError(`${preview.errors.length} row(s) have errors; nothing was imported (use --skip-invalid to import the rest)`);
          }
          const fresh = preview.newColumns;
          if (fresh.length && !newColumns) {
            await h.api.cancelImport({ token: preview.token });
            const list = fresh.map((c) => `${visibleLine(c.label)} (${c.type})`).join(', ');
            throw new CliError(
              `${fresh.length === 1 ? '1 column is' : `${fresh.length} columns are`} new: ${list}; nothing was imported. Give --add-fields to add ${fresh.length === 1 ? 'it' : 'them'} as fields of the catalog, or --leave-out-columns`,
            );
          }
          if (preview.leftOut.length)
            process.stderr.write(`Not imported (a name the catalog uses for itself): ${preview.leftOut.map(visibleLine).join(', ')}\n`);
          const done = await importWithProgress(h, preview.token, newColumns);
          if (done.cancelled) {
            out.write('Import cancelled: nothing was changed.\n');
            result.code = 130;
            return done;
          }
          out.write(
            `Imported: ${done.added} added, ${done.updated} updated, ${done.unchanged} unchanged${done.skipped ? `, ${done.skipped} skipped` : ''}.\n`,
          );
          // Closing puts the products it added into the search index first (a few seconds for a big file).
          if (done.added && process.stderr.isTTY) process.stderr.write('Putting the new products into the search index…');
          return done;
        });
        if (r.added && !r.cancelled && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      },
    );
  fieldCommands(catalog, out);

  catalog
    .command('export')
    .description('write every product to a CSV or Excel (.xlsx) file (by its extension)')
    .argument('<file>', 'a .csv or .xlsx file to write')
    .option('--data-dir <dir>', 'data directory')
    .action(async (file: string, o: { dataDir?: string }) => {
      const spreadsheet = /\.xlsx$/i.test(file);
      const { data, rows } = await withHost(o.dataDir, async (h) => {
        if (!spreadsheet) {
          const r = await h.api.exportCsv({});
          return { data: r.csv as string | Buffer, rows: r.rows };
        }
        const r = await h.api.exportXlsx({});
        return { data: Buffer.from(r.xlsx, 'base64'), rows: r.rows };
      });
      try {
        fs.writeFileSync(file, data);
      } catch (err) {
        throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
      }
      out.write(`Exported ${rows} products to ${file}.\n`);
    });
  catalog
    .command('use-database')
    .description(
      "where the catalog lives: a team's shared PostgreSQL database (postgres://user@host:5432/database[?sslmode=require]), or `local` for this computer",
    )
    .argument('<where>', 'a postgres:// address, or local')
    .option(
      '--copy',
      "shared: copy this computer's catalog into the (empty) database; local: copy the shared catalog down to this computer",
    )
    .option('--password-stdin', 'read the database password from standard input (otherwise it is asked for on a terminal)')
    .option('--data-dir <dir>', 'data directory')
    .action(async (where: string, o: { copy?: boolean; passwordStdin?: boolean; dataDir?: string }) => {
      checkDatabaseAddress(where);
      const local = where === 'local';
      let password: string | undefined;
      if (!local) {
        if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(where)) {
          process.stderr.write(
            'Note: a password in the address is visible to other programs while this command runs; --password-stdin keeps it out.\n',
          );
        } else if (o.passwordStdin) password = (await readAll(process.stdin)).replace(/\r?\n$/, '');
        else if (process.stdin.isTTY) password = (await askHidden(`Password for ${where} (Enter for none): `)) || undefined;
      }
      const done = await withHost(o.dataDir, async (h) => {
        const tty = process.stderr.isTTY === true;
        const onEvent = (e: HostEvent) => {
          if (e.type !== 'catalog-progress' || e.total === 0) return;
          const percent = Math.floor((100 * e.done) / e.total);
          process.stderr.write(
            e.phase === 'backup'
              ? `\rKeeping a copy of this computer's catalog first… ${percent}%\x1b[K`
              : `\rCopying… ${percent}% (${e.done.toLocaleString('en')} of ${e.total.toLocaleString('en')} rows)\x1b[K`,
          );
        };
        if (tty) h.on('event', onEvent);
        try {
          const loc = local
            ? await h.api.useLocalCatalog({ copy: o.copy ?? false })
            : await h.api.useDatabase({ url: where, password, copy: o.copy ?? false });
          return { loc, products: (await h.api.listProducts({ limit: 1 })).total };
        } finally {
          if (tty) {
            h.off('event', onEvent);
            process.stderr.write('\r\x1b[K');
          }
        }
      });
      out.write(
        done.loc.engine === 'postgres'
          ? `The catalog now lives in the shared database at ${done.loc.where} (${done.products.toLocaleString('en')} products).\n${
              /[?&]sslmode=(require|verify-full)/.test(done.loc.url ?? '')
                ? ''
                : 'The connection is not encrypted: anyone on the network between here and the database can read the catalog (add ?sslmode=require).\n'
            }`
          : `The catalog now lives on this computer: ${done.loc.where} (${done.products.toLocaleString('en')} products).\n`,
      );
    });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/** Asks on the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let answer = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData);
            return resolve();
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
  return answer;
}

/**
 * Writes a previewed import. On a terminal, the percentage on one line of stderr, and Ctrl-C stops
 * the import and rolls it back; piped, nothing but the result.
 */
async function importWithProgress(h: Host, token: string, newColumns: 'add' | 'leave-out' | undefined) {
  const tty = process.stderr.isTTY === true;
  const onEvent = (e: HostEvent) => {
    if (e.type !== 'import-progress' || e.token !== token || e.total === 0) return;
    const what = { backup: 'Backing up the catalog first', writing: 'Importing', reverting: 'Cancelling, rolling back' }[e.phase];
    const count = e.phase === 'backup' ? '' : ` (${e.done.toLocaleString('en')} of ${e.total.toLocaleString('en')})`;
    process.stderr.write(`\r${what}… ${Math.floor((100 * e.done) / e.total)}%${count}\x1b[K`);
  };
  const onInterrupt = () => void h.api.cancelImport({ token });
  if (tty) h.on('event', onEvent);
  process.once('SIGINT', onInterrupt);
  try {
    return await h.api.commitImport({ token, skipInvalid: true, ...(newColumns ? { newColumns } : {}) });
  } finally {
    process.off('SIGINT', onInterrupt);
    if (tty) {
      h.off('event', onEvent);
      process.stderr.write('\r\x1b[K');
    }
  }
}
