import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHitRate, redisChecks, DEFAULT_REDIS_THRESHOLDS } from '../electron/core/checks/redis';
import type { EphemeralRedis } from '../demo/ephemeral/redis';
import { RateTracker, RedisProbeClient, sampleRedis } from '../electron/core/probes/redis';
import { privateRedis, waitFor } from './harness';
import { commandStats, lookups, seedKeys, trafficClient } from './harness/redis-traffic';

// Private: this file restarts its server and needs exact server-wide counters.
let redis: EphemeralRedis;
let app: Redis;
beforeAll(async () => {
  redis = await privateRedis();
  app = await trafficClient(redis.url);
  await seedKeys(app, 'k', 850);
});
afterAll(async () => {
  app?.disconnect();
  await redis?.destroy();
});

describe('Redis probe against a real redis-server', () => {
  it('850 hits and 150 misses inside the window give 0.85 over 1000 lookups, whatever the lifetime counters held', async () => {
    // Lifetime counters skewed on purpose: 100 hits, 500 misses before the window.
    await lookups(app, 'k', 100, 500);
    const probe = new RedisProbeClient(redis.url);
    const tracker = new RateTracker();
    try {
      const first = await sampleRedis(probe, tracker);
      expect(first.hitRate).toBeNull();
      expect(first.windowSeconds).toBeNull();
      expect(first.lifetimeHitRate).toBeCloseTo(100 / 600, 10);
      await lookups(app, 'k', 850, 150);
      const second = await sampleRedis(probe, tracker);
      expect(second.hitRate).toBe(0.85);
      expect(second.lookups).toBe(1000);
      expect(second.hits).toBe(850);
      expect(second.misses).toBe(150);
      expect(second.lifetimeHitRate).toBeCloseTo(950 / 1600, 10);
      expect(second.lifetimeLookups).toBe(1600);
      expect(second.reset).toBe(false);
      // The app sent exactly 1000 GETs; Preflight's own INFO/PING are not counted as traffic.
      expect(second.commands).toBe(1000);
      expect(second.opsPerSec).toBeCloseTo(1000 / second.windowSeconds!, 6);
      expect(second.rolling['1m'].lookups).toBe(1000);
      expect(second.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(second.role).toBe('master');
      expect(second.keys).toBe(850);
      expect(second.maxMemoryBytes).toBeNull();
      expect(second.memoryUtilization).toBeNull();
      expect(second.usedMemoryBytes).toBeGreaterThan(0);
      expect(second.connectedClients).toBe(2);
      expect(second.unknownSections).toEqual([]);
      const check = checkHitRate(second, DEFAULT_REDIS_THRESHOLDS, 'sample');
      expect(check.status).toBe('pass');
      expect(check.evidence.lookups).toBe(1000);
      expect(checkHitRate(second, { hitRate: 0.9, minLookups: 100 }).status).toBe('fail');
    } finally {
      await probe.close();
    }
  });

  it('an idle window gives hitRate null (not 0) and the check says there is not enough traffic to judge', async () => {
    const probe = new RedisProbeClient(redis.url);
    const tracker = new RateTracker();
    try {
      await sampleRedis(probe, tracker);
      const idle = await sampleRedis(probe, tracker);
      expect(idle.windowSeconds).toBeGreaterThan(0);
      expect(idle.lookups).toBe(0);
      expect(idle.hitRate).toBeNull();
      expect(idle.opsPerSec).toBe(0);
      const [hit] = redisChecks(idle);
      expect(hit!.status).toBe('skipped');
      expect(hit!.summary).toMatch(/not enough traffic to judge/i);
      // A few lookups are still not enough to judge.
      await lookups(app, 'k', 3, 7);
      const thin = await sampleRedis(probe, tracker);
      expect(thin.hitRate).toBe(0.3);
      expect(checkHitRate(thin, DEFAULT_REDIS_THRESHOLDS).status).toBe('skipped');
    } finally {
      await probe.close();
    }
  });

  it('a restart between two samples is a reset: the window restarts, no negative or >100 % rate', async () => {
    const probe = new RedisProbeClient(redis.url, { maxReconnectDelayMs: 200 });
    const tracker = new RateTracker();
    try {
      await lookups(app, 'k', 400, 100);
      const before = await sampleRedis(probe, tracker);
      expect(before.lifetimeLookups).toBeGreaterThan(0);
      await redis.restart();
      const after = await waitFor(() => sampleRedis(probe, tracker), { what: 'a sample after the restart', timeoutMs: 15_000 });
      expect(after.reset).toBe(true);
      expect(after.resetReason).toMatch(/run_id|uptime/);
      expect(after.runId).not.toBe(before.runId);
      expect(after.hitRate).toBeNull();
      expect(after.opsPerSec).toBeNull();
      expect(after.rolling['1h'].lookups).toBeNull();
      // New lookups after the restart are measured from the new counters.
      const app2 = await trafficClient(redis.url);
      try {
        await seedKeys(app2, 'k', 10);
        await lookups(app2, 'k', 9, 1);
      } finally {
        app2.disconnect();
      }
      const next = await sampleRedis(probe, tracker);
      expect(next.reset).toBe(false);
      expect(next.hitRate).toBe(0.9);
      expect(next.lookups).toBe(10);
      for (const s of [after, next]) {
        for (const v of [s.hitRate, s.opsPerSec, s.evictedKeysPerSec, s.expiredKeysPerSec, s.rolling['1m'].hitRate]) {
          if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
        }
        if (s.hitRate !== null) expect(s.hitRate).toBeLessThanOrEqual(1);
      }
    } finally {
      await probe.close();
    }
  });

  it('CONFIG RESETSTAT (counters go down, same run_id) is a reset too', async () => {
    const admin = await trafficClient(redis.url);
    const probe = new RedisProbeClient(redis.url);
    const tracker = new RateTracker();
    try {
      await seedKeys(admin, 'k', 5);
      await lookups(admin, 'k', 5, 5);
      await sampleRedis(probe, tracker);
      await admin.config('RESETSTAT');
      const after = await sampleRedis(probe, tracker);
      expect(after.reset).toBe(true);
      expect(after.resetReason).toMatch(/went down/);
      expect(after.hitRate).toBeNull();
    } finally {
      await probe.close();
      admin.disconnect();
    }
  });

  // The restart test above leaves the file's `app` client to reconnect whenever its backoff says:
  // with ioredis's ready check that reconnect sent an INFO into the next test's counts (13, not 12).
  it("the test's own Redis clients send nothing of their own, even when they reconnect", async () => {
    const admin = await trafficClient(redis.url);
    const other = await trafficClient(redis.url);
    try {
      await admin.config('RESETSTAT');
      const reconnected = once(other, 'ready');
      other.disconnect(true);
      await reconnected;
      await other.ping();
      const stats = await commandStats(admin);
      expect(Object.keys(stats).sort()).toEqual(['config|resetstat', 'ping']);
    } finally {
      other.disconnect();
      admin.disconnect();
    }
  });

  it('sends nothing but INFO and PING', async () => {
    const admin = await trafficClient(redis.url);
    try {
      await admin.config('RESETSTAT');
      const probe = new RedisProbeClient(redis.url);
      const tracker = new RateTracker();
      await sampleRedis(probe, tracker);
      await sampleRedis(probe, tracker);
      await probe.close();
      const stats = await commandStats(admin);
      // The admin's CONFIG RESETSTAT counts itself; its INFO commandstats is not yet counted
      // when it answers (Redis counts a command after running it).
      expect(Object.keys(stats).sort()).toEqual(['config|resetstat', 'info', 'ping']);
      expect(stats['config|resetstat']!.calls).toBe(1);
      expect(stats.ping!.calls).toBe(2);
      expect(stats.info!.calls).toBe(2 * 6);
    } finally {
      admin.disconnect();
    }
  });

  it('reports memory against maxmemory and counts evictions per second in the window', async () => {
    const small = await privateRedis({ args: ['--maxmemory', '2mb', '--maxmemory-policy', 'allkeys-lru'] });
    const filler = await trafficClient(small.url);
    const probe = new RedisProbeClient(small.url);
    const tracker = new RateTracker();
    try {
      const first = await sampleRedis(probe, tracker);
      expect(first.maxMemoryBytes).toBe(2 * 1024 * 1024);
      expect(first.memoryUtilization).toBeCloseTo(first.usedMemoryBytes! / (2 * 1024 * 1024), 10);
      const value = 'x'.repeat(10_000);
      const p = filler.pipeline();
      for (let i = 0; i < 600; i++) p.set(`big:${i}`, value);
      await p.exec();
      const second = await sampleRedis(probe, tracker);
      expect(second.evictedKeys).toBeGreaterThan(0);
      expect(second.evictedKeysPerSec).toBeCloseTo(second.evictedKeys! / second.windowSeconds!, 6);
      const checks = Object.fromEntries(redisChecks(second).map((c) => [c.id, c]));
      expect(checks['redis.evictions']!.status).toBe('fail');
      expect(checks['redis.memory']!.status).toBe(second.memoryUtilization! < 0.8 ? 'pass' : 'fail');
    } finally {
      await probe.close();
      filler.disconnect();
      await small.destroy();
    }
  });

  it('counts connections refused at maxclients inside the window and fails the check', async () => {
    const tight = await privateRedis({ args: ['--maxclients', '2'] });
    const probe = new RedisProbeClient(tight.url);
    const tracker = new RateTracker();
    const extra: Redis[] = [];
    try {
      await sampleRedis(probe, tracker);
      // The probe holds one of the two slots: the second client fits, the next two are refused.
      for (let i = 0; i < 3; i++) extra.push(await trafficClient(tight.url).catch(() => null as unknown as Redis));
      const refused = extra.filter((c) => c === null).length;
      expect(refused).toBe(2);
      const second = await sampleRedis(probe, tracker);
      expect(second.rejectedConnectionsInWindow).toBe(2);
      expect(second.rejectedConnections).toBe(2);
      expect(second.maxClients).toBe(2);
      const check = redisChecks(second).find((c) => c.id === 'redis.rejected-connections')!;
      expect(check.status).toBe('fail');
      expect(check.summary).toMatch(/^2 connections rejected in the last/);
    } finally {
      for (const c of extra) c?.disconnect();
      await probe.close();
      await tight.destroy();
    }
  });
});
