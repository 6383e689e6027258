import fs from 'node:fs';
import path from 'node:path';

/**
 * Start at login. macOS and Windows have Electron's login-item API; Linux desktops read
 * ~/.config/autostart/*.desktop (the XDG autostart spec), which we write and remove ourselves.
 */
export function linuxAutostartEntry(exec: string): string {
  const quoted = /[\s"'\\]/.test(exec) ? `"${exec.replace(/(["\\$`])/g, '\\$1')}"` : exec;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=MCP Tray',
    'Comment=Local MCP servers for Claude and other AI apps',
    `Exec=${quoted} --hidden`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function applyLinuxAutostart(open: boolean, opts: { configHome: string; exec: string }): void {
  const file = path.join(opts.configHome, 'autostart', 'mcp-tray.desktop');
  if (open) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, linuxAutostartEntry(opts.exec));
  } else {
    fs.rmSync(file, { force: true });
  }
}
