/** The servers area of the host API: switching servers and their tools on and off, restarts, logs, trying a tool, live activity. */
import * as z from 'zod';
import { ServerName, ToolName } from './common.js';
import type { Settings } from './app.js';

export const schemas = {
  setServerEnabled: z.strictObject({ server: ServerName, enabled: z.boolean() }),
  restartServer: z.strictObject({ server: ServerName }),
  getLogs: z.strictObject({ server: ServerName, limit: z.number().int().min(1).max(5000).optional() }),
  callTool: z.strictObject({ server: ServerName, tool: z.string().min(1).max(128), args: z.record(z.string(), z.unknown()) }),
  setToolEnabled: z.strictObject({ server: ServerName, tool: ToolName, enabled: z.boolean() }),
  getActivity: z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
};

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed' | 'crash-loop';

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  annotations?: Record<string, unknown>;
  /** The MCP Apps view (ui:// resource) that shows this tool's result, when it has one. */
  ui?: string;
}

export interface ServerStatus {
  name: ServerName;
  title: string;
  enabled: boolean;
  state: ServerState;
  /**
   * Grows with every change of this status (and never goes back, not even across a host restart).
   * Snapshots and events travel by different channels; the one with the larger `seq` is the newer.
   */
  seq: number;
  pid: number | null;
  startedAt: string | null;
  restarts: number;
  crashesInWindow: number;
  lastError: string | null;
  nextRestartAt: string | null;
  tools: ToolInfo[];
  resources: Array<{ uri: string; name: string; title?: string }>;
  resourceTemplates: Array<{ uriTemplate: string; name: string; title?: string }>;
  prompts: Array<{ name: string; title?: string; description?: string }>;
}

export interface LogLine {
  seq: number;
  server: ServerName;
  at: string;
  stream: 'stderr' | 'host';
  text: string;
}

export interface ToolSwitch {
  name: string;
  title: string;
  description: string;
  readOnly: boolean;
  /** Listed to AI apps right now. */
  on: boolean;
  /** Off because the server's switch for changing data is off (products: "Allow AI to change the catalog", allowWrites). */
  blockedBy: string | null;
}

export interface Connection {
  instanceId: string;
  server: string;
  client: string;
  clientVersion: string | null;
  pid: number;
  startedAt: string;
  lastActive: string;
  ownInstance: boolean;
  /** The protocol the app speaks: 'legacy' (2025, with initialize) or 'modern' (2026-07-28); null until its first message. */
  era: 'legacy' | 'modern' | null;
}

export interface ToolCallInfo {
  id: number;
  server: string;
  client: string;
  tool: string;
  at: string;
  durationMs: number;
  ok: boolean;
  error: string | null;
}

export interface Results {
  setServerEnabled: ServerStatus;
  restartServer: ServerStatus;
  getLogs: LogLine[];
  callTool: { isError: boolean; result: unknown };
  setToolEnabled: Settings;
  getActivity: { connections: Connection[]; calls: ToolCallInfo[] };
}
