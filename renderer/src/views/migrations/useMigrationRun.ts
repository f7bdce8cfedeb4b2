import { useEffect, useState } from 'react';
import type { ApplyResult, MigrationEvent } from '../../../../shared/schemas/migrations';
import { client } from '../../api/client';

/** Live events and the final result of apply runs on one target. */
export function useMigrationRun(targetId: string | null) {
  const [events, setEvents] = useState<MigrationEvent[]>([]);
  const [result, setResult] = useState<ApplyResult | null>(null);
  useEffect(() => {
    setEvents([]);
    setResult(null);
    if (!targetId) return;
    const offEvent = client.on('migrations.event', (e) => {
      if (e.targetId === targetId) setEvents((prev) => [...prev, e].slice(-500));
    });
    const offResult = client.on('migrations.result', (r) => {
      if (r.targetId === targetId) setResult(r);
    });
    return () => {
      offEvent();
      offResult();
    };
  }, [targetId]);
  const reset = () => {
    setEvents([]);
    setResult(null);
  };
  return { events, result, reset };
}
