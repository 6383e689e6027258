/** The clients area's handlers (api/clients.ts has its methods' schemas and results). */
import type { HostParts } from '../parts.js';
import type { AreaHandlers } from '../api/common.js';
import { type schemas, type Results } from '../api/clients.js';

export function handlers(p: HostParts): AreaHandlers<typeof schemas, Results> {
  return {
    listClients: async () => p.connectors().list(),
    connectClient: async ({ client, configPath }) => p.connectors().connect(client, configPath),
    disconnectClient: async ({ client, configPath }) => p.connectors().disconnect(client, configPath),
    listBackups: async ({ client, configPath }) => p.connectors().backups(client, configPath),
    restoreBackup: async ({ client, backup, configPath }) => p.connectors().restore(client, backup, configPath),
    fixConfig: async ({ client, configPath }) => p.connectors().fixConfig(client, configPath),
  };
}
