import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberEditorModule,
  TextEditorModule,
  CellStyleModule,
  colorSchemeDark,
  themeQuartz,
  type CellValueChangedEvent,
  type ColDef,
  type GridApi,
  type GridReadyEvent,
  type ICellRendererParams,
  type IDatasource,
} from 'ag-grid-community';
import type { ImportPreview, Product } from '../../../electron/core/contract';
import { api } from '../host';
import { useDebounced, useHostData, useHostEvent, useNow } from '../hooks';
import { ago, money } from '../format';
import { describeChange } from '../changes';
import { Confirm, Dialog, Pending, useToast } from '../components/ui';

// Only the grid features this page uses: a smaller bundle is a faster first paint.
ModuleRegistry.registerModules([InfiniteRowModelModule, TextEditorModule, NumberEditorModule, CellStyleModule]);

const SORTABLE: Record<string, 'name' | 'price' | 'stock' | 'category' | 'updated_at' | 'id'> = {
  id: 'id',
  name: 'name',
  price: 'price',
  stock: 'stock',
  category: 'category',
  updated_at: 'updated_at',
};

function useDarkMode(): boolean {
  const [dark, setDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const m = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return dark;
}

export function CatalogPage() {
  const toast = useToast();
  const dark = useDarkMode();
  const theme = useMemo(() => (dark ? themeQuartz.withPart(colorSchemeDark) : themeQuartz), [dark]);
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [stock, setStock] = useState<'' | 'in' | 'out' | 'low'>('');
  const [total, setTotal] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<Product | null>(null);
  const grid = useRef<GridApi<Product> | null>(null);
  const reverting = useRef(false);
  const debouncedSearch = useDebounced(search, 250);
  const categories = useHostData(
    () => api.listCategories(),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );

  const filters = useMemo(
    () => ({
      ...(debouncedSearch.trim() ? { search: debouncedSearch.trim() } : {}),
      ...(category ? { category } : {}),
      ...(stock === 'in'
        ? { in_stock: true }
        : stock === 'out'
          ? { in_stock: false }
          : stock === 'low'
            ? { low_stock_below: 10, in_stock: true }
            : {}),
    }),
    [debouncedSearch, category, stock],
  );

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params) => {
        const sort = params.sortModel[0];
        api
          .listProducts({
            ...filters,
            offset: params.startRow,
            limit: params.endRow - params.startRow,
            ...(sort && SORTABLE[sort.colId] ? { sort: SORTABLE[sort.colId], order: sort.sort } : {}),
          })
          .then(
            ({ rows, total }) => {
              setTotal(total);
              params.successCallback(rows, total);
            },
            (err: Error) => {
              toast('error', `Could not load products: ${err.message}`);
              params.failCallback();
            },
          );
      },
    }),
    [filters, toast],
  );

  useEffect(() => {
    grid.current?.setGridOption('datasource', datasource);
  }, [datasource]);

  // Another process (Claude, an import) changed the catalog: refresh what is on screen.
  useHostEvent((e) => {
    if (e.type === 'data-changed' && e.what === 'products' && !grid.current?.getEditingCells().length) grid.current?.refreshInfiniteCache();
  });

  const onCellValueChanged = useCallback(
    async (e: CellValueChangedEvent<Product>) => {
      if (reverting.current || e.oldValue === e.newValue || !e.data) return;
      const field = e.colDef.field as keyof Product;
      try {
        const updated = await api.updateProduct({ id: e.data.id, patch: { [field]: e.newValue } });
        e.node.setData(updated);
        toast('success', `Saved ${updated.name}`);
      } catch (err) {
        reverting.current = true;
        e.node.setDataValue(field, e.oldValue);
        reverting.current = false;
        toast('error', `Not saved: ${(err as Error).message}`);
      }
    },
    [toast],
  );

  const columns = useMemo<ColDef<Product>[]>(
    () => [
      { field: 'id', headerName: 'ID', width: 90, sortable: true },
      { field: 'sku', headerName: 'SKU', width: 140, editable: true, sortable: false },
      { field: 'name', headerName: 'Name', flex: 2, minWidth: 180, editable: true, sortable: true },
      { field: 'category', headerName: 'Category', flex: 1, minWidth: 130, editable: true, sortable: true },
      {
        field: 'price',
        headerName: 'Price',
        width: 120,
        editable: true,
        sortable: true,
        type: 'rightAligned',
        cellEditor: 'agNumberCellEditor',
        cellEditorParams: { min: 0, precision: 2 },
        valueFormatter: (p) => (typeof p.value === 'number' ? money(p.value) : ''),
      },
      {
        field: 'stock',
        headerName: 'Stock',
        width: 110,
        editable: true,
        sortable: true,
        type: 'rightAligned',
        cellEditor: 'agNumberCellEditor',
        cellEditorParams: { min: 0, precision: 0 },
      },
      {
        field: 'updated_at',
        headerName: 'Updated',
        width: 170,
        sortable: true,
        valueFormatter: (p) => (p.value ? new Date(p.value as string).toLocaleString() : ''),
      },
      {
        headerName: '',
        colId: 'actions',
        width: 100,
        sortable: false,
        cellRenderer: (p: ICellRendererParams<Product>) =>
          p.data ? (
            <button type="button" className="link danger-text" onClick={() => setDeleting(p.data!)} aria-label={`Delete ${p.data.name}`}>
              Delete
            </button>
          ) : null,
      },
    ],
    [],
  );

  const exportCsv = async () => {
    try {
      const { csv, rows } = await api.exportCsv({
        ...(filters.search ? { search: filters.search } : {}),
        ...(filters.category ? { category: filters.category } : {}),
      });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'products.csv';
      a.click();
      URL.revokeObjectURL(url);
      toast('success', `Exported ${rows} products`);
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  return (
    <section aria-labelledby="catalog-title" className="catalog">
      <h1 id="catalog-title">Catalog</h1>
      <div className="toolbar" role="search">
        <label className="sr-only" htmlFor="catalog-search">
          Search products
        </label>
        <input
          id="catalog-search"
          type="search"
          placeholder="Search name, SKU, description…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label className="sr-only" htmlFor="catalog-category">
          Category
        </label>
        <select id="catalog-category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">All categories</option>
          {categories.data?.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.count})
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="catalog-stock">
          Stock
        </label>
        <select id="catalog-stock" value={stock} onChange={(e) => setStock(e.target.value as typeof stock)}>
          <option value="">Any stock</option>
          <option value="in">In stock</option>
          <option value="low">Low (under 10)</option>
          <option value="out">Sold out</option>
        </select>
        <span className="count" aria-live="polite">
          {total === null ? '' : `${total.toLocaleString()} product${total === 1 ? '' : 's'}`}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add product
        </button>
        <button type="button" onClick={() => setImporting(true)}>
          Import CSV
        </button>
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <div className="grid-wrap" data-testid="catalog-grid">
        <AgGridReact<Product>
          theme={theme}
          rowModelType="infinite"
          cacheBlockSize={100}
          maxBlocksInCache={40}
          columnDefs={columns}
          getRowId={(p) => String(p.data.id)}
          onGridReady={(e: GridReadyEvent<Product>) => {
            grid.current = e.api;
            e.api.setGridOption('datasource', datasource);
          }}
          onCellValueChanged={onCellValueChanged}
          singleClickEdit={false}
          stopEditingWhenCellsLoseFocus
          overlayNoRowsTemplate="<span>No products match. Clear the search or add one.</span>"
        />
      </div>
      <AddProduct open={adding} onClose={() => setAdding(false)} categories={categories.data?.map((c) => c.name) ?? []} />
      <ImportCsv open={importing} onClose={() => setImporting(false)} />
      <Confirm
        open={deleting !== null}
        title="Delete product"
        danger
        confirmLabel="Delete"
        message={
          <>
            Delete <strong>{deleting?.name}</strong> ({deleting?.sku})? You can undo it from the change history.
          </>
        }
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const p = deleting!;
          setDeleting(null);
          try {
            await api.deleteProduct({ id: p.id });
            toast('success', `Deleted ${p.name}`);
            grid.current?.refreshInfiniteCache();
          } catch (err) {
            toast('error', (err as Error).message);
          }
        }}
      />
      <History />
    </section>
  );
}

