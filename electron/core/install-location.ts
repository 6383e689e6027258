import path from 'node:path';

/**
 * Whether the program that client configs run lives in a place that goes away: the most common
 * cause of Claude's "spawn … ENOENT". Returns why, in plain words, or null for a lasting place.
 */
export function temporaryLocation(command: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform === 'darwin') {
    if (command.includes('/AppTranslocation/'))
      return 'macOS is running MCP Tray from a temporary copy (App Translocation), because it was opened straight from the Downloads folder or a disk image. That copy is gone after a restart.';
    if (command.startsWith('/Volumes/') && !/^\/Volumes\/[^/]+\/Applications\//.test(command))
      return `MCP Tray is running from a disk image (${command.split('/').slice(0, 3).join('/')}), which goes away when it is ejected.`;
  }
  if (platform === 'linux' && (env.APPIMAGE || command.includes('/.mount_')))
    return 'MCP Tray is running from an AppImage, whose files are only there while it runs: apps you connect can start its servers only while MCP Tray is open. Install the .deb package for connections that always work.';
  const p = platform === 'win32' ? path.win32 : path.posix;
  const temps = [
    env.TEMP,
    env.TMP,
    env.TMPDIR,
    platform === 'win32' ? undefined : '/tmp',
    platform === 'darwin' ? '/private/var/folders' : undefined,
  ]
    .filter((t): t is string => !!t && p.isAbsolute(t))
    .map((t) => p.resolve(t));
  const resolved = p.resolve(command);
  const inside = (dir: string) => {
    const rel = p.relative(dir, resolved);
    return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel);
  };
  const temp = temps.find(inside);
  if (temp) {
    return platform === 'win32'
      ? `MCP Tray is running from a temporary folder (${temp}), probably straight from a zip file. Extract or install it first.`
      : `MCP Tray is running from a temporary folder (${temp}), which is emptied on restart.`;
  }
  return null;
}
