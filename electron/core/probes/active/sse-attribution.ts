/**
 * Which database sessions the SSE streams held, told apart by pid instead of by counts: a
 * count cannot tell a stream's session from the app's pool opening a connection for the
 * stream's first query (and idling it out 10 s later, right when a 10 s hold closes), or from
 * a poll's own short session. Pure, over the sampler's per-session snapshots.
 */
import type { SseObservation, SseSample } from '../../../../shared/schemas/active';

export interface SessionSnapshot {
  atMs: number;
  phase: SseSample['phase'];
  openStreams: number;
  sessions: { key: string; pid: number; state: string | null; queryStart: number | null }[];
}

export type SessionAttribution = NonNullable<SseObservation['attribution']>;

/**
 * A session counts as held by the streams when it was not there just before they opened (the
 * baseline), was there through the hold (at least half the samples taken while every opened
 * stream was open, and the last one), was used more than once while they were open (a pool's
 * connection opened for one query and left idle is not), and ended within `closedWithinMs` of
 * the streams closing. Used and still open when the settle wait ended: `stillOpen` (a leak).
 */
export function attributeSessions(snapshots: SessionSnapshot[], o: { closedAtMs: number; openedStreams: number; closedWithinMs: number }): SessionAttribution {
  const baseline = snapshots.filter((s) => s.phase === 'baseline').at(-1);
  const baselineKeys = new Set(baseline?.sessions.map((x) => x.key) ?? []);
  const open = snapshots.filter((s) => s.phase === 'open');
  const allOpen = open.filter((s) => o.openedStreams > 0 && s.openStreams >= o.openedStreams);
  const window = allOpen.length ? allOpen : open;
  const after = snapshots.filter((s) => s.phase === 'after');
  const held: SessionAttribution['held'] = [];
  let stillOpen = 0;
  let idlePool = 0;
  let shortLived = 0;
  const seen = new Map<string, { pid: number; firstSeenMs: number; present: number; queryStarts: Set<number> }>();
  for (const snap of open) {
    for (const x of snap.sessions) {
      if (baselineKeys.has(x.key)) continue;
      let e = seen.get(x.key);
      if (!e) seen.set(x.key, (e = { pid: x.pid, firstSeenMs: snap.atMs, present: 0, queryStarts: new Set() }));
      if (window.includes(snap)) e.present += 1;
      if (x.queryStart !== null) e.queryStarts.add(x.queryStart);
    }
  }
  const last = window.at(-1);
  for (const [key, e] of seen) {
    const throughHold = !!last && last.sessions.some((x) => x.key === key) && e.present * 2 >= window.length;
    if (!throughHold) {
      shortLived += 1;
      continue;
    }
    if (e.queryStarts.size < 2) {
      idlePool += 1;
      continue;
    }
    const gone = after.find((s) => !s.sessions.some((x) => x.key === key));
    const goneMs = gone ? Number((gone.atMs - o.closedAtMs).toFixed(1)) : null;
    if (goneMs === null) stillOpen += 1;
    else if (goneMs <= o.closedWithinMs) held.push({ pid: e.pid, firstSeenMs: e.firstSeenMs, goneMs, uses: e.queryStarts.size });
    // Used, but gone long after the streams closed: a pool connection idling out on its own clock.
    else idlePool += 1;
  }
  return { held, stillOpen, idlePool, shortLived, baselinePids: baselineKeys.size };
}
