/**
 * Boots the built desktop app in plain Node: node boot-runner.mjs APP_ROOT OUT.json
 * APP_ROOT holds dist/electron/{main,preload}.cjs built by scripts/build-electron.mjs (exactly
 * as `npm run app` builds them) and dist/renderer. `require('electron')` gets the recording
 * stand-in; the runner plays Electron's part (ready, the renderer calling through the preload,
 * navigation attempts, quit) and writes what it saw to OUT.json for tests/electron/boot.test.ts.
 * With BOOT_PG_URL set, the window watches that Postgres, and the runner counts Preflight's
 * sessions there before and after quitting.
 */
import Module, { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [appRoot, outFile] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const standInPath = require.resolve('./electron-stand-in.cjs');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? standInPath : originalResolve.call(this, request, ...rest);
};
const electron = require('electron');
const { record, fireReady, preventable, WebContents, rendererListeners } = electron.__standIn;
electron.app.appPath = appRoot;

const out = { steps: [] };
const step = (name) => out.steps.push(name);
const finish = (code) => {
  writeFileSync(outFile, JSON.stringify(out, null, 2));
  process.exit(code);
};
async function until(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const stderr = [];
const originalWrite = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => (stderr.push(String(chunk)), originalWrite(chunk, ...rest));

async function preflightSessions(url) {
  const pg = require('pg');
  const client = new pg.Client({ connectionString: url, application_name: 'boot-test-observer' });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'preflight' AND pid <> pg_backend_pid()");
    return rows[0].n;
  } finally {
    await client.end();
  }
}

async function fetchThroughScheme(url) {
  const handler = record.protocolHandlers.get(new URL(url).protocol.replace(/:$/, ''));
  if (!handler) return { status: null, body: '', headers: {} };
  const res = await handler(new Request(url));
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
}

