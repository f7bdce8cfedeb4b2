/** redis.memory: used_memory against maxmemory, with a warning line below the failing one. */
import type { RedisSample } from '../../../../shared/schemas/redis';
import { Band } from '../../profile/fields';
import { defineCheck, type Verdict } from '../define';
import { mib, pct } from './format';

export function memoryVerdict(sample: RedisSample, band: Band): Verdict {
  const evidence = { usedMemoryBytes: sample.usedMemoryBytes, maxMemoryBytes: sample.maxMemoryBytes, memoryUtilization: sample.memoryUtilization, maxMemoryPolicy: sample.maxMemoryPolicy, threshold: band.fail, warnAt: band.warn };
  if (sample.usedMemoryBytes === null) return { status: 'skipped', summary: 'Memory unknown: the server did not report INFO memory.', evidence };
  if (sample.maxMemoryBytes === null || sample.memoryUtilization === null) {
    return { status: 'skipped', summary: `Using ${mib(sample.usedMemoryBytes)} with no maxmemory limit set: nothing to compare against.`, evidence };
  }
  const u = sample.memoryUtilization;
  const summary = `Using ${mib(sample.usedMemoryBytes)} of ${mib(sample.maxMemoryBytes)} maxmemory (${pct(u)}); limit ${pct(band.fail)}.`;
  if (u >= band.fail) return { status: 'fail', summary, evidence };
  if (u >= band.warn) return { status: 'warn', summary: `${summary} Above the warning line of ${(band.warn * 100).toFixed(0)} %.`, evidence };
  return { status: 'pass', summary, evidence };
}

export default defineCheck({
  id: 'redis.memory',
  title: 'Redis memory below its limit',
  category: 'infrastructure',
  severity: 'high',
  fix: 'Redis sized for cache and rate-limit keys: used memory well below maxmemory (raise the limit or the plan, shorten TTLs)',
  needs: ['redis'],
  expectations: { redis: { memoryUsedRatio: Band.default({ warn: 0.7, fail: 0.8 }) } },
  evaluate: ({ redis }, { redis: x }) => memoryVerdict(redis, x.memoryUsedRatio),
});
