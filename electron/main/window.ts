import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-protocol-handler';

/**
 * The main window with every Electron protection on (DESIGN.md, STYLE.md). Navigation, new
 * windows and webviews are refused for every web contents in security.ts.
 */
export function createMainWindow(options: { preloadPath: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Preflight',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
