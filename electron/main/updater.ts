import { app } from 'electron';

/**
 * Auto-update through electron-updater and GitHub releases. Off until a release feed exists:
 * it runs only in a packaged app built with a publish configuration, and when
 * MCP_TRAY_AUTO_UPDATE is not "0". Failures are logged, never shown as crashes.
 */
export async function setupAutoUpdate(log: (message: string) => void): Promise<void> {
  if (!app.isPackaged || process.env.MCP_TRAY_AUTO_UPDATE !== '1') return;
  try {
    const { autoUpdater } = await import('electron-updater');
    autoUpdater.autoDownload = false;
    autoUpdater.on('error', (err) => log(`update check failed: ${err.message}`));
    await autoUpdater.checkForUpdatesAndNotify();
  } catch (err) {
    log(`auto-update unavailable: ${(err as Error).message}`);
  }
}
