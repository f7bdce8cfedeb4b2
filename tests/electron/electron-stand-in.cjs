/**
 * A recording stand-in for the `electron` module, for loading the real bundles
 * (dist/electron/main.cjs, preload.cjs) in plain Node where no Electron binary exists. It
 * implements the part of Electron's API Preflight uses, with Electron's event order
 * (ready → …; quit: before-quit → will-quit (preventable) → quit) and records every call, so
 * the boot test can examine what the app asked of Electron. An API it does not implement is
 * recorded and throws, so new use of Electron shows up here instead of passing silently.
 */
'use strict';
const { EventEmitter } = require('node:events');

const record = {
  calls: [], // [api, ...summary]
  unsupported: [],
  privilegedSchemes: [],
  schemesRegisteredBeforeReady: null,
  sandboxEnabledBeforeReady: null,
  windows: [],
  ipcHandlers: new Map(),
  ipcListeners: [],
  protocolHandlers: new Map(),
  permissionRequestHandler: null,
  permissionCheckHandler: null,
  devicePermissionHandler: null,
  headersReceived: null,
  openedExternally: [],
  errorBoxes: [],
  exitCode: null,
  quitCompleted: false,
  exposedInMainWorld: new Map(),
  webContents: [],
  notifications: [], // { title, body, urgency, shown }
  powerSaveBlockers: [], // { id, type, stopped }
};

