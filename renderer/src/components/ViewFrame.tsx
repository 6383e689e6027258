import { useEffect, useRef, useState } from 'react';
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { McpUiHostContext, McpUiStyles } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerName } from '../../../electron/core/contract';
import { api } from '../host';
import { useDarkMode } from '../hooks';

/** Our theme, in the style variables MCP Apps views read (the names Claude gives them). */
function hostContext(dark: boolean): McpUiHostContext {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    theme: dark ? 'dark' : 'light',
    styles: {
      variables: {
        '--color-background-primary': v('--panel'),
        '--color-background-secondary': v('--bg'),
        '--color-text-primary': v('--text'),
        '--color-text-secondary': v('--muted'),
        '--color-border-primary': v('--border'),
        '--color-text-success': v('--ok'),
        '--color-text-warning': v('--warn'),
        '--color-text-danger': v('--bad'),
        '--color-ring-primary': v('--focus'),
        '--font-sans': css.fontFamily,
        // Hosts may give any subset; the views fall back to their own values for the rest.
      } as Partial<McpUiStyles> as McpUiStyles,
    },
  };
}

/**
 * Shows a tool's MCP Apps view as Claude would: the view's HTML in a sandboxed frame (scripts, but
 * no same-origin access: it cannot reach this page, its storage or the host API), the tool's
 * arguments and result delivered through the ext-apps AppBridge, and the view's own tool calls
 * sent to the same server.
 */
export function ViewFrame({
  server,
  uri,
  args,
  result,
}: {
  server: ServerName;
  uri: string;
  args: Record<string, unknown>;
  result: CallToolResult;
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  const bridgeRef = useRef<AppBridge | null>(null);
  const [height, setHeight] = useState(320);
  const [error, setError] = useState<string | null>(null);
  const dark = useDarkMode();
  const name = uri.replace(/^ui:\/\/[^/]+\//, '');

  useEffect(() => {
    const iframe = frame.current;
    if (!iframe) return;
    const bridge = new AppBridge(
      null,
      { name: 'MCP Tray', version: '1.0.0' },
      { serverTools: {}, logging: {} },
      { hostContext: hostContext(dark) },
    );
    bridgeRef.current = bridge;
    bridge.oncalltool = async (params) => {
      const r = await api.callTool({ server, tool: params.name, args: params.arguments ?? {} });
      const failure = (r.result as { error?: { message?: string } }).error;
      // A protocol error (unknown or switched-off tool) goes back to the view as one, as Claude would.
      if (failure) throw new Error(failure.message ?? 'the tool call failed');
      return r.result as CallToolResult;
    };
    bridge.onsizechange = ({ height: h }) => {
      if (typeof h === 'number' && h > 0) setHeight(Math.min(Math.ceil(h), 900));
    };
    bridge.oninitialized = () => {
      void bridge.sendToolInput({ arguments: args });
      void bridge.sendToolResult(result);
    };
    const connect = () => {
      const win = iframe.contentWindow;
      if (!win) return;
      bridge.connect(new PostMessageTransport(win, win)).catch((e: Error) => setError(e.message));
    };
    iframe.addEventListener('load', connect, { once: true });
    return () => {
      iframe.removeEventListener('load', connect);
      bridgeRef.current = null;
      void bridge.close();
    };
    // Rebuilt for a new result (args come with it); the theme follows below without a reload.
  }, [server, uri, result]);

  useEffect(() => {
    bridgeRef.current?.setHostContext(hostContext(dark));
  }, [dark]);

  return (
    <section aria-label="What Claude shows" className="view-preview">
      <h3>What Claude shows with this answer</h3>
      {error && <p className="error-text">{error}</p>}
      <iframe
        key={JSON.stringify(result)}
        ref={frame}
        title={`${name} view`}
        sandbox="allow-scripts"
        src={`./views/${encodeURIComponent(name)}.html`}
        style={{ height }}
        className="view-frame"
      />
    </section>
  );
}
