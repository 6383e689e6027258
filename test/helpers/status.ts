import type { ServerStatus } from '../../electron/core/contract.js';

/** A server's status as the host reports it: a stopped products server unless told otherwise. */
export const serverStatus = (over: Partial<ServerStatus> = {}): ServerStatus => ({
  name: 'products',
  title: over.name === 'weather' ? 'Weather' : 'Product catalog',
  enabled: true,
  state: 'stopped',
  seq: 1,
  pid: null,
  startedAt: null,
  restarts: 0,
  crashesInWindow: 0,
  lastError: null,
  nextRestartAt: null,
  tools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
  ...over,
});
