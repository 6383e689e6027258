/**
 * The renderer's way to the host: the preload's API inside Electron, HTTP + server-sent events in
 * the headless shell. Only types come from the contract, so nothing of the host is bundled here.
 */
import type { HostApi, HostErrorBody, HostEvent, MethodName } from '../../electron/core/contract';
import type { DesktopBridge, HostErrorReason } from '../../electron/preload/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser. */
    mcpTray?: DesktopBridge;
  }
}

/** A host call that failed; the message is meant for the person, the code lets the page react. */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly code?: HostErrorBody['code'],
  ) {
    super(message);
  }
}

/** The shared catalog's database cannot be reached right now. */
export const isUnavailable = (err: unknown) => err instanceof HostCallError && err.code === 'unavailable';

/**
 * The headless shell's token: taken from the printed address once, then kept in this tab's session
 * storage (not a cookie: cookies ignore ports, so every other server on 127.0.0.1 would get it) and
 * sent as an Authorization header. The address bar and history lose it at once.
 */
const TOKEN_KEY = 'mcp-tray-token';
const fromAddress = new URLSearchParams(location.search).get('token');
if (fromAddress) {
  sessionStorage.setItem(TOKEN_KEY, fromAddress);
  history.replaceState(null, '', location.pathname + location.hash);
}
const authorization = () => ({ authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` });

function httpApi(): HostApi {
  const call = async (method: MethodName, args: unknown) => {
    let res: Response;
    try {
      res = await fetch(`./api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authorization() },
        body: JSON.stringify(args ?? {}),
      });
    } catch {
      throw new HostCallError('MCP Tray is not answering. Is it still running?');
    }
    const body = (await res.json().catch(() => ({}))) as { result?: unknown } & Partial<HostErrorBody>;
    if (!res.ok) {
      if (res.status === 401)
        throw new HostCallError(
          'This page is not signed in (its tab was closed, or MCP Tray was started again). Run "mcp-tray open" in a terminal to open a signed-in page.',
        );
      throw new HostCallError(body.error ?? `Request failed (HTTP ${res.status})`, body.code);
    }
    return body.result;
  };
  return new Proxy({} as HostApi, { get: (_t, name) => (args: unknown) => call(name as MethodName, args) });
}

/** Server-sent events read through fetch (EventSource cannot send a header); reconnects like EventSource does. */
function httpEvents(listener: (event: HostEvent) => void): () => void {
  const abort = new AbortController();
  const read = async () => {
    while (!abort.signal.aborted) {
      try {
        const res = await fetch('./api/events', { headers: authorization(), signal: abort.signal, cache: 'no-store' });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (data) listener(JSON.parse(data) as HostEvent);
          }
        }
      } catch {
        /* the host went away or restarted: try again shortly */
      }
      if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void read();
  return () => abort.abort();
}

/** The desktop bridge's calls, their failures made HostCallErrors again (they cross it as plain objects). */
function desktopApi(bridge: HostApi): HostApi {
  return new Proxy({} as HostApi, {
    get: (_t, name) => async (args: unknown) => {
      try {
        return await (bridge[name as MethodName] as (a: unknown) => Promise<unknown>)(args);
      } catch (reason) {
        const r = reason as Partial<HostErrorReason> | null;
        throw new HostCallError(r?.message ?? String(reason), r?.code);
      }
    },
  });
}

export const api: HostApi = window.mcpTray ? desktopApi(window.mcpTray.api) : httpApi();

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
