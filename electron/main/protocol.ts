import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { UI_CSP, VIEW_CSP, viewFile, viewPath } from '../core/csp.js';
import { APP_HOST, APP_SCHEME } from './security.js';

/** Must run before app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built UI from the packaged files, with the CSP header; nothing outside rendererDir. */
export function serveRenderer(rendererDir: string): void {
  const root = path.resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    // MCP Apps views (Try it) live beside the UI in dist/views, with their own policy.
    const view = viewFile(url.pathname);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = view ? viewPath(root, view) : path.resolve(root, rel);
    if (url.host !== APP_HOST || (!view && !file.startsWith(root + path.sep) && file !== root))
      return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', view ? VIEW_CSP : UI_CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
