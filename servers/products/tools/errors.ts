import { ToolError } from '../../shared/tooling.js';
import { StoreError } from '../store.js';

/** Store failures the model can fix (not found, SKU taken, undo conflicts) become tool errors. */
export function storeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) throw new ToolError(err.message);
    throw err;
  }
}