function preventable() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextId = 1;
class WebContents extends EventEmitter {
  constructor(kind) {
    super();
    this.id = nextId++;
    this.kind = kind;
    this.windowOpenHandler = null;
    this.sent = [];
    this.destroyed = false;
    record.webContents.push(this);
    // Electron announces every web contents, whatever created it.
    setImmediate(() => app.emit('web-contents-created', preventable(), this));
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

let ready = false;
let resolveReady;
const readyPromise = new Promise((r) => (resolveReady = r));

class App extends EventEmitter {
  constructor() {
    super();
    this.appPath = process.cwd();
  }
  whenReady() {
    return readyPromise;
  }
  isReady() {
    return ready;
  }
  getAppPath() {
    return this.appPath;
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  getPath(name) {
    record.calls.push(['app.getPath', name]);
    return require('node:os').tmpdir();
  }
  enableSandbox() {
    if (record.sandboxEnabledBeforeReady === null) record.sandboxEnabledBeforeReady = !ready;
    record.calls.push(['app.enableSandbox']);
  }
  quit() {
    record.calls.push(['app.quit']);
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const w of [...BrowserWindow.windows]) w.close();
    const will = preventable();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.emit('quit', preventable(), 0);
    record.quitCompleted = true;
  }
  exit(code = 0) {
    record.exitCode = code;
    record.calls.push(['app.exit', code]);
  }
}
const app = new App();

class BrowserWindow extends EventEmitter {
  static windows = [];
  static getAllWindows() {
    return [...BrowserWindow.windows];
  }
  constructor(options = {}) {
    super();
    if (!ready) throw new Error('stand-in: BrowserWindow created before app ready (Electron refuses this)');
    this.options = options;
    this.webContents = new WebContents('window');
    this.loaded = [];
    BrowserWindow.windows.push(this);
    record.windows.push(this);
  }
  loadURL(url) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  loadFile(path) {
    this.loaded.push(`loadFile:${path}`);
    return Promise.resolve();
  }
  show() {}
  close() {
    BrowserWindow.windows = BrowserWindow.windows.filter((w) => w !== this);
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

const ipcMain = {
  handle(channel, fn) {
    if (record.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record.ipcHandlers.set(channel, fn);
  },
  removeHandler(channel) {
    record.ipcHandlers.delete(channel);
  },
  on(channel) {
    record.ipcListeners.push(channel);
  },
  once(channel) {
    record.ipcListeners.push(channel);
  },
};

const protocolApi = {
  registerSchemesAsPrivileged(schemes) {
    if (record.schemesRegisteredBeforeReady === null) record.schemesRegisteredBeforeReady = !ready;
    record.privilegedSchemes.push(...schemes);
  },
  handle(scheme, handler) {
    if (!ready) throw new Error('stand-in: protocol.handle before app ready (Electron refuses this)');
    record.protocolHandlers.set(scheme, handler);
  },
};

const session = {
  defaultSession: {
    protocol: protocolApi,
    setPermissionRequestHandler: (fn) => (record.permissionRequestHandler = fn),
    setPermissionCheckHandler: (fn) => (record.permissionCheckHandler = fn),
    setDevicePermissionHandler: (fn) => (record.devicePermissionHandler = fn),
    webRequest: { onHeadersReceived: (fn) => (record.headersReceived = fn) },
  },
};

// Renderer side (what the preload sees): invoke goes to the main side's ipcMain handler with
// an event whose sender frame is the page the window loaded.
const rendererListeners = new Map();
const ipcRenderer = {
  senderFrameUrl: null,
  invoke(channel, input) {
    const handler = record.ipcHandlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    const window = record.windows[0];
    const event = { sender: window && window.webContents, senderFrame: { url: ipcRenderer.senderFrameUrl, parent: null } };
    return Promise.resolve(handler(event, input));
  },
  on(channel, fn) {
    rendererListeners.set(channel, [...(rendererListeners.get(channel) || []), fn]);
  },
  removeListener(channel, fn) {
    rendererListeners.set(channel, (rendererListeners.get(channel) || []).filter((f) => f !== fn));
  },
  send(channel) {
    record.calls.push(['ipcRenderer.send', channel]);
  },
};
const contextBridge = {
  exposeInMainWorld(key, api) {
    record.exposedInMainWorld.set(key, api);
  },
};

// Linux without a keyring: Electron reports basic_text (the key is built into Chromium).
// "Encryption" here only marks the bytes, so a test can tell ciphertext was stored.
const safeStorage = {
  backend: 'basic_text',
  isAsyncEncryptionAvailable: () => Promise.resolve(ready),
  getSelectedStorageBackend: () => (ready ? safeStorage.backend : 'unknown'),
  encryptStringAsync: (text) => Promise.resolve(Buffer.from(`stand-in-encrypted:${Buffer.from(text).toString('hex')}`)),
  decryptStringAsync: (buf) => Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(String(buf).replace('stand-in-encrypted:', ''), 'hex').toString() }),
};

// Desktop notifications: every one constructed and whether it was shown.
class Notification {
  static isSupported() {
    return true;
  }
  constructor(options = {}) {
    if (!ready) throw new Error('stand-in: Notification before app ready (Electron refuses this)');
    this.entry = { title: options.title, body: options.body, urgency: options.urgency ?? null, shown: false };
    record.notifications.push(this.entry);
  }
  show() {
    this.entry.shown = true;
  }
}

// Electron's power-save blocker: ids from 1, started/stopped as Electron keeps them.
const powerSaveBlocker = {
  start(type) {
    if (type !== 'prevent-app-suspension' && type !== 'prevent-display-sleep') throw new Error(`stand-in: powerSaveBlocker.start: unknown type "${type}"`);
    const entry = { id: record.powerSaveBlockers.length + 1, type, stopped: false };
    record.powerSaveBlockers.push(entry);
    return entry.id;
  },
  stop(id) {
    const entry = record.powerSaveBlockers.find((b) => b.id === id);
    if (entry) entry.stopped = true;
    return true;
  },
  isStarted(id) {
    const entry = record.powerSaveBlockers.find((b) => b.id === id);
    return Boolean(entry && !entry.stopped);
  },
};

const implemented = {
  Notification,
  powerSaveBlocker,
  safeStorage,
  app,
  BrowserWindow,
  ipcMain,
  protocol: protocolApi,
  session,
  shell: { openExternal: (url) => (record.openedExternally.push(url), Promise.resolve()) },
  dialog: { showErrorBox: (title, content) => record.errorBoxes.push([title, content]) },
  contextBridge,
  ipcRenderer,
};

const standIn = {
  record,
  rendererListeners,
  WebContents,
  preventable,
  fireReady() {
    ready = true;
    app.emit('ready');
    resolveReady();
  },
};

module.exports = new Proxy(implemented, {
  get(target, name) {
    if (name === '__standIn') return standIn;
    if (name in target || typeof name === 'symbol' || name === 'then' || name === '__esModule' || name === 'default') return target[name];
    record.unsupported.push(String(name));
    throw new Error(`electron stand-in: electron.${String(name)} is not implemented (add it to tests/electron/electron-stand-in.cjs)`);
  },
});
