import { SEED_PRODUCTS, isUntouchedSample } from '../../../servers/products/samples.js';
import { skuFor } from '../../../servers/products/rows.js';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../../../servers/shared/db.js';
import type { Actor } from '../../../servers/products/schema.js';
import type { FieldType } from '../../../servers/products/fields.js';
import { fieldConditions } from '../../../servers/products/domain/rules.js';
import { withFieldColumns, withoutColumns, type NewColumn } from './import-fields.js';
import type { Catalog } from '../../../servers/products/catalog.js';
import { CatalogSource, type DataFiles } from '../../../servers/products/source.js';
import type { Settings } from '../../../servers/shared/settings-schema.js';
import type { NewProduct, ProductPatch } from '../../../servers/products/schema.js';
import { abandoned, revertImport, runImport, tidyAfterBulk } from '../../../servers/products/import.js';
import type { ImportPreview, ImportProgress, ParsedArgs } from '../contract.js';
import { HostError } from '../errors.js';
import { StoreError } from '../../../servers/shared/errors.js';
import { parseProductCsv, productsToCsv, type ParsedImport } from './csv.js';
import { productsToXlsx, readProductXlsx } from './xlsx.js';

const APP: Actor = { source: 'app', client: 'MCP Tray' };
const IMPORT: Actor = { source: 'import', client: 'MCP Tray' };
const PENDING_TTL_MS = 30 * 60_000;

/**
 * The catalog as the app edits it: the same catalog module (schema, validation, history) the MCP
 * server uses, through the app's own connection. Changes made by anyone else (server processes,
 * another computer on a shared database) are announced as 'changed'.
 */
export class CatalogService extends EventEmitter<{ changed: []; progress: [ImportProgress] }> {
  private readonly pending = new Map<string, { parsed: ParsedImport & { newColumns: NewColumn[] }; file: string; at: number }>();
  /** Imports being written, by preview token: cancelImport aborts them. */
  private readonly running = new Map<string, AbortController>();
  /** Imports a previous run began and never finished, rolled back at start (see recoverImports). */
  readonly recovered: Promise<number>;
  private readonly stopWatching: () => void;
  /** The tidy-up after bulk changes (tidyAfterBulk), one pass at a time; its merges stopped between steps at close. */
  private tidying: Promise<void> = Promise.resolve();
  private readonly closing = new AbortController();

  private constructor(readonly source: CatalogSource) {
    super();
    // Wherever the catalog lives (and when it moves, here or by the CLI while the window is open).
    this.stopWatching = source.watch(() => this.emit('changed'));
    this.recovered = this.recoverImports();
  }

  /** Before moving the catalog: no import is being written (one that starts meanwhile is refused by the move's mark). */
  assertNoImport(): void {
    if (this.running.size) {
      throw new HostError('An import is being written: wait for it to finish (or cancel it) before moving the catalog', 'conflict');
    }
  }

  /** Uses a catalog somewhere else from now on (catalog-location.ts opened it, and copied into it when asked). */
  async moveTo(catalog: Catalog, settings: Settings): Promise<void> {
    this.pending.clear();
    await this.source.switchTo(catalog, settings);
  }

  static async open(files: DataFiles, settings: Settings): Promise<CatalogService> {
    const source = await CatalogSource.open(files, settings);
    // The settings say the catalog is here: a "moved" mark left by a move that did not finish
    // (MCP Tray stopped between marking the file and saving the settings) is stale; one a running
    // MCP Tray is making right now (this is a CLI command started meanwhile) is not.
    await source.catalog.local?.clearStaleMove();
    return new CatalogService(source);
  }

  /** The catalog, wherever it lives now. */
  get store(): Catalog {
    return this.source.catalog;
  }

  /** The SQLite file's connection when the catalog is on this computer (backups, checks). */
  get db(): Db | undefined {
    return this.store.local?.db;
  }

  /**
   * An import is written in many short transactions; if MCP Tray stopped in the middle (a crash, a
   * power cut), the part written is taken back at the next start, so a file is in entirely or not at
   * all. One that another process (the app, while this is the CLI) is still writing is left alone.
   */
  private async recoverImports(): Promise<number> {
    let unfinished: Array<{ id: number; owner: string }>;
    try {
      unfinished = await this.store.unfinishedImports();
    } catch {
      return 0; // a shared database that cannot be reached now: the next start looks again
    }
    const left = unfinished.filter((u) => abandoned(this.store, u));
    try {
      for (const u of left) await revertImport(this.store, u.id, 'cancel', IMPORT);
    } catch {
      return 0; // the database went away meanwhile: the next start takes up what is left
    }
    if (left.length) this.emit('changed');
    // Also what a quit (or a CLI import's exit) cut short last time.
    if (left.length || (await this.store.needsTidy())) void this.tidy();
    return left.length;
  }

