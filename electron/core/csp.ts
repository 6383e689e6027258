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
