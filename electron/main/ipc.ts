/**
 * The one choke point around ipcMain (STYLE.md 2): every contract call is registered here,
 * the sender frame must be our own page, input is parsed with zod, and the answer is a
 * `{result}` or `{error}` envelope.
 */
import { ipcMain, type WebContents } from 'electron';
import { callNames, type EventName, type Handlers } from '../../shared/contract';
import { dispatchCall } from '../../shared/dispatch';
import type { EventHub } from '../core/api/event-hub';
import { isTrustedSender } from './sender';

const CALL_CHANNEL_PREFIX = 'preflight:call:';
const EVENT_CHANNEL_PREFIX = 'preflight:event:';

/** `rendererUrl`: the exact app:// URL of the renderer index, the only page allowed to call. */
export function registerContractHandlers(handlers: Handlers, rendererUrl: string): () => void {
  for (const name of callNames) {
    ipcMain.handle(`${CALL_CHANNEL_PREFIX}${name}`, async (event, input: unknown) => {
      if (!isTrustedSender(event, rendererUrl)) return { error: { message: 'Rejected: the sender is not the Preflight window.', code: 'untrusted_sender' } };
      return dispatchCall(handlers, name, input);
    });
  }
  return () => callNames.forEach((name) => ipcMain.removeHandler(`${CALL_CHANNEL_PREFIX}${name}`));
}

/** Forwards contract events to one window; the payload only, never an event object. */
export function forwardEvents(events: EventHub, target: WebContents): () => void {
  return events.subscribe((name: EventName, payload) => {
    if (!target.isDestroyed()) target.send(`${EVENT_CHANNEL_PREFIX}${name}`, payload);
  });
}
