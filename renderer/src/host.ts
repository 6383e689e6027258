/**
 * The renderer's way to the host: the preload's API inside Electron, HTTP + server-sent events in
 * the headless shell. Only types come from the contract, so nothing of the host is bundled here.
 */
import type { HostApi, HostErrorBody, HostEvent, MethodName } from '../../electron/core/contract';

export interface DesktopBridge {
  api: HostApi;
  onEvent: (listener: (event: HostEvent) => void) => () => void;
  platform: string;
}

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser. */
    mcpTray?: DesktopBridge;
  }
}

export class HostCallError extends Error {
  constructor(
    message: string,
    readonly code: HostErrorBody['code'] | 'network',
  ) {
    super(message);
  }
}

function httpApi(): HostApi {
  const call = async (method: MethodName, args: unknown) => {
    let res: Response;
    try {
      res = await fetch(`./api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      throw new HostCallError('MCP Tray is not answering. Is it still running?', 'network');
    }
    const body = (await res.json().catch(() => ({}))) as { result?: unknown } & Partial<HostErrorBody>;
    if (!res.ok) {
      if (res.status === 401)
        throw new HostCallError('This page is not authorised. Open the address that "mcp-tray serve" printed.', 'invalid');
      throw new HostCallError(body.error ?? `Request failed (HTTP ${res.status})`, body.code ?? 'internal');
    }
    return body.result;
  };
  return new Proxy({} as HostApi, { get: (_t, name) => (args: unknown) => call(name as MethodName, args) });
}

function httpEvents(listener: (event: HostEvent) => void): () => void {
  const source = new EventSource('./api/events', { withCredentials: true });
  source.onmessage = (m) => listener(JSON.parse(m.data) as HostEvent);
  return () => source.close();
}

export const api: HostApi = window.mcpTray?.api ?? httpApi();

const listeners = new Set<(event: HostEvent) => void>();
let unsubscribe: (() => void) | undefined;

/** Subscribes to host events; returns the unsubscribe function. One connection is shared. */
export function onHostEvent(listener: (event: HostEvent) => void): () => void {
  listeners.add(listener);
  unsubscribe ??= (window.mcpTray?.onEvent ?? httpEvents)((e) => listeners.forEach((l) => l(e)));
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      unsubscribe?.();
      unsubscribe = undefined;
    }
  };
}

// The token has done its job (the server set a cookie): keep it out of the address bar and history.
if (new URLSearchParams(location.search).has('token')) history.replaceState(null, '', location.pathname + location.hash);
