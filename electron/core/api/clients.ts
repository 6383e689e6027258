/** The clients area of the host API: the AI apps' config files, connecting and disconnecting them, their backups. */
import * as z from 'zod';
import { ClientId, configPath, none, type ServerName } from './common.js';

export const schemas = {
  listClients: none,
  connectClient: z.strictObject({ client: ClientId, configPath }),
  disconnectClient: z.strictObject({ client: ClientId, configPath }),
  listBackups: z.strictObject({ client: ClientId, configPath }),
  restoreBackup: z.strictObject({ client: ClientId, backup: z.string().min(1).max(255), configPath }),
};

export type ClientState = 'not-installed' | 'not-connected' | 'connected' | 'outdated' | 'entry-missing' | 'error';

export interface ClientStatus {
  id: ClientId;
  name: string;
  state: ClientState;
  configPath: string;
  /** Our entries as they are in the file now (name → entry). */
  entries: Record<string, unknown>;
  /** What connecting would write. */
  expected: Record<string, unknown>;
  /** Servers this client runs through an installed extension (Claude Desktop's .mcpb) rather than config entries. */
  extensions: ServerName[];
  /** Why the state is what it is (parse error with line and column, what differs). */
  detail: string | null;
  /** What the person should do next, in plain words. */
  nextStep: string;
  /**
   * The second way, for apps that take an install link (Cursor, VS Code, LM Studio): one link a
   * server, each adding the same entry through the app itself. Empty while our entries are in the
   * file (never both at once: the app would list every tool twice).
   */
  installLinks: Array<{ server: string; url: string }>;
}

export interface ConnectResult {
  status: ClientStatus;
  changed: boolean;
  backup: string | null;
  message: string;
}

export interface Backup {
  file: string;
  at: string;
  size: number;
}

export interface Results {
  listClients: ClientStatus[];
  connectClient: ConnectResult;
  disconnectClient: ConnectResult;
  listBackups: Backup[];
  restoreBackup: ConnectResult;
}
