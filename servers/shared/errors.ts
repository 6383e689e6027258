/** A data-store failure a person or a model can act on: unknown id, SKU taken, undo conflict, bad value. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly code: 'not_found' | 'conflict' | 'invalid',
  ) {
    super(message);
  }
}
