import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { ClientStatus, ServerStatus } from '../core/contract.js';
import { trayMenuModel, trayTooltip, type TrayAction, type TrayItem } from './tray-menu.js';

export interface TrayDeps {
  iconPath: string;
  onAction: (action: TrayAction) => void;
  prefs: () => { notifications: boolean };
}

/** The tray icon: its menu is rebuilt from host status events, never by polling. */
export class AppTray {
  private readonly tray: Tray;
  private servers: ServerStatus[] = [];
  private claude: ClientStatus | undefined;
  private summary: string | undefined;

  constructor(private readonly deps: TrayDeps) {
    const image = nativeImage.createFromPath(deps.iconPath);
    if (process.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    this.tray.on('click', () => deps.onAction({ type: 'open' }));
  }

  update(servers?: ServerStatus[], claude?: ClientStatus, summary?: string): void {
    if (servers) this.servers = servers;
    if (claude) this.claude = claude;
    if (summary) this.summary = summary;
    const toElectron = (item: TrayItem): MenuItemConstructorOptions =>
      item.type === 'separator'
        ? { type: 'separator' }
        : {
            label: item.label,
            type: item.type ?? 'normal',
            ...(item.checked !== undefined ? { checked: item.checked } : {}),
            enabled: item.enabled ?? true,
            ...(item.action ? { click: () => this.deps.onAction(item.action!) } : {}),
          };
    this.tray.setContextMenu(
      Menu.buildFromTemplate(trayMenuModel(this.servers, this.claude, this.deps.prefs(), this.summary).map(toElectron)),
    );
    this.tray.setToolTip(trayTooltip(this.servers));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
