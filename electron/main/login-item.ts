import fs from 'node:fs';
import path from 'node:path';

/**
 * One argument of a desktop entry's Exec key, per the Desktop Entry Specification: `%` is written
 * `%%` (a lone % starts a field code); an argument with a reserved character is quoted, with `"`,
 * `` ` ``, `$` and `\` backslash-escaped inside the quotes; and then, because Exec is a string value,
 * the string escapes apply on top: every backslash doubled, newline/tab/CR as \n \t \r.
 */
export function desktopExecArg(arg: string): string {
  let out = arg.replace(/%/g, '%%');
  if (/[\s"'\\><~|&;$*?#()`]/.test(arg)) out = `"${out.replace(/(["`$\\])/g, '\\$1')}"`;
  return out.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/**
 * Start at login. macOS and Windows have Electron's login-item API; Linux desktops read
 * ~/.config/autostart/*.desktop (the XDG autostart spec), which we write and remove ourselves.
 */
export function linuxAutostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=MCP Tray',
    'Comment=Local MCP servers for Claude and other AI apps',
    `Exec=${desktopExecArg(exec)} --hidden`,
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