  /**
   * Puts the catalog in order after a bulk change, in the background (the person is told the import
   * is done first). It changes no data; if it fails, only search speed is at stake, and the next bulk
   * change tidies again.
   */
  tidy(): Promise<void> {
    const store = this.store;
    this.tidying = this.tidying.then(() => tidyAfterBulk(store, this.closing.signal)).catch(() => {});
    return this.tidying;
  }

  private changed<T>(value: T): T {
    this.emit('changed');
    return value;
  }

  async list({ where, ...q }: ParsedArgs<'listProducts'>) {
    const conditions = where && Object.keys(where).length ? fieldConditions(await this.store.fields(), where) : undefined;
    return this.store.list({ ...q, ...(conditions ? { conditions } : {}) });
  }

  async create(input: NewProduct) {
    return this.changed(await this.store.add(input, APP));
  }

  async update(id: number, patch: ProductPatch, expectedUpdatedAt?: string) {
    const { product, changed } = await this.store.update(id, patch, APP, expectedUpdatedAt);
    return changed ? this.changed(product) : product;
  }

  async remove(id: number) {
    return this.changed(await this.store.remove(id, APP));
  }

  /** The sample products a new catalog starts with, those still untouched, removed (recorded: each can be undone). */
  async removeSamples(): Promise<{ removed: number }> {
    let removed = 0;
    for (const i of SEED_PRODUCTS.keys()) {
      const p = await this.store.getBySku(skuFor(i + 1));
      if (!p || !isUntouchedSample(p, i)) continue;
      await this.store.remove(p.id, APP);
      removed++;
    }
    return removed ? this.changed({ removed }) : { removed };
  }

  categories() {
    return this.store.categories();
  }

  /** The catalog's own fields, each with how many products have a value for it. */
  async fields() {
    const [fields, uses] = await Promise.all([this.store.fields(), this.store.fieldUses()]);
    return fields.map((f) => ({ ...f, used: uses[f.key] ?? 0 }));
  }

  async addField(input: { label: string; type: FieldType; choices?: readonly string[] }) {
    return this.changed(await this.store.addField(input));
  }

  async renameField(key: string, label: string) {
    return this.changed(await this.store.renameField(key, label));
  }

  async changeFieldType(key: string, type: FieldType, choices?: readonly string[]) {
    return this.changed(await this.store.changeFieldType(key, type, choices));
  }

  async moveField(key: string, to: number) {
    return this.changed(await this.store.moveField(key, to));
  }

  async removeField(key: string) {
    return this.changed(await this.store.removeField(key));
  }

  async restoreField(id: number) {
    return this.changed(await this.store.restoreField(id));
  }

  removedFields() {
    return this.store.removedFields();
  }

  async previewImport(input: ParsedArgs<'previewImport'>): Promise<ImportPreview> {
    const spreadsheet = input.xlsx === undefined ? undefined : await readProductXlsx(Buffer.from(input.xlsx, 'base64'), input.sheet);
    // The file's other columns: the catalog's own fields, or new ones the person chooses to add or leave out.
    const parsed = withFieldColumns(spreadsheet ?? parseProductCsv(input.csv ?? ''), await this.store.fields());
    const now = Date.now();
    for (const [token, p] of this.pending) if (now - p.at > PENDING_TTL_MS) this.pending.delete(token);
    const token = crypto.randomUUID();
    const file = input.file?.trim() || (spreadsheet ? 'spreadsheet.xlsx' : 'pasted CSV');
    this.pending.set(token, { parsed, file, at: now });
    const toUpdate = await this.store.countExistingSkus(parsed.rows.flatMap((r) => (r.sku === undefined ? [] : [r.sku])));
    return {
      token,
      rows: parsed.total,
      valid: parsed.rows.length,
      toAdd: parsed.rows.length - toUpdate,
      toUpdate,
      errors: parsed.errors.slice(0, 1000),
      sample: parsed.rows.slice(0, 20) as Array<Record<string, unknown>>,
      columns: parsed.columns,
      newColumns: parsed.newColumns,
      leftOut: parsed.leftOut,
      ...(spreadsheet ? { sheets: spreadsheet.sheets, sheet: spreadsheet.sheet } : {}),
    };
  }

