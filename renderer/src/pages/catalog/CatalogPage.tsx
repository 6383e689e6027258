import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import {
  CheckboxEditorModule,
  DateEditorModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberEditorModule,
  SelectEditorModule,
  TextEditorModule,
  TooltipModule,
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
import type { FieldDef, Product } from '../../../../electron/core/contract';
import { download } from '../../download';
import { undoOwn } from '../../undo';
import { api, isUnavailable } from '../../host';
import { useDebounced, useHostData, useHostEvent } from '../../hooks';
import { ago, money } from '../../format';
import { Confirm, MenuButton, useToast } from '../../components/ui';
// Zod-free constants: the same limits and sort fields the host checks.
import { LOW_STOCK_BELOW, SORT_FIELDS, type SortField } from '../../../../servers/products/limits';
import { useDarkMode } from '../../hooks';
import { AddProduct } from './AddProduct';
import { ImportFile } from './ImportFile';
import { Imports } from './Imports';
import { History } from './History';
import { Fields } from './Fields';
import { FieldFilter, whereOf, type FieldTest } from './FieldFilter';

// Only the grid features this page uses: a smaller bundle is a faster first paint.
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  TextEditorModule,
  NumberEditorModule,
  CheckboxEditorModule,
  DateEditorModule,
  SelectEditorModule,
  TooltipModule,
  CellStyleModule,
]);

/** A grid column for one of the catalog's own fields, with the editor its type needs. */
function fieldColumn(f: FieldDef, editable: () => boolean): ColDef<Product> {
  const base: ColDef<Product> = {
    colId: `field:${f.key}`,
    headerName: f.label,
    headerTooltip: f.label,
    valueGetter: (p) => p.data?.fields[f.key] ?? null,
    valueSetter: (p) => {
      const fields = { ...p.data.fields };
      const v: unknown = p.newValue;
      if (v === null || v === undefined || v === '') delete fields[f.key];
      else fields[f.key] = v as string | number | boolean;
      p.data.fields = fields;
      return true;
    },
    editable,
    sortable: false,
    minWidth: 110,
    flex: 1,
  };
  switch (f.type) {
    case 'number':
      return { ...base, type: 'rightAligned', cellEditor: 'agNumberCellEditor', cellDataType: 'number' };
    case 'yes-no':
      return {
        ...base,
        cellDataType: 'boolean',
        cellRenderer: 'agCheckboxCellRenderer',
        cellEditor: 'agCheckboxCellEditor',
        maxWidth: 130,
      };
    case 'date':
      return { ...base, cellDataType: 'dateString', cellEditor: 'agDateStringCellEditor' };
    case 'choice':
      return { ...base, cellDataType: 'text', cellEditor: 'agSelectCellEditor', cellEditorParams: { values: ['', ...(f.choices ?? [])] } };
    default:
      return { ...base, cellDataType: 'text', cellEditor: 'agTextCellEditor' };
  }
}

/** Grid columns the server can sort by: the contract's list, not a copy of it. */
const sortFieldOf = (colId: string): SortField | undefined =>
  (SORT_FIELDS as readonly string[]).includes(colId) ? (colId as SortField) : undefined;

/** The source of the grid's own change when a failed edit is put back. */
const REVERT = 'mcp-tray-revert';

