/**
 * The one failure a person or a model can act on (unknown id, SKU taken, undo conflict, bad value,
 * live weather unavailable), with a code. Mapped once per boundary: the tool kit makes it an
 * isError result, the host's dispatch a HostError with the same code, a resource read error -32602.
 */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly code: 'not_found' | 'conflict' | 'invalid',
  ) {
    super(message);
  }
}
