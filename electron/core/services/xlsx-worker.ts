// Reads a workbook on a thread of its own (readProductXlsx in xlsx.ts starts it): a large sheet
// takes seconds of unzipping and XML parsing, during which the app's own thread must keep answering.
import { parentPort, workerData } from 'node:worker_threads';
import { parseProductXlsx } from './xlsx.js';
import { HostError } from '../errors.js';

const { file, sheet } = workerData as { file: Uint8Array; sheet?: string };
parseProductXlsx(Buffer.from(file.buffer, file.byteOffset, file.byteLength), sheet).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (err: unknown) =>
    parentPort!.postMessage({
      ok: false,
      message: err instanceof Error ? err.message : String(err),
      code: err instanceof HostError ? err.code : null,
      tooDeep: err instanceof RangeError,
    }),
);
