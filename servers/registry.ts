/**
 * Every server MCP Tray hosts: the one list everything iterates (the settings schema, the UI
 * contract, the host, the CLI, the .mcpb builder). A third server is its folder (definition.ts,
 * data.ts, main.ts, its tools), one line here and its opener in data.ts beside this file (a type
 * error until it is there); the build and `mcp-tray server` find its main.ts. Light: no server
 * code loads with it, so the window's contract types can be drawn from it.
 */
import { products } from './products/definition.js';
import { weather } from './weather/definition.js';

export const SERVERS = { products, weather } as const;

export type ServerName = keyof typeof SERVERS;
export const SERVER_NAMES = Object.keys(SERVERS) as [ServerName, ...ServerName[]];
export const SERVER_TITLES = Object.fromEntries(SERVER_NAMES.map((n) => [n, SERVERS[n].title])) as Record<ServerName, string>;
