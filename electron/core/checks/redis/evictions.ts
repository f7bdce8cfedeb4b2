/** redis.evictions: keys evicted in the window, against an allowance in keys per minute (default none). */
import type { RedisSample } from '../../../../shared/schemas/redis';
import { z } from 'zod';
import { defineCheck, type Verdict } from '../define';
import { secs } from './format';

export function evictionsVerdict(sample: RedisSample, allowedPerMinute = 0): Verdict {
  const evidence: Record<string, unknown> = { evictedKeys: sample.evictedKeys, evictedKeysPerSec: sample.evictedKeysPerSec, windowSeconds: sample.windowSeconds, maxMemoryPolicy: sample.maxMemoryPolicy };
  if (sample.windowSeconds === null || sample.evictedKeys === null) {
    return { status: 'skipped', summary: 'No window yet (or INFO stats not reported): cannot count evictions.', evidence };
  }
  if (sample.evictedKeys === 0) return { status: 'pass', summary: `No keys evicted in the last ${secs(sample.windowSeconds)}.`, evidence };
  const summary = `${sample.evictedKeys} keys evicted in the last ${secs(sample.windowSeconds)} (${(sample.evictedKeysPerSec ?? 0).toFixed(2)} keys/s).`;
  if (allowedPerMinute === 0 || sample.evictedKeysPerSec === null) return { status: 'fail', summary, evidence };
  const perMinute = sample.evictedKeysPerSec * 60;
  if (perMinute <= allowedPerMinute) return { status: 'pass', summary: `${summary} Within the allowed ${allowedPerMinute} keys/min (${perMinute.toFixed(1)} keys/min).`, evidence: { ...evidence, allowedPerMinute } };
  return { status: 'fail', summary: `${summary} Over the allowed ${allowedPerMinute} keys/min (${perMinute.toFixed(1)} keys/min).`, evidence: { ...evidence, allowedPerMinute } };
}

export default defineCheck({
  id: 'redis.evictions',
  title: 'Redis evicts no keys',
  category: 'infrastructure',
  severity: 'medium',
  fix: 'No evictions: rate-limit counters and cached keys are never dropped under memory pressure',
  needs: ['redis'],
  expectations: { redis: { evictionsPerMinuteAtMost: z.number().nonnegative().default(0) } },
  evaluate: ({ redis }, { redis: x }) => evictionsVerdict(redis, x.evictionsPerMinuteAtMost),
});
