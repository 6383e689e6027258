import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerName } from '../names.js';
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

/** A server's data, open: any number of servers (one per session) are built over it. */
export interface ServerData {
  create: (settings: Settings, observe: Observe) => BuiltServer;
  /** Follows changed settings with no server built yet (the catalog moved: open it where it lives now). */
  applySettings?: (settings: Settings) => void;
  /** Closes what open() opened (nothing, when the data was lent by the caller). */
  close: () => Promise<void>;
}

/** What a server is, for everything that runs one (its stdio entry, the host's HTTP endpoint). */
export interface ServerDefinition {
  name: ServerName;
  title: string;
  /** Opens (and migrates) the server's data for a data folder, where its settings say it lives. */
  open: (files: ReturnType<typeof dataFiles>, settings: Settings) => Promise<ServerData>;
}
