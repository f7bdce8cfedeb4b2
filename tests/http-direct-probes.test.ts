import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralRedis } from '../demo/ephemeral/redis';
import { probeRedisDirect } from '../electron/core/probes/http/backing-services';
import { RedisProbeClient } from '../electron/core/probes/redis/client';
import { privateRedis } from './harness';

// Private: commandstats must count only what the direct probe sent.
let redis: EphemeralRedis;
let admin: Redis;
beforeAll(async () => {
  redis = await privateRedis();
  admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.destroy();
});

async function commandCounts(): Promise<Record<string, number>> {
  const text = await admin.info('commandstats');
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

describe('readiness cross-check direct probes', () => {
  it('send only PING to Redis (no SELECT, no CLIENT SETINFO, no ready-check INFO), one-shot or reused', async () => {
    await admin.call('CONFIG', 'RESETSTAT');
    const oneShot = await probeRedisDirect(redis.url, 2000);
    expect(oneShot.ok).toBe(true);
    const reused = new RedisProbeClient(redis.url);
    try {
      for (let i = 0; i < 3; i++) expect((await probeRedisDirect(reused, 2000)).ok).toBe(true);
    } finally {
      await reused.close();
    }
    const counts = await commandCounts();
    // The admin connection's own INFO commandstats is the only INFO; CONFIG RESETSTAT is ours too.
    expect(counts.ping).toBe(4);
    expect(counts.select).toBeUndefined();
    expect(counts['client|setinfo']).toBeUndefined();
    expect(counts.info ?? 0).toBeLessThanOrEqual(1);
  });

  it('report a stopped Redis as not ok with a reason, without throwing', async () => {
    const result = await probeRedisDirect('redis://127.0.0.1:1', 500);
    expect(result.ok).toBe(false);
    expect(result.error).toBeTruthy();
  });
});
