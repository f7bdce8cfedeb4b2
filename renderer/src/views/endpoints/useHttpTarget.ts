import { useCallback, useEffect, useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { client } from '../../api/client';

export type EndpointsView = CallOutput<'http.endpoints'>;

/** The latest endpoints view of one watched API, refreshed after every run. */
export function useHttpTarget(targetId: string | null) {
  const [view, setView] = useState<EndpointsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    if (!targetId) return;
    try {
      setView(await client.call('http.endpoints', { targetId }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [targetId]);
  useEffect(() => {
    setView(null);
    if (!targetId) return;
    void refresh();
    return client.on('http.run', (run) => {
      if (run.targetId === targetId) void refresh();
    });
  }, [targetId, refresh]);
  return { view, error };
}
