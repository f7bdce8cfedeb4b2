/** Electron entry: lifecycle, one window, the contract over IPC. The engine is plain Node. */
import { app, BrowserWindow, dialog } from 'electron';
import { createEngine } from '../core/api/engine';
import { guardProcess } from '../core/util/process-guard';
import { projectPath } from '../core/util/project-root';
import { scrubMessage } from '../core/util/redact';
import type { RunningDemo } from '../../demo/run-demo';
import { APP_ENTRY_URL } from './app-protocol-handler';
import { reportRendererCrash, startCrashReporting } from './crash-reporting';
import { forwardEvents, registerContractHandlers } from './ipc';
import { hardenDefaultSession, lockDownEveryWebContents, registerAppSchemeBeforeReady } from './security';
import { safeStorageCipher } from './safe-storage-cipher';
import { createMainWindow } from './window';
import { notifyAlerts } from './alert-notifications';
import { electronKeepAwake } from './keep-awake';

// A rejection or exception nobody caught is logged (secrets masked) instead of dying silently.
guardProcess();
startCrashReporting();
registerAppSchemeBeforeReady();
lockDownEveryWebContents();

async function start(): Promise<void> {
  await app.whenReady();
  hardenDefaultSession(projectPath('dist', 'renderer'));
  const engine = createEngine({ transport: 'ipc', version: app.getVersion(), secretCipher: safeStorageCipher(), reportRendererError: reportRendererCrash, keepAwake: electronKeepAwake() });
  const unregister = registerContractHandlers(engine.handlers, APP_ENTRY_URL);
  const stopNotifying = notifyAlerts(engine.events);
  // `npm run app:demo` (electron . --demo): the same throw-away stack as `preflight demo`,
  // watched before the window opens. A separate bundle, loaded only when asked for.
  let demo: RunningDemo | null = null;
  if (process.argv.includes('--demo')) {
    const { runDemo } = await import('../../demo/run-demo');
    demo = await runDemo(engine);
  }
  const open = () => {
    const win = createMainWindow({ preloadPath: projectPath('dist', 'electron', 'preload.cjs') });
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
    stopNotifying();
    void engine
      .close()
      .then(() => demo?.stop())
      .finally(() => app.quit());
  });
}

// A start that fails (demo stack cannot start, build missing) says so and exits, rather than
// leaving a process with no window.
start().catch((err: unknown) => {
  const message = scrubMessage(err instanceof Error ? err.message : String(err));
  process.stderr.write(`preflight: the app could not start: ${message}\n`);
  dialog.showErrorBox('Preflight could not start', message);
  app.exit(1);
});
