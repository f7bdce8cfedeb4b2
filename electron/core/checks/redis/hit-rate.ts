/**
 * redis.hit-rate: keyspace hits / lookups over a window, from counter deltas (never the lifetime
 * ratio). Too few lookups is not evidence either way: below `minLookups` (or with no window yet)
 * the check is skipped with "Not enough traffic to judge" — never pass or fail.
 */
import type { RedisSample } from '../../../../shared/schemas/redis';
import { Ratio } from '../../profile/fields';
import { z } from 'zod';
import { defineCheck, type Verdict } from '../define';
import { pct, secs } from './format';

/** Which window the hit rate is judged over: the last sample window or a rolling one (watchers). */
export type HitRateWindow = 'sample' | '1m' | '5m' | '1h';

export function hitRateOver(sample: RedisSample, window: HitRateWindow): { hitRate: number | null; lookups: number | null; seconds: number | null } {
  if (window === 'sample') return { hitRate: sample.hitRate, lookups: sample.lookups, seconds: sample.windowSeconds };
  const r = sample.rolling[window];
  return { hitRate: r.hitRate, lookups: r.lookups, seconds: r.coveredSeconds || null };
}

export function hitRateVerdict(sample: RedisSample, x: { hitRateAtLeast: number; minLookups: number }, window: HitRateWindow = 'sample'): Verdict {
  const { hitRate, lookups, seconds } = hitRateOver(sample, window);
  const evidence = {
    hitRate,
    lookups,
    windowSeconds: seconds,
    window,
    threshold: x.hitRateAtLeast,
    minLookups: x.minLookups,
    lifetimeHitRate: sample.lifetimeHitRate,
    lifetimeLookups: sample.lifetimeLookups,
    reset: sample.reset,
  };
  if (seconds === null) {
    const why = sample.reset ? `counters were reset (${sample.resetReason}); the window restarts now` : 'no window yet (needs two samples)';
    return { status: 'skipped', summary: `Not enough traffic to judge: ${why}.`, evidence };
  }
  if (hitRate === null || lookups === null || lookups < x.minLookups) {
    return { status: 'skipped', summary: `Not enough traffic to judge: ${lookups ?? 0} lookups in ${secs(seconds)} (needs at least ${x.minLookups}).`, evidence };
  }
  const ok = hitRate >= x.hitRateAtLeast;
  return { status: ok ? 'pass' : 'fail', summary: `Hit rate ${pct(hitRate)} over the last ${secs(seconds)} (${lookups} lookups); threshold ${pct(x.hitRateAtLeast)}.`, evidence };
}

export default defineCheck({
  id: 'redis.hit-rate',
  title: 'Redis cache hit rate above the floor (windowed)',
  category: 'performance',
  severity: 'medium',
  fix: 'Cache what the app reads repeatedly and check key TTLs; a cold cache after a deploy warms up within minutes',
  needs: ['redis'],
  expectations: {
    redis: {
      hitRateAtLeast: Ratio.default(0.8),
      /** Fewer cache lookups than this in the window and redis.hit-rate does not judge (skipped). */
      minLookups: z.number().int().positive().default(100),
    },
  },
  evaluate: ({ redis }, { redis: x }) => hitRateVerdict(redis, x),
});
