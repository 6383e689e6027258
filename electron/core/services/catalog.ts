import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { watchDataVersion, type Db } from '../../../servers/shared/db.js';
import { openProductsDb, ProductStore, type Actor } from '../../../servers/products/store.js';
import type { NewProduct, ProductPatch } from '../../../servers/products/schema.js';
import type { ImportPreview, ParsedArgs } from '../contract.js';
import { HostError } from '../errors.js';
import { parseProductCsv, productsToCsv, type ParsedImport } from './csv.js';

const APP: Actor = { source: 'app', client: 'MCP Tray' };
const IMPORT: Actor = { source: 'import', client: 'MCP Tray' };
const PENDING_TTL_MS = 30 * 60_000;

/**
 * The catalog as the app edits it: the same store module (schema, validation, history) the MCP
 * server uses, through the app's own SQLite connection. Changes made by server processes are seen
 * through PRAGMA data_version and announced as 'changed'.
 */
export class CatalogService extends EventEmitter<{ changed: [] }> {
  readonly db: Db;
  readonly store: ProductStore;
  private readonly pending = new Map<string, { parsed: ParsedImport; at: number }>();
  private readonly stopWatching: () => void;

  constructor(file: string) {
    super();
    this.db = openProductsDb(file);
    this.store = new ProductStore(this.db);
    this.stopWatching = watchDataVersion(this.db, 400, () => this.emit('changed'));
  }

  private changed<T>(value: T): T {
    this.emit('changed');
    return value;
  }

  list(q: ParsedArgs<'listProducts'>) {
    return this.store.list(q);
  }

  create(input: NewProduct) {
    return this.changed(this.store.add(input, APP));
  }

  update(id: number, patch: ProductPatch) {
    const { product, changed } = this.store.update(id, patch, APP);
    return changed ? this.changed(product) : product;
  }

  remove(id: number) {
    return this.changed(this.store.remove(id, APP));
  }

  categories() {
    return this.store.categories();
  }

  previewImport(csv: string): ImportPreview {
    const parsed = parseProductCsv(csv);
    const now = Date.now();
    for (const [token, p] of this.pending) if (now - p.at > PENDING_TTL_MS) this.pending.delete(token);
    const token = crypto.randomUUID();
    this.pending.set(token, { parsed, at: now });
    let toUpdate = 0;
    for (const row of parsed.rows) if (row.sku !== undefined && this.store.getBySku(row.sku)) toUpdate++;
    return {
      token,
      rows: parsed.total,
      valid: parsed.rows.length,
      toAdd: parsed.rows.length - toUpdate,
      toUpdate,
      errors: parsed.errors.slice(0, 1000),
      sample: parsed.rows.slice(0, 20) as Array<Record<string, unknown>>,
      columns: parsed.columns,
    };
  }

  /** Writes a previewed import in one transaction; `beforeWrite` runs once the import is known to be allowed. */
  async commitImport(token: string, skipInvalid: boolean, beforeWrite: () => Promise<unknown> = async () => {}) {
    const pending = this.pending.get(token);
    if (!pending) throw new HostError('This import preview has expired or was cancelled; choose the file again', 'not_found');
    const { rows, errors } = pending.parsed;
    if (errors.length && !skipInvalid) {
      throw new HostError(
        `${errors.length} row${errors.length === 1 ? ' has' : 's have'} errors; fix the file, or import the other rows and skip ${errors.length === 1 ? 'it' : 'them'}`,
        'invalid',
      );
    }
    await beforeWrite();
    const result = this.store.upsertMany(rows, IMPORT);
    this.pending.delete(token);
    return this.changed({ ...result, skipped: errors.length });
  }

  cancelImport(token: string) {
    return { cancelled: this.pending.delete(token) };
  }

  exportCsv(filters: { search?: string; category?: string }) {
    return productsToCsv(this.store.iterate(filters));
  }

  changes(opts: ParsedArgs<'listChanges'>) {
    return this.store.changes(opts);
  }

  undo(id: number) {
    return this.changed(this.store.undo(id, APP));
  }

  close() {
    this.stopWatching();
    this.db.close();
  }
}
