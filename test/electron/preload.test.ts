import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../electron/core/methods.js';

vi.mock('electron', () => import('../helpers/fake-electron.js'));
const electron = await import('../helpers/fake-electron.js');
await import('../../electron/preload/preload.js');

describe('preload', () => {
  const bridge = electron.contextBridge.exposed.get('mcpTray') as {
    api: Record<string, (a?: unknown) => Promise<unknown>>;
    onEvent: (l: () => void) => () => void;
  };

  it('exposes one named method per host method, and never ipcRenderer itself', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['mcpTray']);
    expect(Object.keys(bridge.api).sort()).toEqual([...METHOD_NAMES].sort());
    expect(Object.keys(bridge)).toEqual(['api', 'onEvent']);
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|invoke|send/i);
  });

  it('calls the method’s own channel and turns an error reply into a thrown error', async () => {
    electron.ipcRenderer.reply = { ok: true, result: { total: 5 } };
    await expect(bridge.api.listProducts!({ limit: 1 })).resolves.toEqual({ total: 5 });
    expect(electron.ipcRenderer.invoked.at(-1)).toEqual(['host:listProducts', { limit: 1 }]);
    electron.ipcRenderer.reply = { ok: false, error: 'price must not be negative', code: 'invalid' };
    await expect(bridge.api.createProduct!({})).rejects.toThrow('price must not be negative');
  });

  it('subscriptions return an unsubscribe function', () => {
    const off = bridge.onEvent(() => {});
    expect(electron.ipcRenderer.on).toHaveBeenCalledWith('host:event', expect.any(Function));
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('host:event', expect.any(Function));
  });
});