  /**
   * Writes a previewed import in short transactions (runImport), announcing progress; a cancel
   * (cancelImport with the same token) rolls back what was written. `beforeWrite` runs once the
   * import is known to be allowed, announcing its progress as the 'backup' phase.
   */
  async commitImport(
    token: string,
    skipInvalid: boolean,
    newColumns: 'add' | 'leave-out' | undefined,
    beforeWrite: (onProgress: (p: { done: number; total: number }) => void) => Promise<unknown> = async () => {},
  ) {
    const pending = this.pending.get(token);
    if (!pending) throw new HostError('This import preview has expired or was cancelled; choose the file again', 'not_found');
    if (this.running.has(token)) throw new HostError('This import is already being written', 'conflict');
    const { errors } = pending.parsed;
    let { rows } = pending.parsed;
    const fresh = pending.parsed.newColumns;
    if (fresh.length && !newColumns) {
      throw new HostError(
        `${fresh.length === 1 ? '1 column is' : `${fresh.length} columns are`} new: ${fresh.map((c) => c.label).join(', ')}. Add ${fresh.length === 1 ? 'it' : 'them'} as fields of the catalog, or leave ${fresh.length === 1 ? 'it' : 'them'} out; nothing was imported`,
        'invalid',
      );
    }
    if (errors.length && !skipInvalid) {
      throw new HostError(
        `${errors.length} row${errors.length === 1 ? ' has' : 's have'} errors; fix the file, or import the other rows and skip ${errors.length === 1 ? 'it' : 'them'}`,
        'invalid',
      );
    }
    if (fresh.length && newColumns === 'leave-out')
      rows = withoutColumns(
        rows,
        fresh.map((c) => c.key),
      );
    if (fresh.length && newColumns === 'add') {
      const known = new Set((await this.store.fields()).map((f) => f.key));
      // Their indexes are built after the rows are in (the tidy-up that follows the import).
      for (const c of fresh) if (!known.has(c.key)) await this.store.addField({ label: c.label, type: c.type }, { deferIndex: true });
    }
    const abort = new AbortController();
    this.running.set(token, abort);
    try {
      await beforeWrite((p) => this.emit('progress', { token, phase: 'backup', ...p }));
      const outcome = await runImport(this.store, rows, {
        file: pending.file,
        actor: IMPORT,
        signal: abort.signal,
        onProgress: (p) => this.emit('progress', { token, ...p }),
      });
      this.pending.delete(token);
      void this.tidy();
      return this.changed({ ...outcome, skipped: errors.length });
    } finally {
      this.running.delete(token);
    }
  }

  /** Before an import is written: forgets the preview. While it is written: stops it and rolls it back. */
  cancelImport(token: string) {
    const running = this.running.get(token);
    if (running) {
      running.abort();
      return { cancelled: true };
    }
    return { cancelled: this.pending.delete(token) };
  }

  imports() {
    return this.store.imports();
  }

  /** Takes a whole finished import back, as one unit (refused if anyone changed its products since). */
  async undoImport(id: number) {
    await this.store.checkImportUndo(id);
    const token = `undo-${id}`;
    const record = await revertImport(this.store, id, 'undo', APP, (p) => this.emit('progress', { token, ...p }));
    void this.tidy();
    return this.changed(record);
  }

  async exportXlsx(filters: { search?: string; category?: string }) {
    const { xlsx, rows } = await productsToXlsx(this.store.iterate(filters), await this.store.fields());
    return { xlsx: xlsx.toString('base64'), rows };
  }

  async exportCsv(filters: { search?: string; category?: string }) {
    return productsToCsv(this.store.iterate(filters), await this.store.fields());
  }

  changes(opts: ParsedArgs<'listChanges'>) {
    return this.store.changes(opts);
  }

  async undo(id: number) {
    return this.changed(await this.store.undo(id, APP));
  }

  /**
   * Undoes several changes (the Activity page's "Undo all of these"), newest first so a product
   * changed twice goes back step by step. A change that cannot be undone (someone changed the
   * product since, or it was undone already) is left as it is and said why; the rest go on.
   */
  async undoMany(ids: readonly number[]): Promise<{ undone: number; refused: Array<{ id: number; reason: string }> }> {
    let undone = 0;
    const refused: Array<{ id: number; reason: string }> = [];
    for (const id of [...new Set(ids)].sort((a, b) => b - a)) {
      try {
        await this.store.undo(id, APP);
        undone++;
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        refused.push({ id, reason: err.message });
      }
    }
    return undone ? this.changed({ undone, refused }) : { undone, refused };
  }

  /**
   * Finishes putting an import's products into the search index, then stops a tidy-up after its
   * current step (the next start finishes it).
   */
  async close() {
    this.stopWatching();
    this.closing.abort();
    // A rollback the start began (recoverImports) finishes before the catalog closes under it
    // ("Cannot use a pool after calling end on the pool").
    await this.recovered.catch(() => 0);
    await this.tidying;
    await this.source.close();
  }
}
