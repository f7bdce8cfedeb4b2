/**
 * Redis checks: pure functions over one RedisSample. Thresholds are parameters (the profile
 * supplies them; StartInsight: hit rate ≥ 80 %, memory < 80 % of maxmemory).
 *
 * A hit rate over too few lookups is not evidence either way: below `minLookups` (or with no
 * window yet) the check reports status 'skipped' with a summary that starts "Not enough traffic
 * to judge" — never pass or fail.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { RedisSample, RedisThresholds } from '../../../shared/schemas/redis';

export const STARTINSIGHT_REDIS_THRESHOLDS: RedisThresholds = { hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 };

/** Which window the hit-rate check judges: the last sample window or a rolling one. */
export type HitRateWindow = 'sample' | '1m' | '5m' | '1h';

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const secs = (v: number) => (v >= 120 ? `${(v / 60).toFixed(1)} min` : `${v.toFixed(1)} s`);
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;

function result(partial: Omit<CheckResult, 'category' | 'durationMs'> & { category?: CheckResult['category'] }): CheckResult {
  return { category: 'performance', durationMs: 0, ...partial };
}

export function hitRateOver(sample: RedisSample, window: HitRateWindow): { hitRate: number | null; lookups: number | null; seconds: number | null } {
  if (window === 'sample') return { hitRate: sample.hitRate, lookups: sample.lookups, seconds: sample.windowSeconds };
  const r = sample.rolling[window];
  return { hitRate: r.hitRate, lookups: r.lookups, seconds: r.coveredSeconds || null };
}

export function checkHitRate(sample: RedisSample, thresholds: Pick<RedisThresholds, 'hitRate' | 'minLookups'>, window: HitRateWindow = 'sample'): CheckResult {
  const { hitRate, lookups, seconds } = hitRateOver(sample, window);
  const base = {
    id: 'redis.hit-rate',
    title: `Cache hit rate ≥ ${pct(thresholds.hitRate)}`,
    severity: 'high' as const,
    fix: 'Cache what the app reads repeatedly and check key TTLs; a cold cache after a deploy warms up within minutes.',
  };
  const evidence = {
    hitRate,
    lookups,
    windowSeconds: seconds,
    window,
    threshold: thresholds.hitRate,
    minLookups: thresholds.minLookups,
    lifetimeHitRate: sample.lifetimeHitRate,
    lifetimeLookups: sample.lifetimeLookups,
    reset: sample.reset,
  };
  if (seconds === null) {
    const why = sample.reset ? `counters were reset (${sample.resetReason}); the window restarts now` : 'no window yet (needs two samples)';
    return result({ ...base, status: 'skipped', summary: `Not enough traffic to judge: ${why}.`, evidence });
  }
  if (hitRate === null || lookups === null || lookups < thresholds.minLookups) {
    return result({ ...base, status: 'skipped', summary: `Not enough traffic to judge: ${lookups ?? 0} lookups in ${secs(seconds)} (needs at least ${thresholds.minLookups}).`, evidence });
  }
  const pass = hitRate >= thresholds.hitRate;
  return result({ ...base, status: pass ? 'pass' : 'fail', summary: `Hit rate ${pct(hitRate)} over the last ${secs(seconds)} (${lookups} lookups); threshold ${pct(thresholds.hitRate)}.`, evidence });
}

