/**
 * Browser notifications for launch-watch alerts: asked for only when the person clicks, then
 * one notification per alert that starts firing or resolves (the desktop app shows its own).
 */
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../api/client';

export function useAlertNotifications(onAlert: () => void) {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(supported ? Notification.permission : 'unsupported');
  useEffect(
    () =>
      client.on('launch.alert', (a) => {
        onAlert();
        if (!supported || Notification.permission !== 'granted' || a.state === 'pending') return;
        new Notification(`${a.state === 'firing' ? 'Alert firing' : 'Resolved'}: ${a.rule}`, { body: `${a.profile}/${a.environment} · ${a.message}`, tag: `${a.sessionId}:${a.rule}` });
      }),
    [onAlert, supported],
  );
  const ask = useCallback(() => {
    if (!supported) return;
    void Notification.requestPermission().then(setPermission);
  }, [supported]);
  return { permission, ask };
}
