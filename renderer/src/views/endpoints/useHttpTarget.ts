import { useCallback, useEffect, useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { client } from '../../api/client';
import { useCurrentTarget } from '../../components/useCurrentTarget';

export type EndpointsView = CallOutput<'http.endpoints'>;

/** The latest endpoints view of one watched API, refreshed after every run. */
export function useHttpTarget(targetId: string | null) {
  const [view, setView] = useState<EndpointsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const forTarget = useCurrentTarget(targetId);
  const refresh = useCallback(async () => {
    if (!targetId) return;
    // A reply that comes back after the user picked another API is dropped (useCurrentTarget).
    await client.call('http.endpoints', { targetId }).then(
      forTarget(targetId, (v: EndpointsView) => {
        setView(v);
        setError(null);
      }),
      forTarget(targetId, (err: Error) => setError(err.message)),
    );
  }, [targetId, forTarget]);
  useEffect(() => {
    setView(null);
    setError(null);
    if (!targetId) return;
    void refresh();
    return client.on('http.run', (run) => {
      if (run.targetId === targetId) void refresh();
    });
  }, [targetId, refresh]);
  return { view, error };
}