export function checkMemory(sample: RedisSample, thresholds: Pick<RedisThresholds, 'memoryUtilization'>): CheckResult {
  const base = {
    id: 'redis.memory',
    title: `Memory below ${pct(thresholds.memoryUtilization)} of maxmemory`,
    severity: 'high' as const,
    category: 'infrastructure' as const,
    fix: 'Raise maxmemory (or the plan), shorten TTLs, or pick an eviction policy that suits a cache.',
  };
  const evidence = { usedMemoryBytes: sample.usedMemoryBytes, maxMemoryBytes: sample.maxMemoryBytes, memoryUtilization: sample.memoryUtilization, maxMemoryPolicy: sample.maxMemoryPolicy, threshold: thresholds.memoryUtilization };
  if (sample.usedMemoryBytes === null) return result({ ...base, status: 'skipped', summary: 'Memory unknown: the server did not report INFO memory.', evidence });
  if (sample.maxMemoryBytes === null || sample.memoryUtilization === null) {
    return result({ ...base, status: 'skipped', summary: `Using ${mb(sample.usedMemoryBytes)} with no maxmemory limit set: nothing to compare against.`, evidence });
  }
  const u = sample.memoryUtilization;
  return result({
    ...base,
    status: u < thresholds.memoryUtilization ? 'pass' : 'fail',
    summary: `Using ${mb(sample.usedMemoryBytes)} of ${mb(sample.maxMemoryBytes)} maxmemory (${pct(u)}); limit ${pct(thresholds.memoryUtilization)}.`,
    evidence,
  });
}

export function checkEvictions(sample: RedisSample): CheckResult {
  const base = { id: 'redis.evictions', title: 'No evictions in the window', severity: 'medium' as const, fix: 'Evictions mean Redis reached maxmemory: raise the limit or store less.' };
  const evidence = { evictedKeys: sample.evictedKeys, evictedKeysPerSec: sample.evictedKeysPerSec, windowSeconds: sample.windowSeconds, maxMemoryPolicy: sample.maxMemoryPolicy };
  if (sample.windowSeconds === null || sample.evictedKeys === null) {
    return result({ ...base, status: 'skipped', summary: 'No window yet (or INFO stats not reported): cannot count evictions.', evidence });
  }
  if (sample.evictedKeys === 0) return result({ ...base, status: 'pass', summary: `No keys evicted in the last ${secs(sample.windowSeconds)}.`, evidence });
  return result({ ...base, status: 'fail', summary: `${sample.evictedKeys} keys evicted in the last ${secs(sample.windowSeconds)} (${(sample.evictedKeysPerSec ?? 0).toFixed(2)} keys/s).`, evidence });
}

export function checkRejectedConnections(sample: RedisSample): CheckResult {
  const base = {
    id: 'redis.rejected-connections',
    title: 'No rejected connections',
    severity: 'high' as const,
    category: 'infrastructure' as const,
    fix: 'Clients hit maxclients: raise it (or the plan) and look for connection leaks in the app.',
  };
  const evidence = {
    rejectedConnectionsInWindow: sample.rejectedConnectionsInWindow,
    rejectedConnectionsSinceStart: sample.rejectedConnections,
    connectedClients: sample.connectedClients,
    maxClients: sample.maxClients,
    windowSeconds: sample.windowSeconds,
  };
  if (sample.rejectedConnections === null) return result({ ...base, status: 'skipped', summary: 'Unknown: the server did not report rejected_connections.', evidence });
  if (sample.rejectedConnectionsInWindow !== null && sample.rejectedConnectionsInWindow > 0) {
    return result({ ...base, status: 'fail', summary: `${sample.rejectedConnectionsInWindow} connections rejected in the last ${secs(sample.windowSeconds ?? 0)} (maxclients ${sample.maxClients ?? 'unknown'}).`, evidence });
  }
  if (sample.rejectedConnections > 0) {
    return result({ ...base, status: 'warn', summary: `${sample.rejectedConnections} connections rejected since the server started, none in the current window.`, evidence });
  }
  return result({ ...base, status: 'pass', summary: 'No connection rejected since the server started.', evidence });
}

export function redisChecks(sample: RedisSample, thresholds: RedisThresholds = STARTINSIGHT_REDIS_THRESHOLDS, window: HitRateWindow = 'sample'): CheckResult[] {
  return [checkHitRate(sample, thresholds, window), checkMemory(sample, thresholds), checkEvictions(sample), checkRejectedConnections(sample)];
}
