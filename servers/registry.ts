/**
 * Every server MCP Tray hosts, by name. A third server adds a folder with its definition.ts and
 * main.ts, one name in names.ts and one line here; the build and `mcp-tray server` find its main.ts.
 */
import type { ServerName } from './names.js';
import type { ServerDefinition } from './shared/definition.js';
import { products } from './products/definition.js';
import { weather } from './weather/definition.js';

export const SERVERS: Record<ServerName, ServerDefinition> = { products, weather };
