/** Friendly names for the clientInfo.name values that popular MCP clients send in `initialize`. */
const KNOWN_CLIENTS: Record<string, string> = {
  'claude-ai': 'Claude Desktop',
  'claude-code': 'Claude Code',
  'cursor-vscode': 'Cursor',
  'Visual Studio Code': 'VS Code',
  'Visual Studio Code - Insiders': 'VS Code Insiders',
  'windsurf-client': 'Windsurf',
  'mcp-tray': 'MCP Tray',
  'mcp-inspector': 'MCP Inspector',
};

export function friendlyClientName(name: string | undefined): string {
  if (!name) return 'Unknown client';
  return KNOWN_CLIENTS[name] ?? name;
}
