/**
 * The only bridge between the page and the app: named host methods and an event subscription,
 * exposed with contextBridge. The page never sees ipcRenderer, Node or Electron.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, METHOD_NAMES, ipcChannel, type IpcReply } from '../core/methods.js';
import type { HostApi, HostEvent } from '../core/contract.js';
import type { DesktopBridge, HostErrorReason } from './bridge.js';

const api = Object.fromEntries(
  METHOD_NAMES.map((method) => [
    method,
    async (args?: unknown) => {
      const reply = (await ipcRenderer.invoke(ipcChannel(method), args ?? {})) as IpcReply;
      // A plain object, not an Error: contextBridge copies an Error's message only, and the page
      // needs the code (renderer/src/host.ts makes it a HostCallError again).
      if (!reply.ok) throw { message: reply.error, code: reply.code } satisfies HostErrorReason;
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
