import { useEffect, useState } from 'react';
import type { CheckResult } from '../../../../shared/schemas/check';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { client } from '../../api/client';

const MAX_POINTS = 720;

/** Live ticks and the latest checks of one watched Redis. */
export function useRedisTarget(targetId: string | null) {
  const [ticks, setTicks] = useState<RedisTick[]>([]);
  const [checks, setChecks] = useState<CheckResult[] | null>(null);
  // Which target `ticks` and `checks` belong to: on the render where the selection changes,
  // before the effect below clears them, the previous target's figures must not show under the new name.
  const [loadedFor, setLoadedFor] = useState<string | null>(null);

  useEffect(() => {
    setTicks([]);
    setChecks(null);
    setLoadedFor(targetId);
    if (!targetId) return;
    let cancelled = false;
    const refreshChecks = () =>
      client
        .call('redis.checks', { targetId, window: '5m' })
        .then((c) => !cancelled && setChecks(c))
        .catch(() => undefined);
    void client.call('redis.history', { targetId, limit: MAX_POINTS }).then((history) => {
      if (!cancelled) setTicks((live) => mergeTicks(history, live));
    });
    void refreshChecks();
    // While the window is hidden nothing is drawn: ticks wait here and land in one render when it shows again.
    const hidden: RedisTick[] = [];
    const onVisibility = () => {
      if (document.hidden || !hidden.length) return;
      const batch = hidden.splice(0);
      setTicks((prev) => mergeTicks(prev, batch));
      void refreshChecks();
    };
    document.addEventListener('visibilitychange', onVisibility);
    const off = client.on('redis.tick', (tick) => {
      if (tick.targetId !== targetId) return;
      if (document.hidden) {
        hidden.push(tick);
        return;
      }
      if (tick.status !== 'up') {
        setTicks((prev) => mergeTicks(prev, [tick]));
        return;
      }
      // One render per tick: the new point and the checks over it land together.
      void client
        .call('redis.checks', { targetId, window: '5m' })
        .catch(() => undefined)
        .then((c) => {
          if (cancelled) return;
          setTicks((prev) => mergeTicks(prev, [tick]));
          if (c !== undefined) setChecks(c);
        });
    });
    return () => {
      cancelled = true;
      off();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [targetId]);

  if (loadedFor !== targetId) return { ticks: [], checks: null };
  return { ticks, checks };
}

function mergeTicks(a: RedisTick[], b: RedisTick[]): RedisTick[] {
  const seen = new Set(a.map((t) => `${t.at}|${t.status}`));
  const merged = [...a, ...b.filter((t) => !seen.has(`${t.at}|${t.status}`))];
  merged.sort((x, y) => x.at.localeCompare(y.at));
  return merged.slice(-MAX_POINTS);
}