try {
  // 1. Load the main bundle as Electron would: before ready.
  require(join(appRoot, 'dist', 'electron', 'main.cjs'));
  step('main loaded');
  out.beforeReady = { privilegedSchemes: record.privilegedSchemes, schemesRegisteredBeforeReady: record.schemesRegisteredBeforeReady, sandboxEnabledBeforeReady: record.sandboxEnabledBeforeReady };

  // 2. Ready: startup runs until the window loads its page.
  fireReady();
  const window = await until('the window to load a page', () => record.windows[0]?.loaded.length && record.windows[0]);
  const loadedUrl = window.loaded[0];
  step('window loaded');
  await new Promise((r) => setImmediate(r)); // web-contents-created is announced asynchronously
  out.windows = record.windows.map((w) => ({ options: w.options, loaded: w.loaded }));
  out.ipcChannels = [...record.ipcHandlers.keys()].sort();
  out.ipcListeners = record.ipcListeners;
  out.errorBoxes = record.errorBoxes;
  out.exitCode = record.exitCode;

  // 3. The page it loaded, and every script and stylesheet that page names, through the app's own scheme.
  const entry = await fetchThroughScheme(loadedUrl);
  out.entry = { url: loadedUrl, status: entry.status, csp: entry.headers['content-security-policy'] ?? null, isHtml: /<div id="root">/.test(entry.body) };
  out.entryAssets = [];
  for (const [, ref] of entry.body.matchAll(/(?:src|href)="([^"]+)"/g)) {
    const asset = await fetchThroughScheme(new URL(ref, loadedUrl).href);
    out.entryAssets.push({ ref, status: asset.status, type: asset.headers['content-type'] });
  }

  // 4. The preload, run the way a sandboxed preload runs: only `electron` (and Electron's polyfills) can be required.
  const preloadCode = readFileSync(join(appRoot, 'dist', 'electron', 'preload.cjs'), 'utf8');
  const required = [];
  const sandboxRequire = (name) => {
    required.push(name);
    if (name === 'electron') return electron;
    if (['events', 'timers', 'url'].includes(name)) return require(name);
    throw new Error(`a sandboxed preload cannot require '${name}'`);
  };
  const preloadModule = { exports: {} };
  new Function('require', 'module', 'exports', preloadCode)(sandboxRequire, preloadModule, preloadModule.exports);
  const exposed = Object.fromEntries([...record.exposedInMainWorld].map(([key, api]) => [key, Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v]))]));
  out.preload = { required, exposed, preloadPath: window.options.webPreferences?.preload ?? null };
  const bridge = record.exposedInMainWorld.get('preflight');
  electron.ipcRenderer.senderFrameUrl = loadedUrl;
  out.bridgeCalls = {
    appInfo: await bridge.call('app.info', {}),
    unknown: await bridge.call('fs.readFile', { path: '/etc/passwd' }),
    profiles: await bridge.call('checks.profiles', {}),
  };
  // Saved connections on Linux with no keyring (basic_text): refused and why, until accepted.
  const scope = { profile: 'demo', environment: 'local' };
  out.keychain = {
    status: await bridge.call('connections.status', {}),
    refusedSave: await bridge.call('connections.save', { ...scope, kind: 'postgres', url: 'postgres://u:boot-canary-pw@127.0.0.1:1/db' }),
    accepted: await bridge.call('connections.acceptBasicText', { confirm: 'store secrets without a keyring on this machine' }),
    save: await bridge.call('connections.save', { ...scope, kind: 'postgres', url: 'postgres://u:boot-canary-pw@127.0.0.1:1/db' }),
    list: await bridge.call('connections.list', scope),
  };
  // Events reach renderer listeners as the payload only, never an IPC event object.
  const received = [];
  const off = bridge.on('pg.tick', (...args) => received.push(args));
  for (const fn of rendererListeners.get('preflight:event:pg.tick') ?? []) fn({ sender: 'raw-ipc-event' }, { probe: 1 });
  off();
  out.eventArgs = received;

  // 5. Sender validation: the same handler, asked by frames that are not the app's own page.
  const appInfo = record.ipcHandlers.get('preflight:call:app.info');
  const asked = async (senderFrame) => appInfo({ sender: window.webContents, senderFrame }, {});
  out.untrustedSenders = {
    remotePage: await asked({ url: 'https://evil.example/index.html', parent: null }),
    subFrame: await asked({ url: loadedUrl, parent: {} }),
    otherAppPage: await asked({ url: new URL('/other.html', loadedUrl).href, parent: null }),
    fileUrl: await asked({ url: `file://${join(appRoot, 'dist', 'renderer', 'index.html')}`, parent: null }),
    noFrame: await asked(null),
  };

  // 6. The security checklist on the window's contents and on a web contents created later.
  const later = new WebContents('created later');
  await new Promise((r) => setImmediate(r));
  out.contents = [];
  for (const contents of [window.webContents, later]) {
    const result = { kind: contents.kind };
    for (const [name, url] of [['will-navigate', 'https://evil.example/'], ['will-navigate', 'file:///etc/passwd'], ['will-redirect', 'https://evil.example/'], ['will-attach-webview', null]]) {
      const event = preventable();
      contents.emit(name, event, url ?? {}, {});
      result[`${name} ${url ?? ''}`.trim()] = { listened: contents.listenerCount(name) > 0, prevented: event.defaultPrevented };
    }
    result.windowOpen = contents.windowOpenHandler
      ? Object.fromEntries(['https://startinsight.app/docs', 'http://localhost:3000/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@evil.example/'].map((url) => [url, contents.windowOpenHandler({ url })]))
      : null;
    out.contents.push(result);
  }
  out.openedExternally = record.openedExternally;
  const permissionAnswers = [];
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) record.permissionRequestHandler?.(window.webContents, permission, (granted) => permissionAnswers.push([permission, granted]));
  out.permissions = {
    requests: permissionAnswers,
    check: record.permissionCheckHandler ? record.permissionCheckHandler(window.webContents, 'media', loadedUrl, {}) : null,
    device: record.devicePermissionHandler ? record.devicePermissionHandler({ deviceType: 'usb' }) : null,
  };
  if (record.headersReceived) {
    let headers = null;
    record.headersReceived({ url: 'https://example.com/', responseHeaders: { 'X-Other': ['1'] } }, (answer) => (headers = answer.responseHeaders));
    out.sessionHeaders = headers;
  }

  // 7. The demo stack is a separate bundle that loads on its own (what --demo requires).
  const demoModule = require(join(appRoot, 'dist', 'electron', 'demo.cjs'));
  out.demoBundleExports = Object.keys(demoModule).sort();
  out.demoMigrationsShipped = existsSync(join(appRoot, 'demo', 'migrations', '0001_demo_indexes.sql'));

  // 8. A launch watch that asks to keep the machine awake: the blocker holds while it runs, its
  // alert becomes a desktop notification, and stopping the watch releases the blocker.
  if (process.env.BOOT_WATCH_PROFILE) {
    const ref = { profile: process.env.BOOT_WATCH_PROFILE, environment: 'local' };
    out.appInfo = await bridge.call('app.info', {});
    const started = await bridge.call('launch.start', { ...ref, durationMs: 3_600_000, keepAwake: true });
    out.launch = { started, blockersWhileRunning: record.powerSaveBlockers.map((b) => ({ ...b })) };
    out.launch.notifications = await until('an alert notification', () => (record.notifications.some((n) => n.shown) ? record.notifications.map((n) => ({ ...n })) : null), 30_000).catch(() => record.notifications);
    out.launch.stopped = await bridge.call('launch.stop', { sessionId: started.result?.sessionId ?? '' });
    out.launch.blockersAfterStop = record.powerSaveBlockers.map((b) => ({ ...b }));
  }

  // 9. Quitting closes the engine: Preflight's Postgres session is gone once quit completes.
  const pgUrl = process.env.BOOT_PG_URL;
  if (pgUrl) {
    out.pgWatch = await bridge.call('pg.watch', { url: pgUrl, intervalMs: 1000 });
    out.sessionsBeforeQuit = await until('the watch to hold a session', async () => (await preflightSessions(pgUrl)) || null);
  }
  electron.app.quit();
  await until('quit to complete', () => record.quitCompleted);
  step('quit completed');
  out.ipcChannelsAfterQuit = [...record.ipcHandlers.keys()];
  if (pgUrl) {
    // The backend of a closed connection can take a moment to leave pg_stat_activity.
    out.sessionsAfterQuit = await until('sessions to leave', async () => ((await preflightSessions(pgUrl)) === 0 ? 'none' : null), 10_000).catch(() => 'still open');
  }
  out.sentryLoaded = Object.keys(require.cache).some((k) => k.includes(`${'@'}sentry`));
  out.unsupported = record.unsupported;
  out.stderr = stderr.join('');
  finish(0);
} catch (err) {
  out.error = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err);
  out.unsupported = record.unsupported;
  out.stderr = stderr.join('');
  finish(1);
}
