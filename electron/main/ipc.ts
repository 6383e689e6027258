import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { type HostError } from '../core/errors.js';
import { METHOD_NAMES, ipcChannel, type IpcReply } from '../core/methods.js';
import { isTrustedSender } from './security.js';

/** What crosses IPC: a result or an error body (Electron would otherwise mangle error messages). */

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: (method: string, args: unknown) => Promise<unknown>;
  /** The webContents id of our own window (undefined while it does not exist). */
  ownWebContentsId: () => number | undefined;
}

export function senderOf(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame !== undefined && frame.parent === null,
  };
}

/**
 * One handler per host method. Every call is checked: it must come from our own window's top
 * frame showing our own page; then the host validates the arguments (zod) before anything runs.
 */
export function registerHostIpc(deps: IpcDeps): () => void {
  for (const method of METHOD_NAMES) {
    deps.ipcMain.handle(ipcChannel(method), async (event, args: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(senderOf(event), deps.ownWebContentsId())) {
        return { ok: false, error: 'Refused: this call did not come from the MCP Tray window', code: 'invalid' };
      }
      try {
        return { ok: true, result: await deps.dispatch(method, args) };
      } catch (err) {
        const e = err as HostError; // dispatch turns every failure into a HostError
        return { ok: false, error: e.message, code: e.code };
      }
    });
  }
  return () => METHOD_NAMES.forEach((m) => deps.ipcMain.removeHandler(ipcChannel(m)));
}
