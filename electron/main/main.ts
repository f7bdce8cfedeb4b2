/** Electron entry: lifecycle, one window, the contract over IPC. The engine is plain Node. */
import { app, BrowserWindow, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runDemo, type RunningDemo } from '../../demo/run-demo';
import { createEngine } from '../core/api/engine';
import { guardProcess } from '../core/util/process-guard';
import { forwardEvents, registerContractHandlers } from './ipc';
import { createMainWindow, hardenSession, rendererIndexPath } from './window';

// A rejection or exception nobody caught is logged (secrets masked) instead of dying silently.
guardProcess();

// Deny webviews and remote content for every web contents ever created.
app.on('web-contents-created', (_event, contents: WebContents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  const engine = createEngine({ transport: 'ipc', version: app.getVersion() });
  const appRoot = app.getAppPath();
  const rendererIndex = rendererIndexPath(appRoot);
  const unregister = registerContractHandlers(engine.handlers, pathToFileURL(rendererIndex).href);
  // `npm run app:demo` (electron . --demo): the same throw-away stack as `preflight demo`, watched before the window opens.
  const demo: RunningDemo | null = process.argv.includes('--demo') ? await runDemo(engine) : null;
  const open = () => {
    const win = createMainWindow({ preloadPath: join(appRoot, 'dist', 'electron', 'preload.cjs'), rendererIndex });
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
  // Quit only after the engine has closed its connections and cancelled running work, so a
  // migration in flight is cancelled (and audited) rather than cut off mid-statement.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    unregister();
    void engine
      .close()
      .then(() => demo?.stop())
      .finally(() => app.quit());
  });
}

void start();
