/** Electron entry: lifecycle, one window, the contract over IPC. The engine is plain Node. */
import { app, BrowserWindow, type WebContents } from 'electron';
import { join } from 'node:path';
import { createEngine } from '../core/api/engine';
import { forwardEvents, registerContractHandlers } from './ipc';
import { createMainWindow, hardenSession, rendererIndexPath } from './window';

// Deny webviews and remote content for every web contents ever created.
app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  const engine = createEngine({ transport: 'ipc', version: app.getVersion() });
  const unregister = registerContractHandlers(engine.handlers, 'file://');
  const appRoot = app.getAppPath();
  const open = () => {
    const win = createMainWindow({ preloadPath: join(appRoot, 'dist', 'electron', 'preload.cjs'), rendererIndex: rendererIndexPath(appRoot) });
    const stopForwarding = forwardEvents(engine.events, win.webContents);
    win.on('closed', stopForwarding);
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    unregister();
    void engine.close();
  });
}

void start();
