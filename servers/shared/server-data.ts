/** A server's data opened in a process, and the servers built over it (the stdio entry has one, the host's HTTP endpoint one per session). */
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { DataFiles } from './datadir.js';
import type { Settings } from './settings-schema.js';

export type Observe = (tool: string, at: Date, ms: number, error?: string, ctx?: ServerContext) => void;

/** A running server: the SDK server, how it follows changed settings, how it stops. */
export interface BuiltServer {
  server: McpServer;
  applySettings: (settings: Settings) => void;
  close: () => Promise<void>;
}

/** A server's data, open: any number of servers (one per session) are built over it. */
export interface ServerData {
  create: (settings: Settings, observe: Observe) => BuiltServer;
  /** Follows changed settings with no server built yet (the catalog moved: open it where it lives now). */
  applySettings?: (settings: Settings) => void;
  /** Closes what open() opened (nothing, when the data was lent by the caller). */
  close: () => Promise<void>;
}

/**
 * Opens (and migrates) a server's data for a data folder, where its settings say it lives: each
 * server's data.ts, listed in servers/data.ts. Kept out of the definition, which the window's
 * contract types are drawn from: the window's program never loads server code.
 */
export interface OpenData {
  (files: DataFiles, settings: Settings): Promise<ServerData>;
}
