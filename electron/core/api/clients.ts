/** The clients area of the host API: the AI apps' config files, connecting and disconnecting them, their backups. */
import * as z from 'zod';
import { ClientId, configPath, none, type ServerName } from './common.js';

export const schemas = {
  listClients: none,
  connectClient: z.strictObject({ client: ClientId, configPath }),
  disconnectClient: z.strictObject({ client: ClientId, configPath }),
  listBackups: z.strictObject({ client: ClientId, configPath }),
  restoreBackup: z.strictObject({ client: ClientId, backup: z.string().min(1).max(255), configPath }),
  /** Applies the sure fix a broken config's status offers (a backup is made first). */
  fixConfig: z.strictObject({ client: ClientId, configPath }),
};

export type ClientState = 'not-installed' | 'not-connected' | 'connected' | 'outdated' | 'entry-missing' | 'error';

/** A line of a file, for showing where a config breaks. */
export interface ExcerptLine {
  n: number;
  text: string;
}

export interface ConfigProblem {
  line: number;
  column: number;
  reason: string;
  /** The lines around the place it breaks (the broken one is `line`). */
  excerpt: ExcerptLine[];
  /** An unambiguous fix, with the lines as they would be after it. */
  fix: { description: string; excerpt: ExcerptLine[] } | null;
}

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
  /** The file does not read: where, the lines around it, and a sure fix when there is one (fixConfig applies it). */
  problem: ConfigProblem | null;
}

export interface ConnectResult {
  status: ClientStatus;
  changed: boolean;
  backup: string | null;
  message: string;
}

/** What made a backup of a config (it is of the file just before that). */
export const BACKUP_KINDS = ['connect', 'disconnect', 'repair', 'restore', 'fix'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface Backup {
  file: string;
  at: string;
  size: number;
  /** What made it (the file as it was just before that); null for backups older than that record. */
  kind: BackupKind | null;
  /** "Before Connect", "Before an automatic repair", … */
  label: string;
  /** What putting it back would change in the file as it is now: "puts back filesystem; removes mcp-tray-weather". */
  restoring: string;
}

export interface Results {
  listClients: ClientStatus[];
  connectClient: ConnectResult;
  disconnectClient: ConnectResult;
  listBackups: Backup[];
  restoreBackup: ConnectResult;
  fixConfig: ConnectResult;
}
