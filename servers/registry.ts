/**
 * Every server MCP Tray hosts: the one list everything iterates (the settings schema, the UI
 * contract, the host, the HTTP endpoint, the CLI, the .mcpb builder). A third server is its folder
 * (definition.ts, main.ts, its tools) and one line here; the build and `mcp-tray server` find its
 * main.ts. Light to load: a definition opens its data (and loads its server code) only when asked.
 */
import { products } from './products/definition.js';
import { weather } from './weather/definition.js';

export const SERVERS = { products, weather } as const;

export type ServerName = keyof typeof SERVERS;
export const SERVER_NAMES = Object.keys(SERVERS) as [ServerName, ...ServerName[]];
export const SERVER_TITLES = Object.fromEntries(SERVER_NAMES.map((n) => [n, SERVERS[n].title])) as Record<ServerName, string>;
