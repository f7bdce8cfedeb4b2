/**
 * Windowed rates from Redis's lifetime counters (pure; no I/O). Each sample's counters are
 * compared with the previous sample's, divided by the real elapsed time between them. A counter
 * reset — a new run_id, uptime going down, or any counter going down (CONFIG RESETSTAT) —
 * restarts every window instead of producing a negative or >100 % rate.
 */

export interface CounterSnapshot {
  /** Monotonic clock reading in milliseconds (performance.now()), for elapsed time. */
  atMs: number;
  runId: string | null;
  uptimeSeconds: number | null;
  hits: number | null;
  misses: number | null;
  commands: number | null;
  evicted: number | null;
  expired: number | null;
  rejected: number | null;
  /** Commands Preflight itself had sent on its connection when the stats section was read. */
  ownCommands: number;
}

export interface WindowDelta {
  seconds: number;
  hits: number | null;
  misses: number | null;
  lookups: number | null;
  hitRate: number | null;
  commands: number | null;
  opsPerSec: number | null;
  evicted: number | null;
  evictedPerSec: number | null;
  expired: number | null;
  expiredPerSec: number | null;
  rejected: number | null;
}

export const ROLLING_WINDOWS = { '1m': 60, '5m': 300, '1h': 3600 } as const;
export type RollingWindowName = keyof typeof ROLLING_WINDOWS;

const COUNTERS = ['hits', 'misses', 'commands', 'evicted', 'expired', 'rejected'] as const;

function diff(later: number | null, earlier: number | null): number | null {
  return later === null || earlier === null ? null : later - earlier;
}

/** Why `current` cannot be compared with `previous`, or null when it can. */
export function detectReset(previous: CounterSnapshot, current: CounterSnapshot): string | null {
  if (previous.runId && current.runId && previous.runId !== current.runId) return 'run_id changed (server restarted)';
  if (previous.uptimeSeconds !== null && current.uptimeSeconds !== null && current.uptimeSeconds < previous.uptimeSeconds) {
    return `uptime went down (${previous.uptimeSeconds} s → ${current.uptimeSeconds} s)`;
  }
  for (const key of COUNTERS) {
    const d = diff(current[key], previous[key]);
    if (d !== null && d < 0) return `${key} counter went down (statistics reset)`;
  }
  return null;
}

/** Rates between two snapshots of the same counter epoch. */
export function windowDelta(earlier: CounterSnapshot, later: CounterSnapshot): WindowDelta {
  const seconds = (later.atMs - earlier.atMs) / 1000;
  const perSec = (n: number | null) => (n === null || seconds <= 0 ? null : n / seconds);
  const hits = diff(later.hits, earlier.hits);
  const misses = diff(later.misses, earlier.misses);
  const lookups = hits === null || misses === null ? null : hits + misses;
  const rawCommands = diff(later.commands, earlier.commands);
  // Our own INFO/PING are counted by the server too; the app's traffic is what we report.
  const commands = rawCommands === null ? null : Math.max(0, rawCommands - (later.ownCommands - earlier.ownCommands));
  const evicted = diff(later.evicted, earlier.evicted);
  const expired = diff(later.expired, earlier.expired);
  return {
    seconds,
    hits,
    misses,
    lookups,
    hitRate: lookups ? hits! / lookups : null,
    commands,
    opsPerSec: perSec(commands),
    evicted,
    evictedPerSec: perSec(evicted),
    expired,
    expiredPerSec: perSec(expired),
    rejected: diff(later.rejected, earlier.rejected),
  };
}

export function lifetimeHitRate(s: CounterSnapshot): { hitRate: number | null; lookups: number | null } {
  if (s.hits === null || s.misses === null) return { hitRate: null, lookups: null };
  const lookups = s.hits + s.misses;
  return { hitRate: lookups > 0 ? s.hits / lookups : null, lookups };
}

export interface RollingRate {
  windowSeconds: number;
  coveredSeconds: number;
  hitRate: number | null;
  lookups: number | null;
  opsPerSec: number | null;
  evictedKeysPerSec: number | null;
}

export interface TrackerUpdate {
  /** Since the previous sample; null on the first sample and right after a reset. */
  window: WindowDelta | null;
  reset: boolean;
  resetReason: string | null;
  rolling: Record<RollingWindowName, RollingRate>;
}

/**
 * Keeps the snapshots of the current counter epoch for up to an hour and answers, for each new
 * snapshot, the window since the previous one and the 1 min / 5 min / 1 h rolling rates.
 */
export class RateTracker {
  private snapshots: CounterSnapshot[] = [];

  constructor(private readonly horizonSeconds = ROLLING_WINDOWS['1h']) {}

  get size(): number {
    return this.snapshots.length;
  }

  push(current: CounterSnapshot): TrackerUpdate {
    const previous = this.snapshots.at(-1);
    const resetReason = previous ? detectReset(previous, current) : null;
    if (resetReason) this.snapshots = [];
    const window = previous && !resetReason ? windowDelta(previous, current) : null;
    this.snapshots.push(current);
    this.prune(current.atMs);
    const rolling = Object.fromEntries(
      Object.entries(ROLLING_WINDOWS).map(([name, seconds]) => [name, this.rolling(current, seconds)]),
    ) as Record<RollingWindowName, RollingRate>;
    return { window, reset: resetReason !== null, resetReason, rolling };
  }

  private prune(nowMs: number): void {
    // Keep one snapshot at or before the horizon so the 1 h window can be fully covered.
    const cutoff = nowMs - this.horizonSeconds * 1000;
    let drop = 0;
    while (drop + 1 < this.snapshots.length && this.snapshots[drop + 1]!.atMs <= cutoff) drop++;
    if (drop > 0) this.snapshots.splice(0, drop);
  }

  private rolling(current: CounterSnapshot, seconds: number): RollingRate {
    const cutoff = current.atMs - seconds * 1000;
    // The newest snapshot at or before the cutoff, else the oldest of the epoch (partial cover).
    let base: CounterSnapshot | undefined;
    for (const s of this.snapshots) {
      if (s === current) break;
      if (s.atMs <= cutoff || base === undefined) base = s;
      if (s.atMs > cutoff) break;
    }
    if (!base) return { windowSeconds: seconds, coveredSeconds: 0, hitRate: null, lookups: null, opsPerSec: null, evictedKeysPerSec: null };
    const d = windowDelta(base, current);
    return { windowSeconds: seconds, coveredSeconds: d.seconds, hitRate: d.hitRate, lookups: d.lookups, opsPerSec: d.opsPerSec, evictedKeysPerSec: d.evictedPerSec };
  }
}
