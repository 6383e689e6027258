import { useEffect, useState } from 'react';
import type { ImportPreview, ImportProgress } from '../../../../electron/core/contract';
import { TYPE_NAMES } from '../../../../servers/products/field-types';
import { api, onHostEvent } from '../../host';
import { Dialog, useToast } from '../../components/ui';

const PHASE_WORDS: Record<ImportProgress['phase'], string> = {
  backup: 'Keeping a copy of the catalog as it is first',
  writing: 'Importing',
  reverting: 'Cancelling: putting the catalog back as it was',
};

const isSpreadsheet = (f: File) => /\.xlsx$/i.test(f.name);

/** The file's bytes as base64 (a spreadsheet goes to the host that way). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`Cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/**
 * Import products from a CSV or Excel file: preview (counts, per-line errors, which sheet), then a
 * write with a progress bar that can be cancelled mid-way (what was written is rolled back).
 */
export function ImportFile({ open, onClose, replaceSamples = false }: { open: boolean; onClose: () => void; replaceSamples?: boolean }) {
  /** Remove the sample products once the file is in (offered when Home's "Replace the samples" opened this). */
  const [dropSamples, setDropSamples] = useState(replaceSamples);
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [skip, setSkip] = useState(false);
  /** Columns the catalog has no field for: added as fields (the default here), or left out. */
  const [newColumns, setNewColumns] = useState<'add' | 'leave-out'>('add');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [writing, setWriting] = useState(false);

  useEffect(() => {
    if (!preview) return;
    return onHostEvent((e) => {
      if (e.type === 'import-progress' && e.token === preview.token) setProgress(e);
    });
  }, [preview]);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setError(null);
    setSkip(false);
    setProgress(null);
  };
  const close = () => {
    // Closing while it writes would hide a running import: the Cancel button stops it instead.
    if (writing) return;
    if (preview) void api.cancelImport({ token: preview.token });
    reset();
    onClose();
  };
  const read = async (f: File, sheet?: string) => {
    setError(null);
    if (preview) void api.cancelImport({ token: preview.token });
    setPreview(null);
    setBusy(`Reading ${f.name}…`);
    try {
      const input = isSpreadsheet(f)
        ? { xlsx: await readBase64(f), file: f.name, ...(sheet ? { sheet } : {}) }
        : { csv: await f.text(), file: f.name };
      setPreview(await api.previewImport(input));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    void read(f);
  };
  const commit = async () => {
    if (!preview) return;
    setWriting(true);
    setProgress({ token: preview.token, phase: 'writing', done: 0, total: preview.valid });
    try {
      const r = await api.commitImport({ token: preview.token, skipInvalid: skip, ...(preview.newColumns.length ? { newColumns } : {}) });
      if (r.cancelled) toast('info', 'Import cancelled: nothing was changed');
      else {
        toast(
          'success',
          `Imported: ${r.added.toLocaleString()} added, ${r.updated.toLocaleString()} updated${r.skipped ? `, ${r.skipped} ${r.skipped === 1 ? 'row' : 'rows'} skipped` : ''}`,
        );
        if (replaceSamples && dropSamples) {
          const { removed } = await api.removeSampleProducts();
          if (removed) toast('success', `Removed the ${removed} sample products (each can be undone in Recent changes)`);
        }
      }
      setWriting(false);
      reset();
      onClose();
    } catch (err) {
      setError((err as Error).message);
      setWriting(false);
      setProgress(null);
    }
  };
  const percent = progress && progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;
  return (
    <Dialog title="Import products from a file" open={open} onClose={close} wide>
      <p className="muted">
        A CSV or Excel (.xlsx) file with the columns name, price, category (required), stock, sku, description. A row whose SKU exists
        updates that product. A copy of the catalog is kept first, and the whole import can be undone later.
      </p>
      <label htmlFor="import-file">File</label>{' '}
      <input
        id="import-file"
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        disabled={writing}
        onChange={(e) => choose(e.target.files?.[0])}
      />
      {file && preview?.sheets && preview.sheets.length > 1 && (
        <p>
          <label htmlFor="import-sheet">Sheet</label>{' '}
          <select id="import-sheet" value={preview.sheet} disabled={writing} onChange={(e) => void read(file, e.target.value)}>
            {preview.sheets.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </p>
      )}
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
      {preview && !writing && (
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
          {preview.newColumns.length > 0 && (
            <fieldset className="new-columns" data-testid="new-columns">
              <legend>
                {preview.newColumns.length === 1 ? '1 column is new' : `${preview.newColumns.length} columns are new`}:{' '}
                {preview.newColumns.map((c) => `${c.label} (${TYPE_NAMES[c.type].toLowerCase()})`).join(', ')}
              </legend>
              <label>
                <input type="radio" name="new-columns" checked={newColumns === 'add'} onChange={() => setNewColumns('add')} /> Add{' '}
                {preview.newColumns.length === 1 ? 'it' : 'them'} as fields of the catalog (AI apps see them too)
              </label>
              <label>
                <input type="radio" name="new-columns" checked={newColumns === 'leave-out'} onChange={() => setNewColumns('leave-out')} />{' '}
                Leave {preview.newColumns.length === 1 ? 'it' : 'them'} out
              </label>
            </fieldset>
          )}
          {preview.leftOut.length > 0 && (
            <p className="muted">Not imported (a name the catalog uses for itself): {preview.leftOut.join(', ')}</p>
          )}
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
      {writing && progress && (
        <div className="import-progress">
          <label htmlFor="import-bar">
            {PHASE_WORDS[progress.phase]}… {percent}%
            {progress.phase === 'backup' ? '' : ` (${progress.done.toLocaleString()} of ${progress.total.toLocaleString()})`}
          </label>
          <progress id="import-bar" max={100} value={percent} />
          <p className="muted">Claude and other apps can keep using the catalog meanwhile.</p>
        </div>
      )}
      {replaceSamples && (
        <label className="check-line">
          <input type="checkbox" checked={dropSamples} onChange={(e) => setDropSamples(e.target.checked)} /> Remove the sample products
          (Widget A, Gadget X…) once my file is in
        </label>
      )}
      <div className="actions">
        {writing ? (
          <button
            type="button"
            disabled={progress?.phase === 'reverting'}
            onClick={() => preview && void api.cancelImport({ token: preview.token })}
          >
            Cancel import
          </button>
        ) : (
          <button type="button" onClick={close}>
            Cancel
          </button>
        )}
        <button
          type="button"
          className="primary"
          disabled={!preview || busy !== null || writing || (preview.errors.length > 0 && !skip) || preview.valid === 0}
          onClick={commit}
        >
          Import {preview ? preview.valid.toLocaleString() : ''} products
        </button>
      </div>
    </Dialog>
  );
}
