/**
 * What the preload puts on `window.mcpTray`: one named method per host call and an event
 * subscription. Both ends are tied to this type by the compiler: the preload's object `satisfies`
 * it, and the renderer reads `window.mcpTray` through it. Types only: nothing of Electron or Node.
 */
import type { HostApi, HostErrorBody, HostEvent } from '../core/contract.js';

export interface DesktopBridge {
  api: HostApi;
  /** Returns the unsubscribe function. */
  onEvent: (listener: (event: HostEvent) => void) => () => void;
}

/** What a failed call rejects with across the bridge (a plain object keeps its code; an Error would not). */
export interface HostErrorReason {
  message: string;
  code: HostErrorBody['code'];
}
