/**
 * The Electron window and session settings, checked where no Electron binary can run: the
 * `electron` module is replaced by a recorder, and what Preflight asks of it is examined —
 * the web preferences, the navigation and window.open denials, the permission handlers, the CSP.
 * (tests/e2e/electron-app.test.ts checks the same in the real app where Electron is installed.)
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const recorded = vi.hoisted(() => ({
  windowOptions: null as null | { webPreferences: Record<string, unknown> },
  contentsListeners: new Map<string, Listener>(),
  windowOpenHandler: null as null | Listener,
  opened: [] as string[],
  permissionRequest: null as null | Listener,
  permissionCheck: null as null | Listener,
  headersReceived: null as null | Listener,
  loaded: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: (name: string, fn: Listener) => recorded.contentsListeners.set(name, fn),
      setWindowOpenHandler: (fn: Listener) => {
        recorded.windowOpenHandler = fn;
      },
    };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      recorded.windowOptions = options;
    }
    once(): void {}
    show(): void {}
    loadFile(path: string): Promise<void> {
      recorded.loaded.push(path);
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: (url: string) => (recorded.opened.push(url), Promise.resolve()) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (recorded.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Listener) => (recorded.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: Listener) => (recorded.headersReceived = fn) },
      },
    },
  };
});

const { createMainWindow, hardenSession } = await import('../../electron/main/window');
const { CONTENT_SECURITY_POLICY } = await import('../../electron/server/csp');

beforeEach(() => {
  recorded.contentsListeners.clear();
  recorded.opened.length = 0;
});

describe('main window', () => {
  it('turns every web-preference protection on and loads only the local renderer file', () => {
    createMainWindow({ preloadPath: '/app/preload.cjs', rendererIndex: '/app/dist/renderer/index.html' });
    expect(recorded.windowOptions!.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(recorded.loaded.at(-1)).toBe('/app/dist/renderer/index.html');
  });

  it('denies navigation, redirects and new windows; only http(s) links go to the system browser', () => {
    createMainWindow({ preloadPath: 'p', rendererIndex: 'i' });
    for (const name of ['will-navigate', 'will-redirect']) {
      const event = { preventDefault: vi.fn() };
      recorded.contentsListeners.get(name)!(event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    for (const url of ['https://startinsight.app/docs', 'file:///etc/passwd', 'javascript:alert(1)', 'preflight://x']) {
      expect(recorded.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(recorded.opened).toEqual(['https://startinsight.app/docs']);
  });
});

describe('session', () => {
  it('refuses every permission and adds the CSP header to every response', () => {
    hardenSession();
    const callback = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) recorded.permissionRequest!({}, permission, callback);
    expect(callback.mock.calls).toEqual([[false], [false], [false], [false]]);
    expect(recorded.permissionCheck!({}, 'media')).toBe(false);
    const done = vi.fn();
    recorded.headersReceived!({ responseHeaders: { 'X-Other': ['1'] } }, done);
    expect(done).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'|default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});
