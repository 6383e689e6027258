import { randomUUID } from 'node:crypto';
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { friendlyClientName } from '../shared/clients.js';
import { clientInfo } from '../shared/request-context.js';
import type { Catalog } from './catalog.js';
import type { Actor } from './schema.js';
import type { FieldDef } from './fields.js';
import type { FieldShapes } from './tool-shapes.js';

/** What tools, resources and prompts of the products server share. */
export interface ProductsContext {
  server: McpServer;
  /** The catalog (read at each call: it changes when the person moves the catalog elsewhere). */
  readonly store: Catalog;
  /** The connected client, as the change history should name it. */
  actor: (tool: string, request?: ServerContext) => Actor;
  /** Under how many in stock a product counts as low (the person's setting). */
  lowStockBelow: () => number;
  /** Tell subscribers the catalog changed (after our own writes): `all` and the categories touched. */
  changed: (categories: readonly string[]) => void;
  /** The catalog's own fields as the tools last learnt them, and the tools' schemas for them. */
  readonly fields: readonly FieldDef[];
  readonly shapes: FieldShapes;
}

/** One id per server instance: one connection of an AI app (a process over stdio, a session over HTTP). */
const sessions = new WeakMap<McpServer, string>();

export function clientActor(server: McpServer, tool: string, request?: ServerContext): Actor {
  let session = sessions.get(server);
  if (!session) sessions.set(server, (session = randomUUID()));
  return { source: 'mcp', client: friendlyClientName(clientInfo(server, request)?.name), tool, session };
}
