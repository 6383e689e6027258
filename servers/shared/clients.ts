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

/**
 * The names the other apps MCP Tray connects send vary with their versions ("gemini-cli-mcp-client",
 * "codex-mcp-client", "Zed", "opencode"…): matched by the app's name in them.
 */
const CLIENT_PATTERNS: Array<[RegExp, string]> = [
  [/^zed\b/i, 'Zed'],
  [/\bcline\b/i, 'Cline'],
  [/\bcontinue\b/i, 'Continue'],
  [/\bgoose\b/i, 'Goose'],
  [/lm[ -]?studio/i, 'LM Studio'],
  [/\bgemini\b/i, 'Gemini CLI'],
  [/\bcodex\b/i, 'Codex'],
  [/copilot/i, 'GitHub Copilot CLI'],
  [/\bopencode\b/i, 'OpenCode'],
  [/\bkiro\b/i, 'Kiro'],
];

export function friendlyClientName(name: string | undefined): string {
  if (!name) return 'Unknown client';
  return KNOWN_CLIENTS[name] ?? CLIENT_PATTERNS.find(([re]) => re.test(name))?.[1] ?? name;
}
