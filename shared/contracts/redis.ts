import { z } from 'zod';
import { CheckResult } from '../schemas/check';
import { RedisTarget, RedisThresholds, RedisTick } from '../schemas/redis';
import { RedisUrl } from '../schemas/urls';

const TargetRef = z.object({ targetId: z.string().min(1).max(100) });

export const redisCalls = {
  'redis.watch': {
    input: z.object({
      url: RedisUrl,
      intervalMs: z.number().int().min(1000).max(600_000).default(5000),
      thresholds: RedisThresholds.default({ hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 }),
    }),
    output: RedisTarget,
  },
  'redis.unwatch': { input: TargetRef, output: z.object({ stopped: z.boolean() }) },
  'redis.targets': { input: z.object({}), output: z.array(RedisTarget) },
  /** One target with its current state and last error: what the page reads on mount. */
  'redis.status': { input: TargetRef, output: RedisTarget },
  'redis.history': {
    input: TargetRef.extend({ limit: z.number().int().positive().max(20_000).default(720) }),
    output: z.array(RedisTick),
  },
  /** Checks over the newest sample; the hit rate judged over a rolling window (5 min by default). */
  'redis.checks': {
    input: TargetRef.extend({ window: z.enum(['sample', '1m', '5m', '1h']).default('5m') }),
    output: z.array(CheckResult).nullable(),
  },
} as const;

export const redisEvents = {
  'redis.tick': RedisTick,
} as const;
