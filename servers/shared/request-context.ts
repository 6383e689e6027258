import { CLIENT_INFO_META_KEY, type McpServer, type ServerContext } from '@modelcontextprotocol/server';

/**
 * The connected app's name and version. A 2025 client said it once, in initialize; a 2026-07-28
 * client has no initialize and names itself in each request's envelope instead (`request`).
 */
export function clientInfo(server: McpServer, request?: ServerContext): { name?: string; version?: string } | undefined {
  return envelopeClient(request) ?? server.server.getClientVersion();
}

/** The client a 2026-07-28 request names in its envelope (undefined on 2025 requests, which carry none). */
export function envelopeClient(ctx: ServerContext | undefined): { name: string; version?: string } | undefined {
  const info = (ctx?.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_INFO_META_KEY] as
    { name?: unknown; version?: unknown } | undefined;
  if (!info || typeof info.name !== 'string') return undefined;
  return { name: info.name, ...(typeof info.version === 'string' ? { version: info.version } : {}) };
}
