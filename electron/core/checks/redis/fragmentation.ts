/**
 * redis.fragmentation: mem_fragmentation_ratio (RSS / used_memory). Well above 1 the allocator
 * holds memory Redis no longer uses: the host sees more than Redis counts against maxmemory.
 * Like Redis's own active defragmentation (active-defrag-ignore-bytes 100mb), the ratio is
 * judged only once the memory held beyond used_memory is worth reclaiming; a nearly empty
 * server always shows a large, harmless ratio. A ratio below 1 is not read as swapping: Redis
 * samples RSS lazily, so it reads low right after a burst of writes on a healthy server.
 */
import { z } from 'zod';
import { Band } from '../../profile/fields';
import { defineCheck, fail, pass, skipped, warn } from '../define';
import { mib } from './format';

export default defineCheck({
  id: 'redis.fragmentation',
  title: 'Redis memory is not fragmented',
  category: 'infrastructure',
  severity: 'low',
  fix: 'Active defragmentation on (activedefrag yes), or a planned restart off-peak',
  needs: ['redis'],
  expectations: {
    redis: {
      /** RSS / used_memory: the warning and failing lines. */
      fragmentationRatio: Band.default({ warn: 1.5, fail: 2 }),
      /** Memory held beyond used_memory below which fragmentation is not worth reclaiming (Redis's active-defrag-ignore-bytes). */
      fragmentationIgnoreBytes: z.number().int().nonnegative().default(100 * 1024 * 1024),
    },
  },
  evaluate({ redis: s }, { redis: x }) {
    const ratio = s.fragmentationRatio;
    const evidence = { fragmentationRatio: ratio, usedMemoryBytes: s.usedMemoryBytes, usedMemoryRssBytes: s.usedMemoryRssBytes, thresholds: x.fragmentationRatio, ignoreBytes: x.fragmentationIgnoreBytes, sampledAt: s.sampledAt };
    if (ratio === null || s.usedMemoryBytes === null || s.usedMemoryRssBytes === null) {
      return skipped('Fragmentation unknown: the server did not report used_memory_rss and mem_fragmentation_ratio (INFO memory).', evidence);
    }
    const held = Math.max(0, s.usedMemoryRssBytes - s.usedMemoryBytes);
    const what = `Fragmentation ratio ${ratio.toFixed(2)}: ${mib(s.usedMemoryRssBytes)} resident for ${mib(s.usedMemoryBytes)} used, ${mib(held)} held beyond it, at ${s.sampledAt}`;
    if (held < x.fragmentationIgnoreBytes) return pass(`${what}; under the ${mib(x.fragmentationIgnoreBytes)} worth reclaiming.`, evidence);
    if (ratio >= x.fragmentationRatio.fail) return fail(`${what}; limit ${x.fragmentationRatio.fail}.`, evidence);
    if (ratio >= x.fragmentationRatio.warn) return warn(`${what}; warning at ${x.fragmentationRatio.warn}.`, evidence);
    return pass(`${what}; under ${x.fragmentationRatio.warn}.`, evidence);
  },
});
