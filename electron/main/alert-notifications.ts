/**
 * Desktop notifications for launch-watch alerts (issue 13): one per alert that starts firing or
 * resolves, from the main process, so they arrive with the window closed or hidden. The renderer
 * asks for none here (the session denies the Notification permission to pages).
 */
import { Notification } from 'electron';
import type { EventHub } from '../core/api/event-hub';
import { scrubMessage } from '../core/util/redact';
import type { EventPayload } from '../../shared/contract';

export function notifyAlerts(events: EventHub): () => void {
  return events.subscribe((name, payload) => {
    if (name !== 'launch.alert') return;
    const alert = payload as EventPayload<'launch.alert'>;
    if (alert.state === 'pending' || !Notification.isSupported()) return;
    const firing = alert.state === 'firing';
    new Notification({
      title: `${firing ? 'Alert firing' : 'Resolved'}: ${alert.rule}`,
      // Alert messages can quote a target's error; masked like every other message that leaves the engine.
      body: scrubMessage(`${alert.profile}/${alert.environment} · ${alert.message}`),
      urgency: firing ? 'critical' : 'normal',
    }).show();
  });
}
