import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  open(): void;
  quit(): void;
}

/** The tray icon: Berth keeps running (and watching jobs) with its window closed. */
export function createTray(resourcesDir: string, actions: TrayActions): Tray {
  const icon = nativeImage.createFromPath(join(resourcesDir, 'tray-icon.png'));
  const tray = new Tray(icon);
  tray.setToolTip('Berth');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Berth', click: actions.open },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  tray.on('click', actions.open);
  return tray;
}
