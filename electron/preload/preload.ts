/**
 * Exposes the contract's methods and nothing else: no raw ipcRenderer, no event objects.
 * Bundled into one CommonJS file because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isCallName, isEventName, type CallName, type Envelope, type EventName } from '../../shared/contract';

const CALL = 'preflight:call:';
const EVENT = 'preflight:event:';

const bridge = {
  call(name: CallName, input: unknown): Promise<Envelope<unknown>> {
    if (!isCallName(name)) return Promise.resolve({ error: { message: `Unknown call ${String(name)}`, code: 'unknown_call' } });
    return ipcRenderer.invoke(`${CALL}${name}`, input) as Promise<Envelope<unknown>>;
  },
  on(name: EventName, listener: (payload: unknown) => void): () => void {
    if (!isEventName(name)) throw new Error(`Unknown event ${String(name)}`);
    const channel = `${EVENT}${name}`;
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('preflight', bridge);
