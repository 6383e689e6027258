// The products database: its schema (ordered migrations keyed by user_version), the first-run
// sample catalog, and opening it the way every MCP Tray process must.
import { nowIso, openDatabase, type Db, type Migration } from '../../shared/db.js';
import { searchText, skuFor, toCents } from '../rows.js';
import { LIMITS } from '../schema.js';
import { SEED_PRODUCTS } from '../samples.js';

export const PRODUCTS_MIGRATIONS: Migration[] = [
  {
    name: 'products, full-text index and change history',
    up: (db) =>
      db.exec(`
        CREATE TABLE products (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          sku TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(sku) BETWEEN 1 AND ${LIMITS.sku}),
          name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND ${LIMITS.name}),
          description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= ${LIMITS.description}),
          price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
          category TEXT NOT NULL COLLATE NOCASE CHECK (length(category) BETWEEN 1 AND ${LIMITS.category}),
          stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX products_category_price ON products(category, price_cents, stock);
        CREATE INDEX products_price ON products(price_cents, stock);
        CREATE INDEX products_stock ON products(stock);
        CREATE INDEX products_name ON products(name COLLATE NOCASE);
        CREATE INDEX products_updated ON products(updated_at);

        CREATE VIRTUAL TABLE products_fts USING fts5(
          name, sku, description, category, content='products', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
          INSERT INTO products_fts(rowid, name, sku, description, category)
          VALUES (new.id, new.name, new.sku, new.description, new.category);
        END;
        CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
          INSERT INTO products_fts(products_fts, rowid, name, sku, description, category)
          VALUES ('delete', old.id, old.name, old.sku, old.description, old.category);
        END;
        CREATE TRIGGER products_fts_au AFTER UPDATE OF name, sku, description, category ON products BEGIN
          INSERT INTO products_fts(products_fts, rowid, name, sku, description, category)
          VALUES ('delete', old.id, old.name, old.sku, old.description, old.category);
          INSERT INTO products_fts(rowid, name, sku, description, category)
          VALUES (new.id, new.name, new.sku, new.description, new.category);
        END;

        CREATE TABLE changes (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          source TEXT NOT NULL CHECK (source IN ('mcp', 'app', 'import')),
          client TEXT NOT NULL,
          tool TEXT,
          action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
          product_id INTEGER NOT NULL,
          product_name TEXT NOT NULL,
          before TEXT,
          after TEXT,
          undone_at TEXT,
          undone_by INTEGER,
          revert_of INTEGER
        );
        CREATE INDEX changes_source ON changes(source, id);
        CREATE INDEX changes_product ON changes(product_id, id);
      `),
  },
  {
    // The first index matched 3+ UTF-16 units through FTS and shorter searches with ASCII-only LIKE
    // on three of the four fields: "🎉🎉" or a 2-letter word in a description found nothing.
    name: 'search text: every field, folded like JavaScript, for substring search of any length',
    up: (db) => {
      db.exec(`
        DROP TRIGGER products_fts_ai;
        DROP TRIGGER products_fts_ad;
        DROP TRIGGER products_fts_au;
        DROP TABLE products_fts;
        ALTER TABLE products ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      `);
      const rows = db.prepare('SELECT id, name, sku, description, category FROM products').all() as Array<{
        id: number;
        name: string;
        sku: string;
        description: string;
        category: string;
      }>;
      const set = db.prepare('UPDATE products SET search_text = ? WHERE id = ?');
      for (const r of rows) set.run(searchText(r), r.id);
      db.exec(`
        CREATE VIRTUAL TABLE products_search USING fts5(
          search_text, content='products', content_rowid='id', tokenize='trigram case_sensitive 1'
        );
        INSERT INTO products_search(products_search) VALUES ('rebuild');
        CREATE TRIGGER products_search_ai AFTER INSERT ON products BEGIN
          INSERT INTO products_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
        CREATE TRIGGER products_search_ad AFTER DELETE ON products BEGIN
          INSERT INTO products_search(products_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        END;
        CREATE TRIGGER products_search_au AFTER UPDATE OF search_text ON products BEGIN
          INSERT INTO products_search(products_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
          INSERT INTO products_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
      `);
    },
  },
  {
    name: 'file imports: written in chunks, undone as one unit',
    up: (db) =>
      db.exec(`
        CREATE TABLE imports (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          file TEXT NOT NULL,
          client TEXT NOT NULL,
          -- "host:pid" of the process writing it: an unfinished import is rolled back only once that process is gone.
          owner TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'undone')),
          rows INTEGER NOT NULL,
          added INTEGER NOT NULL DEFAULT 0,
          updated INTEGER NOT NULL DEFAULT 0,
          unchanged INTEGER NOT NULL DEFAULT 0
        );
        ALTER TABLE changes ADD COLUMN import_id INTEGER REFERENCES imports(id);
        CREATE INDEX changes_import ON changes(import_id, id) WHERE import_id IS NOT NULL;
      `),
  },
  {
    name: 'change history: which computer and account made each change',
    up: (db) => db.exec('ALTER TABLE changes ADD COLUMN origin TEXT'),
  },
  {
    name: "the catalog's own facts: moved to a shared database (every write here is then refused)",
    up: (db) => db.exec('CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'),
  },
  {
    // Writing the trigram index took a third of a 100k import. Products an import adds are listed
    // here instead and indexed right after it (sqlite/upkeep.ts, indexStep); while any are listed,
    // searches read search_text itself, so they find everything all along. The triggers keep the
    // index exact: a listed product is not in it, so it is neither removed from it nor re-indexed.
    name: 'search index: products an import adds are indexed right after it',
    up: (db) =>
      db.exec(`
        CREATE TABLE search_backlog (id INTEGER PRIMARY KEY);
        DROP TRIGGER products_search_ai;
        DROP TRIGGER products_search_ad;
        DROP TRIGGER products_search_au;
        CREATE TRIGGER products_search_ai AFTER INSERT ON products
        WHEN NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = new.id) BEGIN
          INSERT INTO products_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
        CREATE TRIGGER products_search_ad AFTER DELETE ON products BEGIN
          INSERT INTO products_search(products_search, rowid, search_text)
            SELECT 'delete', old.id, old.search_text WHERE NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = old.id);
          DELETE FROM search_backlog WHERE id = old.id;
        END;
        CREATE TRIGGER products_search_au AFTER UPDATE OF search_text ON products
        WHEN NOT EXISTS (SELECT 1 FROM search_backlog WHERE id = new.id) BEGIN
          INSERT INTO products_search(products_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
          INSERT INTO products_search(rowid, search_text) VALUES (new.id, new.search_text);
        END;
      `),
  },
  {
    // A catalog's own fields (fields.ts): their definitions, and each product's values in one JSON object.
    name: "the catalog's own fields",
    up: (db) =>
      db.exec(`
        CREATE TABLE fields (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          key TEXT NOT NULL UNIQUE,
          label TEXT NOT NULL,
          type TEXT NOT NULL CHECK (type IN ('text', 'number', 'yes-no', 'date', 'choice', 'link')),
          choices TEXT,
          position INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        ALTER TABLE products ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
      `),
  },
  {
    // A removed field with its values ([product id, value] pairs), so the removal can be undone.
    name: 'removed fields, kept for undo',
    up: (db) =>
      db.exec(`
        CREATE TABLE removed_fields (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          key TEXT NOT NULL,
          label TEXT NOT NULL,
          type TEXT NOT NULL,
          choices TEXT,
          position INTEGER NOT NULL,
          removed_at TEXT NOT NULL,
          restored_at TEXT,
          products INTEGER NOT NULL,
          saved_values TEXT NOT NULL
        );
      `),
  },
  {
    name: 'change history: which connection of an AI app made each change (the Activity page groups by it)',
    up: (db) => db.exec('ALTER TABLE changes ADD COLUMN session TEXT'),
  },
];

export interface OpenProductsOptions {
  /** false: an empty catalog on first run (benchmarks, imports). */
  seed?: boolean;
}

export function openProductsDb(file: string, opts: OpenProductsOptions = {}): Db {
  return openDatabase(file, {
    migrations: PRODUCTS_MIGRATIONS,
    seed: opts.seed === false ? undefined : (db) => seedProducts(db),
  });
}

function seedProducts(db: Db): void {
  const at = nowIso();
  const insert = db.prepare(
    `INSERT INTO products (id, sku, name, description, price_cents, category, stock, created_at, updated_at, search_text) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?)`,
  );
  SEED_PRODUCTS.forEach((p, i) => {
    const sku = skuFor(i + 1);
    insert.run(i + 1, sku, p.name, toCents(p.price), p.category, p.stock, at, at, searchText({ ...p, sku, description: '' }));
  });
}
