/**
 * redis.fragmentation: mem_fragmentation_ratio (RSS / used_memory). Well above 1 the allocator
 * holds memory Redis no longer uses (the OS sees more than Redis counts against maxmemory).
 * Below 1 is not judged as swapping: Redis samples RSS lazily, so right after a burst of writes
 * the ratio reads low on a healthy server. On a nearly empty server the ratio is large and
 * meaningless, so under `fragmentationMinUsedBytes` it is not judged.
 */
import { z } from 'zod';
import { Band } from '../../profile/fields';
import { defineCheck, fail, pass, skipped, warn } from '../define';
import { mb } from './format';

export default defineCheck({
  id: 'redis.fragmentation',
  title: 'Redis memory is not fragmented',
  category: 'infrastructure',
  severity: 'low',
  fix: 'Active defragmentation on (activedefrag yes), or a planned restart off-peak',
  needs: ['redis'],
  expectations: {
    redis: {
      /** RSS / used_memory: warn and fail lines. */
      fragmentationRatio: Band.default({ warn: 1.5, fail: 2 }),
      /** Below this much used memory the ratio is not judged (a nearly empty server always looks fragmented). */
      fragmentationMinUsedBytes: z.number().int().nonnegative().default(64 * 1024 * 1024),
    },
  },
  evaluate({ redis: s }, { redis: x }) {
    const ratio = s.fragmentationRatio;
    const evidence = { fragmentationRatio: ratio, usedMemoryBytes: s.usedMemoryBytes, usedMemoryRssBytes: s.usedMemoryRssBytes, thresholds: x.fragmentationRatio, minUsedBytes: x.fragmentationMinUsedBytes, sampledAt: s.sampledAt };
    if (ratio === null || s.usedMemoryBytes === null) return skipped('Fragmentation unknown: the server did not report mem_fragmentation_ratio (INFO memory).', evidence);
    const used = `${mb(s.usedMemoryBytes)} used${s.usedMemoryRssBytes === null ? '' : `, ${mb(s.usedMemoryRssBytes)} resident`}`;
    if (s.usedMemoryBytes < x.fragmentationMinUsedBytes) {
      return skipped(`Not enough data to judge: ${used} is under ${mb(x.fragmentationMinUsedBytes)}, where the ratio (${ratio.toFixed(2)}) says nothing.`, evidence);
    }
    const what = `Fragmentation ratio ${ratio.toFixed(2)} (${used} at ${s.sampledAt})`;
    if (ratio >= x.fragmentationRatio.fail) return fail(`${what}; limit ${x.fragmentationRatio.fail}.`, evidence);
    if (ratio >= x.fragmentationRatio.warn) return warn(`${what}; warning at ${x.fragmentationRatio.warn}.`, evidence);
    return pass(`${what}; under ${x.fragmentationRatio.warn}.`, evidence);
  },
});
