import { ProtocolError, ProtocolErrorCode, type McpServer } from '@modelcontextprotocol/server';

/** Which era a server instance serves: set by the entry that built it for a connection (serveStdio's factory, the HTTP endpoint). */
const eras = new WeakMap<McpServer, 'legacy' | 'modern'>();
export const setEra = (server: McpServer, era: 'legacy' | 'modern') => void eras.set(server, era);
export const eraOf = (server: McpServer): 'legacy' | 'modern' => eras.get(server) ?? 'legacy';

/**
 * Resource subscriptions on both protocol eras.
 * - 2025 (legacy): resources/subscribe and resources/unsubscribe, whose bookkeeping McpServer leaves
 *   to us. `isKnown` decides which URIs can be subscribed to (an unknown one is the spec's
 *   resource-not-found error, -32602); updates go to the subscribed URIs only.
 * - 2026-07-28 (modern): the client names the URIs in its subscriptions/listen stream and the entry
 *   (serveStdio, or the HTTP endpoint's notifier) filters delivery, so every affected URI is sent.
 * Call before connect(): capabilities cannot change afterwards.
 */
export function enableSubscriptions(server: McpServer, isKnown: (uri: string) => boolean) {
  const subscribed = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler('resources/subscribe', (req) => {
    if (!isKnown(req.params.uri)) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${req.params.uri} not found`, { uri: req.params.uri });
    }
    subscribed.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', (req) => {
    subscribed.delete(req.params.uri);
    return {};
  });
  return {
    /**
     * Sends notifications/resources/updated for the URIs `affected` selects: on 2025 connections
     * among those subscribed, on 2026 ones among `candidates` (the URIs a change can touch).
     */
    notify(affected: (uri: string) => boolean = () => true, candidates: () => Iterable<string> | Promise<Iterable<string>> = () => []) {
      if (!server.isConnected()) return;
      if (eraOf(server) === 'modern') {
        void Promise.resolve(candidates()).then(
          (uris) => {
            for (const uri of uris) if (affected(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {});
          },
          () => {},
        );
        return;
      }
      for (const uri of subscribed) {
        if (affected(uri)) server.server.sendResourceUpdated({ uri }).catch(() => {});
      }
    },
  };
}
