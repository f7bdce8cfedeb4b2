/** redis.fragmentation against a real redis-server: not judged when nearly empty, judged by the profile's band once it holds data. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDefinition } from '../../electron/core/checks/define';
import fragmentation from '../../electron/core/checks/redis/fragmentation';
import type { EphemeralRedis } from '../../demo/ephemeral/redis';
import { RateTracker, RedisProbeClient, sampleRedis } from '../../electron/core/probes/redis';
import { Profile } from '../../electron/core/profile/schema';
import { privateRedis } from '../harness';
import { trafficClient } from '../harness/redis-traffic';

let redis: EphemeralRedis;
let app: Redis;
beforeAll(async () => {
  redis = await privateRedis();
  app = await trafficClient(redis.url);
});
afterAll(async () => {
  app?.disconnect();
  await redis?.destroy();
});

const expectations = (redisSection: unknown) => Profile.parse({ version: 1, name: 's', environments: [{ name: 'prod', kind: 'production' }], expectations: { redis: redisSection } }).expectations;

async function sample() {
  const probe = new RedisProbeClient(redis.url);
  try {
    return await sampleRedis(probe, new RateTracker());
  } finally {
    await probe.close();
  }
}

describe('redis.fragmentation', () => {
  it('a nearly empty server passes on the bytes held, not its (large, harmless) ratio; with nothing ignored the ratio is judged', async () => {
    const s = await sample();
    expect(s.usedMemoryRssBytes! - s.usedMemoryBytes!).toBeLessThan(100 * 1024 * 1024);
    const v = evaluateDefinition(fragmentation, { redis: s }, expectations({}), {});
    expect(v.status).toBe('pass');
    expect(v.summary).toMatch(/held beyond it, at .*; under the 100\.0 MiB worth reclaiming\.$/);
    const judged = evaluateDefinition(fragmentation, { redis: s }, expectations({ fragmentationIgnoreBytes: 0, fragmentationRatio: { warn: 1, fail: s.fragmentationRatio! } }), {});
    expect(judged.status).toBe('fail');
  });

  it('with 80 MB of values the real ratio is judged: under the default band it passes, under a profile band below it it fails', async () => {
    const value = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 80; i++) await app.set(`frag:${i}`, value);
    const s = await sample();
    expect(s.usedMemoryBytes!).toBeGreaterThan(64 * 1024 * 1024);
    expect(s.fragmentationRatio!).toBeGreaterThan(0.5);
    expect(s.fragmentationRatio!).toBeLessThan(1.5);
    expect(evaluateDefinition(fragmentation, { redis: s }, expectations({}), {})).toMatchObject({ status: 'pass', evidence: { fragmentationRatio: s.fragmentationRatio } });
    const strict = evaluateDefinition(fragmentation, { redis: s }, expectations({ fragmentationIgnoreBytes: 0, fragmentationRatio: { warn: 0.1, fail: 0.5 } }), {});
    expect(strict.status).toBe('fail');
    expect(strict.summary).toContain(`Fragmentation ratio ${s.fragmentationRatio!.toFixed(2)}`);
  });

  it('recorded samples: 1.6 warns and 2.0 fails at the default band, a low ratio (RSS sampled before the last writes) passes, none is unknown', () => {
    const base = { sampledAt: '2026-01-01T00:00:00Z', usedMemoryBytes: 200e6, usedMemoryRssBytes: 150e6, fragmentationRatio: 0.75 };
    // 1.6 and 2.0 over 200 MB used hold 120 MB and 200 MB beyond it: above the 100 MB ignored.
    type S = Parameters<typeof fragmentation.evaluate>[0]['redis'];
    const judge = (s: Partial<S>) => evaluateDefinition(fragmentation, { redis: { ...base, ...s } as S }, {}, {}).status;
    expect(judge({})).toBe('pass');
    expect(judge({ fragmentationRatio: 2, usedMemoryRssBytes: 400e6 })).toBe('fail');
    expect(judge({ fragmentationRatio: 1.6, usedMemoryRssBytes: 320e6 })).toBe('warn');
    expect(judge({ fragmentationRatio: 3, usedMemoryBytes: 20e6, usedMemoryRssBytes: 60e6 })).toBe('pass');
    expect(judge({ fragmentationRatio: null })).toBe('skipped');
  });
});
