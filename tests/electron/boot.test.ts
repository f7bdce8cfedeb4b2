/**
 * The desktop app boots. Built exactly as `npm run app` builds it, the main bundle is loaded in
 * plain Node with a recording stand-in for `electron` (tests/electron/electron-stand-in.cjs) and
 * run until its window loads; then the renderer's side is played through the real preload.
 * (tests/e2e/electron-app.test.ts drives the real binary where one can be downloaded.)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { freshDatabase } from '../harness';
import { bootApp, buildApp, mainBundleSources, type BootRecord, type BuiltApp } from './built-app';

let app: BuiltApp | null = null;
let root = '';
let record: BootRecord;
let exitCode = -1;

beforeAll(async () => {
  app = await buildApp();
  root = app.appDir;
  const db = await freshDatabase('boot');
  // A watch whose alert fires on its first sample (Postgres answering), to see the notification;
  // in the data folder's profiles/, found beside the shipped ones.
  const profiles = join(root, '..', 'data', 'profiles');
  mkdirSync(profiles, { recursive: true });
  writeFileSync(
    join(profiles, 'bootwatch.yaml'),
    `version: 1
name: bootwatch
environments:
  - name: local
    kind: dev
    secrets:
      database_url: { env: BOOT_PG_URL }
    targets:
      postgres: { url: { secret: database_url } }
alerts:
  - { id: pg-answering, title: Postgres answers, metric: pg.up, op: '>=', value: 1, forSeconds: 0, severity: low }
`,
  );
  const booted = await bootApp(root, { BOOT_PG_URL: db.url, PREFLIGHT_DATA_DIR: join(root, '..', 'data'), BOOT_WATCH_PROFILE: 'bootwatch' });
  record = booted.record;
  exitCode = booted.code;
}, 180_000);
afterAll(() => {
  if (app) rmSync(join(app.appDir, '..'), { recursive: true, force: true });
});

describe('the built desktop app, packed as electron-builder.yml ships it, booted with a stand-in for Electron', () => {
  it('loads, reaches its window and quits without a throw', () => {
    expect(record.error, record.stderr).toBeUndefined();
    expect(exitCode).toBe(0);
    expect(record.steps).toEqual(['main loaded', 'window loaded', 'quit completed']);
    expect(record.unsupported).toEqual([]);
    expect(record.errorBoxes).toEqual([]);
    expect(record.exitCode).toBeNull();
    // No DSN configured: crash reporting is off, @sentry/electron not even loaded.
    expect(record.sentryLoaded).toBe(false);
  });

  it('opens exactly one window with every protection on', () => {
    expect(record.windows).toHaveLength(1);
    const prefs = record.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(record.beforeReady.sandboxEnabledBeforeReady).toBe(true);
  });

  it('serves the renderer from the privileged app:// scheme registered before ready, with the CSP', () => {
    expect(record.beforeReady.schemesRegisteredBeforeReady).toBe(true);
    expect(record.beforeReady.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(record.windows[0]!.loaded).toEqual(['app://preflight/index.html']);
    expect(record.entry).toEqual({ url: 'app://preflight/index.html', status: 200, csp: CONTENT_SECURITY_POLICY, isHtml: true });
  });

  it('loads a renderer entry that exists in the build, with every script and stylesheet it names', () => {
    expect(record.entryAssets.length).toBeGreaterThanOrEqual(1);
    expect(record.entryAssets.filter((a) => a.ref.endsWith('.js'))).not.toEqual([]);
    for (const asset of record.entryAssets) expect(asset.status, asset.ref).toBe(200);
  });

  it('registers one IPC handler for every contract call and nothing else', () => {
    expect(record.ipcChannels).toEqual(callNames.map((n) => `preflight:call:${n}`).sort());
    expect(record.ipcListeners).toEqual([]);
  });

  it('the preload requires only electron and exposes only call and on', () => {
    expect(record.preload.preloadPath).toBe(join(root, 'dist', 'electron', 'preload.cjs'));
    expect([...new Set(record.preload.required)]).toEqual(['electron']);
    expect(record.preload.exposed).toEqual({ preflight: { call: 'function', on: 'function' } });
    expect(record.bridgeCalls.appInfo).toEqual({ result: { version: '0.0.0-stand-in', transport: 'ipc', keepAwake: true } });
    expect(record.bridgeCalls.unknown.error?.code).toBe('unknown_call');
    // The shipped profiles are found from the packaged app, not from the working directory.
    expect((record.bridgeCalls.profiles.result as { profile: string }[]).map((p) => p.profile)).toContain('startinsight');
    // A renderer listener gets the payload alone, never the IPC event object.
    expect(record.eventArgs).toEqual([[{ probe: 1 }]]);
  });

  it('saves connections through safeStorage: refused on basic_text until accepted for this machine, then ciphertext only', () => {
    const { status, refusedSave, accepted, save, list } = record.keychain;
    expect(status.result).toMatchObject({ canSave: false, backend: 'basic_text', basicTextAccepted: false });
    expect(refusedSave.error?.code).toBe('keychain_refused');
    expect(refusedSave.error?.message).toMatch(/basic_text/);
    expect(accepted.result).toMatchObject({ canSave: true, basicTextAccepted: true });
    expect(save.result).toMatchObject({ kind: 'postgres', maskedUrl: 'postgres://u:*****@127.0.0.1:1/db' });
    expect(JSON.stringify(list)).not.toContain('boot-canary-pw');
    const stored = readFileSync(join(root, '..', 'data', 'connections.json'), 'utf8');
    expect(stored).not.toContain('boot-canary-pw');
    expect(stored).toContain(Buffer.from('stand-in-encrypted:').toString('base64').slice(0, 20));
  });

  it('answers only the app’s own top-level page (sender validation)', () => {
    for (const [who, answer] of Object.entries(record.untrustedSenders)) expect(answer.error?.code, who).toBe('untrusted_sender');
  });

  it('refuses navigation, redirects, webviews and new windows in every web contents; only http(s) goes to the browser', () => {
    expect(record.contents.map((c) => c.kind)).toEqual(['window', 'created later']);
    for (const contents of record.contents) {
      for (const name of ['will-navigate https://evil.example/', 'will-navigate file:///etc/passwd', 'will-redirect https://evil.example/', 'will-attach-webview']) {
        expect(contents[name], `${contents.kind}: ${name}`).toEqual({ listened: true, prevented: true });
      }
      expect(contents.windowOpen).not.toBeNull();
      for (const [url, answer] of Object.entries(contents.windowOpen!)) expect(answer, url).toEqual({ action: 'deny' });
    }
    const opened = new Set(record.openedExternally);
    expect([...opened].sort()).toEqual(['http://localhost:3000/', 'https://evil.example/', 'https://startinsight.app/docs']);
  });

  it('denies every permission and adds the CSP to every response of the session', () => {
    expect(record.permissions.requests.map(([, granted]) => granted)).toEqual([false, false, false, false, false]);
    expect(record.permissions.check).toBe(false);
    expect(record.permissions.device).toBe(false);
    expect(record.sessionHeaders).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('a launch watch asked to keep the machine awake holds a power-save blocker until it stops; its alert is a desktop notification', () => {
    const launch = record.launch!;
    expect(launch.started.error, JSON.stringify(launch.started)).toBeUndefined();
    expect(launch.started.result).toMatchObject({ status: 'running', keepingAwake: true });
    expect(launch.blockersWhileRunning).toEqual([{ id: 1, type: 'prevent-app-suspension', stopped: false }]);
    expect(launch.notifications).toContainEqual({ title: 'Alert firing: pg-answering', body: expect.stringContaining('bootwatch/local'), urgency: 'critical', shown: true });
    // Pending transitions are not announced.
    expect(launch.notifications.filter((n) => /pending/i.test(n.title))).toEqual([]);
    expect(launch.stopped.result).toMatchObject({ status: 'stopped', keepingAwake: false });
    expect(launch.blockersAfterStop).toEqual([{ id: 1, type: 'prevent-app-suspension', stopped: true }]);
  });

  it('quitting closes the engine: its Postgres session is gone and the handlers are removed', () => {
    expect(record.pgWatch?.error).toBeUndefined();
    expect(record.sessionsBeforeQuit).toBeGreaterThanOrEqual(1);
    expect(record.sessionsAfterQuit).toBe('none');
    expect(record.ipcChannelsAfterQuit).toEqual([]);
  });

  it('does not carry the demo stack in the main bundle; it is a separate bundle loaded by --demo', () => {
    const sources = mainBundleSources(app!);
    expect(sources.filter((s) => /(^|\/)demo\//.test(s) && !s.includes('node_modules'))).toEqual([]);
    expect(sources.some((s) => s.includes('ephemeral/'))).toBe(false);
    expect(record.demoBundleExports).toContain('runDemo');
    expect(record.demoMigrationsShipped).toBe(true);
  });
});
