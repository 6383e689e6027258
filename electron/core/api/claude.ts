/** The Claude area of the host API: Home's checklist, Claude Desktop's own logs, the doctor's checks, Claude extensions (.mcpb). */
import * as z from 'zod';
import { ServerName, none } from './common.js';
import type { ClientStatus } from './clients.js';

export const schemas = {
  getSetup: none,
  getClaudeLogs: none,
  runChecks: z.strictObject({ startServers: z.boolean().default(true) }),
  getExtensions: none,
  buildExtensions: z.strictObject({ outDir: z.string().min(1).max(4096).optional(), release: z.boolean().default(false) }),
  installExtension: z.strictObject({ server: ServerName }),
  getExtensionFile: z.strictObject({ server: ServerName }),
};

/** What Claude Desktop's own logs say about one of our servers (see electron/core/claude/). */
export type ClaudeServerState = 'never' | 'starting' | 'ok' | 'stopped' | 'failing';
export interface ClaudeLogEntry {
  server: ServerName;
  /** How people see the server ("Product catalog"). */
  title: string;
  /** The config entry's name (mcp-tray-products). */
  entry: string;
  state: ClaudeServerState;
  lastStartAt: string | null;
  lastOkAt: string | null;
  /** An earlier error that a later successful start put behind: history, not a problem. */
  resolvedErrorAt: string | null;
  /** The current failure: Claude's line quoted exactly, what it means, what to do. */
  problem: { at: string; quote: string; file: string; context: string[]; meaning: string; next: string } | null;
}
export interface ClaudeLogReport {
  dir: string;
  /** Whether Claude Desktop's logs folder exists at all. */
  found: boolean;
  servers: ClaudeLogEntry[];
}

/** Where the app runs from, and whether that place survives a restart. */
export interface InstallLocation {
  /** The program client entries run. */
  command: string;
  /** Set when it is a temporary place (a disk image, App Translocation, an AppImage mount, a temp folder): why, in plain words. */
  temporary: string | null;
  /** The desktop app can move itself to Applications (macOS). */
  canMove: boolean;
}

/** One check of `mcp-tray doctor` (and the Apps page). */
export interface Check {
  id: string;
  ok: boolean;
  title: string;
  detail: string;
  /** The next step when it is not ok. */
  next: string | null;
}
export interface CheckReport {
  ok: boolean;
  checks: Check[];
}

export type StepState = 'done' | 'todo' | 'waiting' | 'problem';
export interface SetupStep {
  id: 'data' | 'connect' | 'restart' | 'try' | 'using';
  state: StepState;
  title: string;
  detail: string;
}
/** The Home page's checklist, from real signals: configs, activity and Claude's own logs. */
export interface SetupStatus {
  /** Every step that matters is done: Claude is connected, started our servers and nothing is failing. */
  ok: boolean;
  /** One line for the tray menu and the top of the Home page. */
  summary: string;
  steps: SetupStep[];
  claude: ClientStatus;
  claudeLogs: ClaudeLogReport;
  /** Claude Desktop's latest tool call through our servers. */
  lastCall: { server: string; tool: string; at: string } | null;
  /** Servers Claude Desktop has open right now (from the activity the servers record). */
  liveServers: string[];
  /** `samples`: the catalog still holds just the sample products (Home offers to replace them). */
  data: { products: number; samples: boolean; cities: number; running: number; enabled: number };
  install: InstallLocation;
  /** Requests to paste into Claude, for the servers that are on. */
  examples: string[];
  /** How to quit and reopen Claude Desktop on this computer's OS. */
  restartHow: string;
  /** Set after MCP Tray put back entries Claude dropped, until Claude starts our servers again. */
  repaired: { client: string; at: string } | null;
}

/** MCP Tray's servers as Claude Desktop extensions (.mcpb): the second route into Claude. */
export interface ExtensionsState {
  /** Where the bundles are built (extensions/ in the data folder). */
  dir: string;
  built: Array<{ server: ServerName; file: string; at: string; bytes: number }>;
  /** What Claude Desktop has installed (found best effort in its "Claude Extensions" folder). */
  installed: Array<{ server: ServerName; dir: string; version: string | null; enabled: boolean | null }>;
  claudeExtensionsDir: string;
  /** Servers with both routes at once (config entry and extension): Claude would show their tools twice. */
  conflicts: ServerName[];
  /** The desktop app can hand a bundle to Claude's installer (opens it with the OS). */
  canOpen: boolean;
}

export interface Results {
  getSetup: SetupStatus;
  getClaudeLogs: ClaudeLogReport;
  runChecks: CheckReport;
  getExtensions: ExtensionsState;
  buildExtensions: { dir: string; files: Array<{ server: ServerName; file: string; bytes: number }> };
  installExtension: { opened: boolean; file: string; message: string };
  getExtensionFile: { name: string; base64: string };
}
