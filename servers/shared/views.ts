import fs from 'node:fs';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/server';
import { ProtocolErrorCode, ProtocolError } from '@modelcontextprotocol/server';

/** ext-apps' RESOURCE_MIME_TYPE (its helpers are not bundled into the servers: see appToolMeta in tooling.ts). */
export const RESOURCE_MIME_TYPE = 'text/html;profile=mcp-app';

/**
 * MCP Apps views: each is one self-contained HTML file built from views/<name>/ into dist/views/
 * (build/views.mjs). A server serves it as a ui:// resource that clients with views (Claude
 * Desktop, claude.ai) render beside a tool's answer.
 */
const here = typeof __dirname === 'string' ? __dirname : process.cwd();
/** dist/servers (a server bundle), dist (the CLI), dist/electron (the desktop main), or the checkout (tests from source). */
const CANDIDATES = [
  path.join(here, '..', 'views'),
  path.join(here, 'views'),
  path.join(here, '..', '..', 'dist', 'views'),
  path.resolve('dist', 'views'),
];

const cache = new Map<string, string>();

export function viewHtml(name: string): string | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  for (const dir of CANDIDATES) {
    const file = path.join(dir, `${name}.html`);
    try {
      const html = fs.readFileSync(file, 'utf8');
      cache.set(name, html);
      return html;
    } catch {
      /* next place */
    }
  }
  return null;
}

/** No network at all: the view renders from the tool result it is given and calls tools through the host. */
const UI_META = { ui: { csp: { connectDomains: [] as string[], resourceDomains: [] as string[] }, prefersBorder: true } };

export function registerView(server: McpServer, view: { name: string; uri: string; title: string; description: string }): void {
  // What ext-apps' registerAppResource does: a resource whose MIME type marks it as an app view.
  server.registerResource(
    view.name,
    view.uri,
    { title: view.title, description: view.description, mimeType: RESOURCE_MIME_TYPE, _meta: UI_META },
    async () => {
      const html = viewHtml(view.name);
      if (html === null)
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          `The ${view.title} view is missing from this install (dist/views/${view.name}.html)`,
        );
      return { contents: [{ uri: view.uri, mimeType: RESOURCE_MIME_TYPE, text: html, _meta: UI_META }] };
    },
  );
}
