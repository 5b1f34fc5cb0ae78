/**
 * The Electron entry: a thin shell that builds the core through the same composition root as
 * `berth serve`, then adds a window, a tray icon and the IPC adapter.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session, shell, type Tray, type WebFrameMain } from 'electron';
import { createBerth, type Berth } from '../core/berth';
import { registerIpc } from './ipc';
import { createMainWindow, rendererUrl } from './main-window';
import { electronNativeBinding } from './native-binding';
import { createTray } from './tray';

let berth: Berth | null = null;
let tray: Tray | null = null;
let quitting = false;

const isOwnPage = (url: string): boolean => {
  const own = rendererUrl();
  return own.startsWith('file://') ? url.split('#')[0] === own : url.startsWith(new URL(own).origin);
};
const trusted = (frame: WebFrameMain | null): boolean => frame !== null && frame.parent === null && isOwnPage(frame.url);

function showWindow(): void {
  const win = BrowserWindow.getAllWindows()[0] ?? createMainWindow();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

if (!app.requestSingleInstanceLock()) {
  // One Berth per data directory: a second launch just brings the first one forward.
  app.quit();
} else {
  app.on('second-instance', showWindow);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation and the like open in the user's browser, never in Berth.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    try {
      berth = createBerth({
        dataDir: app.getPath('userData'),
        nativeBinding: electronNativeBinding(app.getAppPath(), app.isPackaged),
      });
    } catch (err) {
      dialog.showErrorBox('Berth cannot start', (err as Error).message);
      app.exit(1);
      return;
    }
    registerIpc(berth.service, trusted, (err) => console.error('berth: unexpected error in a request:', err));
    tray = createTray(join(app.getAppPath(), 'resources'), { open: showWindow, quit: () => app.quit() });
    createMainWindow();
    app.on('activate', showWindow);
  }, (err: unknown) => {
    console.error('berth: failed to start', err);
    app.exit(1);
  });

  // Closing the window keeps Berth in the tray, watching jobs.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });

  app.on('before-quit', (event) => {
    if (quitting || !berth) return;
    event.preventDefault();
    quitting = true;
    void berth.close().finally(() => app.quit());
  });
}