export function CatalogPage() {
  const toast = useToast();
  const dark = useDarkMode();
  const theme = useMemo(() => (dark ? themeQuartz.withPart(colorSchemeDark) : themeQuartz), [dark]);
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [stock, setStock] = useState<'' | 'in' | 'out' | 'low'>('');
  // The person's low-stock line (Settings), the same one the catalog view and the restock report use.
  const settings = useHostData(
    () => api.getSettings(),
    (e) => e.type === 'settings',
  );
  const lowBelow = settings.data?.stock.lowBelow ?? LOW_STOCK_BELOW;
  const [tab, setTab] = useState<'products' | 'fields'>(location.hash.endsWith('/fields') ? 'fields' : 'products');
  const [fieldTest, setFieldTest] = useState<FieldTest | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  // Home's "Replace the samples with my products" opens the import at once (#/catalog/import).
  const [importing, setImporting] = useState(() => location.hash === '#/catalog/import');
  const [deleting, setDeleting] = useState<Product | null>(null);
  /** The shared database cannot be reached: what was loaded stays on screen, read-only, with this message. */
  const [away, setAway] = useState<string | null>(null);
  const awayRef = useRef(false);
  awayRef.current = away !== null;
  const grid = useRef<GridApi<Product> | null>(null);
  const debouncedSearch = useDebounced(search, 250);
  const categories = useHostData(
    () => api.listCategories(),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  const fieldDefs = useHostData(
    () => api.listFields({}),
    (e) => e.type === 'data-changed' && e.what === 'products',
  );
  const debouncedTest = useDebounced(fieldTest, 250);
  const where = useMemo(() => whereOf(debouncedTest), [debouncedTest]);

  const filters = useMemo(
    () => ({
      ...(debouncedSearch.trim() ? { search: debouncedSearch.trim() } : {}),
      ...(category ? { category } : {}),
      ...(stock === 'in'
        ? { in_stock: true }
        : stock === 'out'
          ? { in_stock: false }
          : stock === 'low'
            ? { low_stock_below: lowBelow, in_stock: true }
            : {}),
      ...(where ? { where } : {}),
    }),
    [debouncedSearch, category, stock, where, lowBelow],
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
            ...(sort && sortFieldOf(sort.colId) ? { sort: sortFieldOf(sort.colId), order: sort.sort } : {}),
          })
          .then(
            ({ rows, total }) => {
              setAway(null);
              setTotal(total);
              params.successCallback(rows, total);
            },
            (err: Error) => {
              if (isUnavailable(err)) setAway(err.message);
              else toast('error', `Could not load products: ${err.message}`);
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

  // Another process (Claude, an import, another computer) changed the catalog: refresh what is on
  // screen (not while the database is away: the last rows shown stay until it is back).
  useHostEvent((e) => {
    if (e.type === 'data-changed' && e.what === 'products' && !awayRef.current && !grid.current?.getEditingCells().length)
      grid.current?.refreshInfiniteCache();
  });

  const onCellValueChanged = useCallback(
    async (e: CellValueChangedEvent<Product>) => {
      // (A revert below raises this event again, later: the grid's events are asynchronous, so it is
      // told apart by its source, not by a flag around the call.)
      if (e.source === REVERT || e.oldValue === e.newValue || !e.data) return;
      const colId = e.column.getColId();
      const own = colId.startsWith('field:') ? colId.slice('field:'.length) : undefined;
      const value: unknown = e.newValue === '' || e.newValue === undefined ? null : e.newValue;
      const patch = own ? { fields: { [own]: value as string | number | boolean | null } } : { [colId]: e.newValue };
      try {
        // Based on the row as shown: if someone changed the product since, the edit is refused.
        const updated = await api.updateProduct({ id: e.data.id, patch, expectedUpdatedAt: e.data.updated_at });
        e.node.setData(updated);
        toast('success', `Saved ${updated.name}`, {
          label: 'Undo',
          run: () =>
            void undoOwn(updated.id, 'update').then(
              () => {
                toast('success', `Undone: your change to ${updated.name}`);
                grid.current?.refreshInfiniteCache();
              },
              (err: Error) => toast('error', `Not undone: ${err.message}`),
            ),
        });
      } catch (err) {
        e.node.setDataValue(colId, e.oldValue, REVERT);
        toast('error', `Not saved: ${(err as Error).message}`);
        // Show the product as it is now (someone else's change, or the database being away).
        if (isUnavailable(err)) setAway((err as Error).message);
        else grid.current?.refreshInfiniteCache();
      }
    },
    [toast],
  );

  const columns = useMemo<ColDef<Product>[]>(
    () => [
      // The id is for AI apps; people know a product by its name and SKU (hidden, still sortable by code).
      { field: 'id', headerName: 'ID', width: 90, sortable: true, hide: true },
      { field: 'sku', headerName: 'SKU', width: 130, editable: () => !awayRef.current, sortable: false },
      { field: 'name', headerName: 'Name', flex: 2, minWidth: 180, editable: () => !awayRef.current, sortable: true },
      { field: 'category', headerName: 'Category', flex: 1, minWidth: 130, editable: () => !awayRef.current, sortable: true },
      {
        field: 'price',
        headerName: 'Price',
        width: 120,
        editable: () => !awayRef.current,
        sortable: true,
        type: 'rightAligned',
        cellEditor: 'agNumberCellEditor',
        // No min or precision here: the editor would turn −5 red and drop it without a word; the host
        // refuses it with the reason ("price must not be negative"), shown in the notice.
        valueFormatter: (p) => (typeof p.value === 'number' ? money(p.value) : ''),
      },
      {
        field: 'stock',
        headerName: 'Stock',
        width: 110,
        editable: () => !awayRef.current,
        sortable: true,
        type: 'rightAligned',
        cellEditor: 'agNumberCellEditor',
        // (As for price: the host says why a value is refused.)
      },
      ...(fieldDefs.data ?? []).map((f) => fieldColumn(f, () => !awayRef.current)),
      {
        field: 'updated_at',
        headerName: 'Updated',
        width: 120,
        sortable: true,
        // "2 min ago"; the date and time in full on hover.
        valueFormatter: (p) => (p.value ? ago(p.value as string) : ''),
        tooltipValueGetter: (p) => (p.value ? new Date(p.value as string).toLocaleString() : ''),
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
    [fieldDefs.data],
  );

  const exportAs = async (kind: 'csv' | 'xlsx') => {
    const filter = {
      ...(filters.search ? { search: filters.search } : {}),
      ...(filters.category ? { category: filters.category } : {}),
    };
    try {
      let rows: number;
      if (kind === 'csv') {
        const r = await api.exportCsv(filter);
        download('products.csv', { text: r.csv }, 'text/csv');
        rows = r.rows;
      } else {
        const r = await api.exportXlsx(filter);
        download('products.xlsx', { base64: r.xlsx }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        rows = r.rows;
      }
      toast('success', `Exported ${rows} products`);
    } catch (err) {
      toast('error', (err as Error).message);
    }
  };

  return (
    <section aria-labelledby="catalog-title" className="catalog">
      <h1 id="catalog-title">Catalog</h1>
      <div className="tabs" role="tablist" aria-label="Catalog">
        {(
          [
            ['products', 'Products'],
            ['fields', `Your fields${fieldDefs.data?.length ? ` (${fieldDefs.data.length})` : ''}`],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`catalog-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`catalog-panel-${id}`}
            onClick={() => {
              setTab(id);
              history.replaceState(null, '', id === 'fields' ? '#/catalog/fields' : '#/catalog');
            }}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'fields' && (
        <div role="tabpanel" id="catalog-panel-fields" aria-labelledby="catalog-tab-fields">
          <Fields />
        </div>
      )}
      <div role="tabpanel" id="catalog-panel-products" aria-labelledby="catalog-tab-products" hidden={tab !== 'products'}>
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
            <option value="low">Low (under {lowBelow})</option>
            <option value="out">Sold out</option>
          </select>
          {fieldDefs.data && fieldDefs.data.length > 0 && <FieldFilter fields={fieldDefs.data} value={fieldTest} onChange={setFieldTest} />}
          <span className="count" aria-live="polite">
            {total === null ? '' : `${total.toLocaleString()} product${total === 1 ? '' : 's'}`}
          </span>
          <span className="spacer" />
          <button type="button" className="primary" disabled={away !== null} onClick={() => setAdding(true)}>
            Add product
          </button>
          <button type="button" disabled={away !== null} onClick={() => setImporting(true)}>
            Import…
          </button>
          <MenuButton
            label="Export"
            items={[
              { label: 'CSV file (.csv)', onSelect: () => void exportAs('csv') },
              { label: 'Excel workbook (.xlsx)', onSelect: () => void exportAs('xlsx') },
            ]}
          />
        </div>
        {away && (
          <div className="error-box" role="alert" data-testid="catalog-away">
            <p>{away}</p>
            <p className="muted">The products below are as they were last shown, and cannot be changed until the database is back.</p>
            <button type="button" onClick={() => grid.current?.refreshInfiniteCache()}>
              Try again
            </button>
          </div>
        )}
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
        <AddProduct
          open={adding}
          onClose={() => setAdding(false)}
          categories={categories.data?.map((c) => c.name) ?? []}
          fields={fieldDefs.data ?? []}
        />
        <ImportFile
          open={importing}
          onClose={() => {
            if (location.hash === '#/catalog/import') history.replaceState(null, '', '#/catalog');
            setImporting(false);
          }}
          replaceSamples={location.hash === '#/catalog/import'}
        />
        <Confirm
          open={deleting !== null}
          title="Delete product"
          danger
          confirmLabel="Delete"
          message={
            <>
              Delete <strong>{deleting?.name}</strong> ({deleting?.sku})? You can undo it right after, or later from Recent changes.
            </>
          }
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const p = deleting!;
            setDeleting(null);
            try {
              await api.deleteProduct({ id: p.id });
              toast('success', `Deleted ${p.name}`, {
                label: 'Undo',
                run: () =>
                  void undoOwn(p.id, 'delete').then(
                    () => {
                      toast('success', `${p.name} is back`);
                      grid.current?.refreshInfiniteCache();
                    },
                    (err: Error) => toast('error', `Not undone: ${err.message}`),
                  ),
              });
              grid.current?.refreshInfiniteCache();
            } catch (err) {
              toast('error', (err as Error).message);
            }
          }}
        />
        <History />
        <Imports />
      </div>
    </section>
  );
}
