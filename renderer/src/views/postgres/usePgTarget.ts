import { useCallback, useEffect, useRef, useState } from 'react';
import type { PgTick, SessionRow } from '../../../../shared/schemas/postgres';
import { client } from '../../api/client';

const MAX_POINTS = 720;
/** The session list (every row of pg_stat_activity with query text) is heavier than a sample: refresh it at most this often, or on request. */
export const SESSIONS_REFRESH_MS = 15_000;

/** Live ticks and the sessions list of one watched database. */
export function usePgTarget(targetId: string | null) {
  const [ticks, setTicks] = useState<PgTick[]>([]);
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [sessionsError, setSessionsError] = useState<string | null>(null);
  const [sessionsAt, setSessionsAt] = useState<string | null>(null);
  const lastSessionsFetch = useRef(0);

  const refreshSessions = useCallback(async () => {
    if (!targetId) return;
    lastSessionsFetch.current = Date.now();
    try {
      setSessions(await client.call('pg.sessions', { targetId }));
      setSessionsAt(new Date().toISOString());
      setSessionsError(null);
    } catch (err) {
      setSessionsError((err as Error).message);
    }
  }, [targetId]);

  useEffect(() => {
    setTicks([]);
    setSessions(null);
    if (!targetId) return;
    let cancelled = false;
    void client.call('pg.history', { targetId, limit: MAX_POINTS }).then((history) => {
      if (!cancelled) setTicks((live) => mergeTicks(history, live));
    });
    void refreshSessions();
    const off = client.on('pg.tick', (tick) => {
      if (tick.targetId !== targetId) return;
      setTicks((prev) => mergeTicks(prev, [tick]));
      if (tick.status === 'up' && Date.now() - lastSessionsFetch.current >= SESSIONS_REFRESH_MS) void refreshSessions();
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [targetId, refreshSessions]);

  return { ticks, sessions, sessionsError, sessionsAt, refreshSessions };
}

function mergeTicks(a: PgTick[], b: PgTick[]): PgTick[] {
  const seen = new Set(a.map((t) => `${t.at}|${t.status}`));
  const merged = [...a, ...b.filter((t) => !seen.has(`${t.at}|${t.status}`))];
  merged.sort((x, y) => x.at.localeCompare(y.at));
  return merged.slice(-MAX_POINTS);
}
