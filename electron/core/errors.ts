import type { HostErrorBody } from './contract.js';

/** A failure meant for the person using the app: its message is shown as it is. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(
    message: string,
    readonly code: HostErrorBody['code'] = 'invalid',
  ) {
    super(message);
  }
}