function AddProduct({ open, onClose, categories }: { open: boolean; onClose: () => void; categories: string[] }) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    try {
      const p = await api.createProduct({
        name: text('name'),
        price: Number(text('price')),
        category: text('category'),
        ...(text('stock') ? { stock: Number(text('stock')) } : {}),
        ...(text('sku') ? { sku: text('sku') } : {}),
        ...(text('description') ? { description: text('description') } : {}),
      });
      toast('success', `Added ${p.name} (${p.sku})`);
      setError(null);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Dialog title="Add a product" open={open} onClose={onClose}>
      <form onSubmit={submit} className="form-grid">
        <div className="field">
          <label htmlFor="np-name">Name *</label>
          <input id="np-name" name="name" required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="np-price">Price *</label>
          <input id="np-price" name="price" type="number" min={0} step="0.01" required />
        </div>
        <div className="field">
          <label htmlFor="np-category">Category *</label>
          <input id="np-category" name="category" list="np-categories" required maxLength={60} />
          <datalist id="np-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="np-stock">Stock</label>
          <input id="np-stock" name="stock" type="number" min={0} step={1} />
        </div>
        <div className="field">
          <label htmlFor="np-sku">SKU (generated if empty)</label>
          <input id="np-sku" name="sku" maxLength={64} />
        </div>
        <div className="field">
          <label htmlFor="np-description">Description</label>
          <textarea id="np-description" name="description" rows={2} maxLength={5000} />
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ImportCsv({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [skip, setSkip] = useState(false);
  const close = () => {
    if (preview) void api.cancelImport({ token: preview.token });
    setPreview(null);
    setError(null);
    setSkip(false);
    onClose();
  };
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setPreview(null);
    setBusy(`Reading ${file.name}…`);
    try {
      setPreview(await api.previewImport({ csv: await file.text() }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const commit = async () => {
    if (!preview) return;
    setBusy(`Importing ${preview.valid.toLocaleString()} products…`);
    try {
      const r = await api.commitImport({ token: preview.token, skipInvalid: skip });
      toast(
        'success',
        `Imported: ${r.added} added, ${r.updated} updated${r.skipped ? `, ${r.skipped} ${r.skipped === 1 ? 'row' : 'rows'} skipped` : ''}`,
      );
      setPreview(null);
      close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Dialog title="Import products from CSV" open={open} onClose={close} wide>
      <p className="muted">
        Columns: name, price, category (required), stock, sku, description. A row whose SKU exists updates that product.
      </p>
      <label htmlFor="csv-file">CSV file</label>{' '}
      <input id="csv-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
      {busy && (
        <p role="status" className="progress">
          <span className="spinner" aria-hidden="true" /> {busy}
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div className="import-preview" data-testid="import-preview">
          <p>
            {preview.rows.toLocaleString()} rows: <strong>{preview.toAdd.toLocaleString()}</strong> new,{' '}
            <strong>{preview.toUpdate.toLocaleString()}</strong> updates
            {preview.errors.length > 0 && (
              <>
                , <strong className="error-text">{preview.errors.length.toLocaleString()} with errors</strong>
              </>
            )}
            .
          </p>
          {preview.errors.length > 0 && (
            <>
              <table className="compact" aria-label="Rows with errors">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.slice(0, 100).map((e) => (
                    <tr key={e.line}>
                      <td>{e.line}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <label className="check">
                <input type="checkbox" checked={skip} onChange={(e) => setSkip(e.target.checked)} /> Import the other rows and skip these
              </label>
            </>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!preview || busy !== null || (preview.errors.length > 0 && !skip) || preview.valid === 0}
          onClick={commit}
        >
          Import {preview ? preview.valid.toLocaleString() : ''} products
        </button>
      </div>
    </Dialog>
  );
}

function History() {
  const toast = useToast();
  const now = useNow();
  const changes = useHostData(
    () => api.listChanges({ source: 'mcp', limit: 50 }),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  return (
    <section aria-labelledby="history-title" className="card history">
      <h2 id="history-title">What the AI changed</h2>
      {!changes.data && <Pending state={changes} what="changes" />}
      {changes.data && changes.data.length === 0 && (
        <p className="muted">No changes by AI apps yet. When Claude adds or edits a product, it shows here and you can undo it.</p>
      )}
      {changes.data && changes.data.length > 0 && (
        <ul className="plain changes">
          {changes.data.map((c) => (
            <li key={c.id} className={c.undoneAt ? 'undone' : undefined}>
              <span>
                <strong>{c.client}</strong> {describeChange(c)} <span className="muted">· {ago(c.at, now)}</span>
                {c.undoneAt && <span className="tag">undone</span>}
              </span>
              {!c.undoneAt && (
                <button
                  type="button"
                  onClick={async () => {
                    try {
                      await api.undoChange({ id: c.id });
                      toast('success', `Undone: ${c.client} ${describeChange(c)}`);
                      changes.reload();
                    } catch (err) {
                      toast('error', (err as Error).message);
                    }
                  }}
                >
                  Undo
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
