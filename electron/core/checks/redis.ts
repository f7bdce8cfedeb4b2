/**
 * The Redis checks as the `preflight redis` command and the Redis watcher run them: the very
 * catalogue definitions (redis/*.ts) — same ids, severities and defaults as `preflight check` —
 * with the thresholds given on the command line or by the watcher's caller.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { RedisSample, RedisThresholds } from '../../../shared/schemas/redis';
import { resultOf } from './result';
import evictions, { evictionsVerdict } from './redis/evictions';
import hitRate, { hitRateVerdict, type HitRateWindow } from './redis/hit-rate';
import memory, { memoryVerdict } from './redis/memory';
import rejectedConnections, { rejectedVerdict } from './redis/rejected-connections';

export type { HitRateWindow } from './redis/hit-rate';

/** The definitions' own defaults (what `preflight check` uses when a profile says nothing). */
const defaults = { ...hitRate.readExpectations({}).redis, ...memory.readExpectations({}).redis };
export const DEFAULT_REDIS_THRESHOLDS: RedisThresholds = { hitRate: defaults.hitRateAtLeast, minLookups: defaults.minLookups, memoryUtilization: defaults.memoryUsedRatio.fail };
/** A profile's Redis expectations as the watcher's thresholds (defaults from the definitions). */
export function redisThresholdsFrom(profileExpectations: unknown): RedisThresholds {
  const x = { ...hitRate.readExpectations(profileExpectations).redis, ...memory.readExpectations(profileExpectations).redis };
  return { hitRate: x.hitRateAtLeast, minLookups: x.minLookups, memoryUtilization: x.memoryUsedRatio.fail };
}

/** The memory warning line the catalogue uses, kept below a failing line given on its own. */
const warnBelow = (failAt: number) => Math.min(defaults.memoryUsedRatio.warn, failAt);

export function checkHitRate(sample: RedisSample, thresholds: Pick<RedisThresholds, 'hitRate' | 'minLookups'>, window: HitRateWindow = 'sample'): CheckResult {
  return resultOf(hitRate, hitRateVerdict(sample, { hitRateAtLeast: thresholds.hitRate, minLookups: thresholds.minLookups }, window));
}

/** With only a failing line, nothing warns; `warnAt` adds the warning line. */
export function checkMemory(sample: RedisSample, thresholds: Pick<RedisThresholds, 'memoryUtilization'> & { warnAt?: number }): CheckResult {
  return resultOf(memory, memoryVerdict(sample, { warn: thresholds.warnAt ?? thresholds.memoryUtilization, fail: thresholds.memoryUtilization }));
}

export function checkEvictions(sample: RedisSample, allowedPerMinute = 0): CheckResult {
  return resultOf(evictions, evictionsVerdict(sample, allowedPerMinute));
}

export function checkRejectedConnections(sample: RedisSample): CheckResult {
  return resultOf(rejectedConnections, rejectedVerdict(sample));
}

export function redisChecks(sample: RedisSample, thresholds: RedisThresholds = DEFAULT_REDIS_THRESHOLDS, window: HitRateWindow = 'sample'): CheckResult[] {
  return [
    checkHitRate(sample, thresholds, window),
    checkMemory(sample, { memoryUtilization: thresholds.memoryUtilization, warnAt: warnBelow(thresholds.memoryUtilization) }),
    checkEvictions(sample),
    checkRejectedConnections(sample),
  ];
}
