/**
 * The only bridge between the page and the app: named host methods and an event subscription,
 * exposed with contextBridge. The page never sees ipcRenderer, Node or Electron.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, METHOD_NAMES, ipcChannel } from '../core/methods.js';
import type { HostApi, HostEvent } from '../core/contract.js';
import type { DesktopBridge } from './bridge.js';
import type { IpcReply } from '../main/ipc.js';

class HostCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const api = Object.fromEntries(
  METHOD_NAMES.map((method) => [
    method,
    async (args?: unknown) => {
      const reply = (await ipcRenderer.invoke(ipcChannel(method), args ?? {})) as IpcReply;
      if (!reply.ok) throw new HostCallError(reply.error, reply.code);
      return reply.result;
    },
  ]),
) as unknown as HostApi; // one function per METHOD_NAMES entry: the shape HostApi describes

const bridge = {
  api,
  onEvent(listener: (event: HostEvent) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: HostEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('mcpTray', bridge);
