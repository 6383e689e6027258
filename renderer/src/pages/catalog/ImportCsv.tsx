import { useState } from 'react';
import type { ImportPreview } from '../../../../electron/core/contract';
import { api } from '../../host';
import { Dialog, useToast } from '../../components/ui';

export function ImportCsv({ open, onClose }: { open: boolean; onClose: () => void }) {
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
