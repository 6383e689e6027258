/**
 * What both views share: the connection to the host (the ext-apps App), the host's theme and
 * style variables, and a small element helper. Views render from the tool result the host sends
 * and never reach the network: everything else goes through the host as tool calls.
 */
import { App, applyDocumentTheme, applyHostFonts, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export function connectView(name: string, onResult: (result: CallToolResult, app: App) => void): App {
  const app = new App({ name, version: '1.0.0' });
  const theme = (ctx: Partial<McpUiHostContext> | undefined) => {
    if (!ctx) return;
    if (ctx.theme) applyDocumentTheme(ctx.theme);
    if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
    if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
  };
  app.ontoolresult = (result) => onResult(result as CallToolResult, app);
  app.onhostcontextchanged = theme;
  void app.connect().then(
    () => theme(app.getHostContext()),
    (err: Error) => showError(`Could not connect to the app showing this view: ${err.message}`),
  );
  return app;
}

/** The text of a tool result (what the model reads), for errors. */
export const resultText = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

type Child = Node | string | number | null | undefined | false;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

export function showError(message: string): void {
  const box = document.getElementById('status');
  if (box) {
    box.textContent = message;
    box.className = 'status error';
  }
}

export function showStatus(message: string): void {
  const box = document.getElementById('status');
  if (box) {
    box.textContent = message;
    box.className = 'status';
  }
}
