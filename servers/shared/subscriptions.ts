import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/**
 * resources/subscribe support, which McpServer leaves to us. `isKnown` decides which URIs can be
 * subscribed to (an unknown one is the spec's resource-not-found error, -32602); `notify` sends
 * notifications/resources/updated to every subscribed URI that `affected` selects.
 * Call before connect(): capabilities cannot change afterwards.
 */
export function enableSubscriptions(server: McpServer, isKnown: (uri: string) => boolean) {
  const subscribed = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (req) => {
    if (!isKnown(req.params.uri)) {
      throw new McpError(ErrorCode.InvalidParams, `Resource ${req.params.uri} not found`, { uri: req.params.uri });
    }
    subscribed.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    subscribed.delete(req.params.uri);
    return {};
  });
  return {
    notify(affected: (uri: string) => boolean = () => true) {
      if (!server.isConnected()) return;
      for (const uri of subscribed) {
        if (affected(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {});
      }
    },
  };
}
