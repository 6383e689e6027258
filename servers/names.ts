/**
 * The servers MCP Tray hosts, by name: the one list everything reads (the UI contract, the host, the
 * HTTP endpoint, the CLI). Dependency-free, so the renderer may import it. What each one *is* lives
 * in servers/registry.ts; the build and the `mcp-tray server` command find them as servers/<name>/main.ts.
 */
export const SERVER_NAMES = ['products', 'weather'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const SERVER_TITLES: Record<ServerName, string> = { products: 'Products', weather: 'Weather' };
