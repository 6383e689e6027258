import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerName } from '../names.js';
import type { Db } from './db.js';
import type { dataFiles } from './datadir.js';
import type { Settings } from './settings-schema.js';

export type Observe = (tool: string, at: Date, ms: number, error?: string) => void;

/** A tool as the person's switches see it. */
export interface ToolSwitchInfo {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
}

/** A running server: the SDK server, how it follows changed settings, how it stops. */
export interface BuiltServer {
  server: McpServer;
  /** Every tool it has, listed or switched off. */
  tools: () => ToolSwitchInfo[];
  applySettings: (settings: Settings) => void;
  close: () => Promise<void>;
}

/** What a server is, for everything that runs one (its stdio entry, the host's HTTP endpoint). */
export interface ServerDefinition {
  name: ServerName;
  title: string;
  /** Opens (and migrates) the server's database in a data folder. */
  open: (files: ReturnType<typeof dataFiles>) => Db;
  /** Builds the server over an open database (which stays the caller's to close). */
  create: (db: Db, settings: Settings, observe: Observe) => BuiltServer;
}
