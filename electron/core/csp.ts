import path from 'node:path';

/** The UI's Content-Security-Policy, the same in the desktop app and the headless shell: no eval, no remote code. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // AG Grid's theming API and React inline style attributes need inline styles; scripts stay locked down.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * An MCP Apps view (dist/views/*.html), framed by the Try it panel in a sandbox without
 * allow-same-origin: its own inline script and styles, no network, framed only by the app itself.
 */
export const VIEW_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** A view's file: dist/views/<name>.html, beside the built UI. */
export const viewPath = (rendererDir: string, name: string) => path.join(path.resolve(rendererDir), '..', 'views', `${name}.html`);

/** /views/<name>.html → the file's name, or null (anything else under /views/ is not served). */
export const viewFile = (route: string): string | null => /^\/views\/([a-z][a-z0-9-]{0,40})\.html$/.exec(route)?.[1] ?? null;
