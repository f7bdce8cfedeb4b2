/**
 * The renderer's only way out: the contract, over Electron IPC (preload) or over HTTP + SSE
 * (`preflight serve`). Both transports are driven by the same table in shared/contract.
 */
import {
  events as eventSchemas,
  isCallName,
  isEventName,
  type CallName,
  type ContractClient,
  type Envelope,
  type EventName,
} from '../../../shared/contract';
import { unwrap } from '../../../shared/dispatch';

/** What electron/preload exposes on window.preflight: the contract's methods, nothing else. */
export interface PreloadBridge {
  call(name: CallName, input: unknown): Promise<Envelope<unknown>>;
  on(name: EventName, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    preflight?: PreloadBridge;
  }
}

const TOKEN_KEY = 'preflight.token';

function httpToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar, screenshots and history; keep the page (#/postgres).
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpBridge(): PreloadBridge {
  const token = httpToken();
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const ensureSource = () => {
    if (source) return source;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    return source;
  };
  return {
    async call(name, input) {
      const res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-preflight-token': token },
        body: JSON.stringify(input ?? {}),
      });
      if (res.status === 401) return { error: { message: 'This page has no valid token. Open the URL that `preflight serve` printed.', code: 'unauthorized' } };
      return (await res.json()) as Envelope<unknown>;
    },
    on(name, listener) {
      const src = ensureSource();
      let set = listeners.get(name);
      if (!set) {
        const created = new Set<(payload: unknown) => void>();
        listeners.set(name, created);
        set = created;
        src.addEventListener(name, (event) => {
          const data: unknown = JSON.parse((event as MessageEvent<string>).data);
          for (const l of created) l(data);
        });
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

function createClient(bridge: PreloadBridge = window.preflight ?? httpBridge()): ContractClient {
  return {
    async call(name, input) {
      if (!isCallName(name)) throw new Error(`Unknown call ${String(name)}`);
      return unwrap(await bridge.call(name, input)) as never;
    },
    on(name, listener) {
      if (!isEventName(name)) throw new Error(`Unknown event ${String(name)}`);
      return bridge.on(name, (payload) => {
        const parsed = eventSchemas[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as never);
      });
    },
  };
}

export const client = createClient();
