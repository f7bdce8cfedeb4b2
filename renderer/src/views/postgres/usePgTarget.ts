import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActivitySample, PgTick, SessionRow } from '../../../../shared/schemas/postgres';
import { client } from '../../api/client';
import { useCurrentTarget } from '../../components/useCurrentTarget';

const MAX_POINTS = 720;
/** The session list (every row of pg_stat_activity with query text) is heavier than a sample: refresh it at most this often, or on request. */
export const SESSIONS_REFRESH_MS = 15_000;

/**
 * What the tiles single out (who waits on whom, who sits idle in a transaction): when it changes,
 * the table is re-read at once so it shows the sessions the tiles name.
 */
function problemSignature(s: ActivitySample): string {
  const blocked = s.blocked.map((b) => `${b.pid}<${b.blockedBy.join('+')}`).sort();
  const idle = s.idleInTransaction.map((i) => i.pid).sort((a, b) => a - b);
  return `${blocked.join(',')}|${idle.join(',')}`;
}

/** What made the sessions list be re-read: shown beside its age, so a reader (and a test) knows why it is this fresh. */
export type SessionsTrigger = 'opened' | 'tiles' | 'timer' | 'request';
export const TRIGGER_TEXT: Record<SessionsTrigger, string> = { opened: 'when the page opened', tiles: 'when lock waits or idle-in-transaction sessions changed', timer: 'on the regular refresh', request: 'on request' };

/** Live ticks and the sessions list of one watched database. */
export function usePgTarget(targetId: string | null) {
  const [ticks, setTicks] = useState<PgTick[]>([]);
  // Which target `ticks` and `sessions` belong to: on the render where the selection changes,
  // before the effect below clears them, the previous target's figures must not show under the new name.
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [sessionsError, setSessionsError] = useState<string | null>(null);
  const [sessionsAt, setSessionsAt] = useState<string | null>(null);
  // The trigger of the listing shown, and how many listings the tiles have triggered on this target.
  const [sessionsBy, setSessionsBy] = useState<{ trigger: SessionsTrigger; tileRefreshes: number } | null>(null);
  const lastSessionsFetch = useRef(0);
  const shownSignature = useRef('|');

  const forTarget = useCurrentTarget(targetId);

  const refreshSessions = useCallback(async (trigger: SessionsTrigger = 'request') => {
    if (!targetId) return;
    lastSessionsFetch.current = Date.now();
    // A listing that comes back after the user picked another database is dropped (useCurrentTarget).
    await client.call('pg.sessions', { targetId }).then(
      forTarget(targetId, (rows: SessionRow[]) => {
        setSessions(rows);
        setSessionsAt(new Date().toISOString());
        setSessionsBy((b) => ({ trigger, tileRefreshes: (b?.tileRefreshes ?? 0) + (trigger === 'tiles' ? 1 : 0) }));
        setSessionsError(null);
      }),
      forTarget(targetId, (err: Error) => setSessionsError(err.message)),
    );
  }, [targetId, forTarget]);

  useEffect(() => {
    setTicks([]);
    setLoadedFor(targetId);
    setSessions(null);
    setSessionsError(null);
    setSessionsBy(null);
    shownSignature.current = '|';
    if (!targetId) return;
    let cancelled = false;
    void client.call('pg.history', { targetId, limit: MAX_POINTS }).then((history) => {
      if (!cancelled) setTicks((live) => mergeTicks(history, live));
    });
    void refreshSessions('opened');
    // While the window is hidden nothing is drawn: ticks wait here and land in one render (and one table read) when it shows again.
    const hidden: PgTick[] = [];
    const onVisibility = () => {
      if (document.hidden || !hidden.length) return;
      const batch = hidden.splice(0);
      setTicks((prev) => mergeTicks(prev, batch));
      void refreshSessions('timer');
    };
    document.addEventListener('visibilitychange', onVisibility);
    const off = client.on('pg.tick', (tick) => {
      if (tick.targetId !== targetId) return;
      if (document.hidden) {
        hidden.push(tick);
        return;
      }
      setTicks((prev) => mergeTicks(prev, [tick]));
      if (tick.status !== 'up' || !tick.sample) return;
      const signature = problemSignature(tick.sample);
      const changed = signature !== shownSignature.current;
      shownSignature.current = signature;
      if (changed) void refreshSessions('tiles');
      else if (Date.now() - lastSessionsFetch.current >= SESSIONS_REFRESH_MS) void refreshSessions('timer');
    });
    return () => {
      cancelled = true;
      off();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [targetId, refreshSessions]);

  if (loadedFor !== targetId) return { ticks: [], sessions: null, sessionsError: null, sessionsAt: null, sessionsBy: null, refreshSessions };
  return { ticks, sessions, sessionsError, sessionsAt, sessionsBy, refreshSessions };
}

function mergeTicks(a: PgTick[], b: PgTick[]): PgTick[] {
  const seen = new Set(a.map((t) => `${t.at}|${t.status}`));
  const merged = [...a, ...b.filter((t) => !seen.has(`${t.at}|${t.status}`))];
  merged.sort((x, y) => x.at.localeCompare(y.at));
  return merged.slice(-MAX_POINTS);
}
