import { describe, expect, it } from 'vitest';
import { checkEvictions, checkHitRate, checkMemory, checkRejectedConnections, redisChecks } from '../electron/core/checks/redis';
import { RedisSample } from '../shared/schemas/redis';

const rolling = (hitRate: number | null, lookups: number | null, coveredSeconds: number) => ({ windowSeconds: 60, coveredSeconds, hitRate, lookups, opsPerSec: 1, evictedKeysPerSec: 0 });

// A recorded observation (checks are pure): 10 s window, 1000 lookups at 85 %.
const base: RedisSample = RedisSample.parse({
  sampledAt: '2026-01-01T00:00:10.000Z', windowSeconds: 10, hitRate: 0.85, lookups: 1000, hits: 850, misses: 150,
  lifetimeHitRate: 0.5, lifetimeLookups: 10_000,
  rolling: { '1m': rolling(0.85, 1000, 10), '5m': rolling(0.6, 5000, 300), '1h': rolling(null, 0, 0) },
  opsPerSec: 120.5, commands: 1205, usedMemoryBytes: 50 * 1024 * 1024, usedMemoryRssBytes: 60 * 1024 * 1024, maxMemoryBytes: 100 * 1024 * 1024,
  memoryUtilization: 0.5, maxMemoryPolicy: 'allkeys-lru', fragmentationRatio: 1.2, evictedKeys: 0, evictedKeysPerSec: 0, expiredKeys: 3, expiredKeysPerSec: 0.3,
  connectedClients: 3, blockedClients: 0, maxClients: 10000, rejectedConnections: 0, rejectedConnectionsInWindow: 0, keys: 42, pingMs: 0.2, infoMs: 0.3,
  version: '7.0.15', role: 'master', mode: 'standalone', uptimeSeconds: 100, runId: 'r', reset: false, resetReason: null, unknownSections: [],
});
const t = { hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 };

describe('Redis checks', () => {
  it('hit rate: pass at or above the threshold, fail below, with the lookups and window as evidence', () => {
    const pass = checkHitRate(base, t);
    expect(pass).toMatchObject({ id: 'redis.hit-rate', status: 'pass', evidence: { hitRate: 0.85, lookups: 1000, windowSeconds: 10 } });
    expect(pass.summary).toBe('Hit rate 85.0 % over the last 10.0 s (1000 lookups); threshold 80.0 %.');
    expect(checkHitRate({ ...base, hitRate: 0.8 }, t).status).toBe('pass');
    expect(checkHitRate({ ...base, hitRate: 0.79 }, t).status).toBe('fail');
    // Judged over a rolling window when asked: 60 % over 5 min fails.
    expect(checkHitRate(base, t, '5m')).toMatchObject({ status: 'fail', evidence: { lookups: 5000, windowSeconds: 300 } });
  });

  it('hit rate: too few lookups, no lookups, no window or a reset are "not enough traffic to judge" (skipped)', () => {
    for (const s of [{ ...base, lookups: 99 }, { ...base, hitRate: null, lookups: 0 }, { ...base, windowSeconds: null, hitRate: null, lookups: null }, { ...base, windowSeconds: null, hitRate: null, lookups: null, reset: true, resetReason: 'run_id changed' }]) {
      const c = checkHitRate(s, t);
      expect(c.status).toBe('skipped');
      expect(c.summary).toMatch(/^Not enough traffic to judge/);
    }
    expect(checkHitRate(base, t, '1h').status).toBe('skipped');
    expect(checkHitRate({ ...base, lookups: 99 }, { ...t, minLookups: 50 }).status).toBe('pass');
  });

  it('memory: a percentage only when maxmemory is set; fails at the limit', () => {
    expect(checkMemory(base, t).status).toBe('pass');
    // Bytes / 1024² are MiB, the unit the Redis page's Memory tile and chart show beside this summary.
    expect(checkMemory(base, t).summary).toMatch(/^Using 50\.0 MiB of 100\.0 MiB maxmemory /);
    expect(checkMemory({ ...base, memoryUtilization: 0.8 }, t).status).toBe('fail');
    expect(checkMemory({ ...base, memoryUtilization: 0.85 }, { memoryUtilization: 0.9 }).status).toBe('pass');
    const noLimit = checkMemory({ ...base, maxMemoryBytes: null, memoryUtilization: null }, t);
    expect(noLimit.status).toBe('skipped');
    expect(noLimit.summary).toMatch(/no maxmemory limit/);
    expect(checkMemory({ ...base, usedMemoryBytes: null, maxMemoryBytes: null, memoryUtilization: null }, t).summary).toMatch(/unknown/i);
  });

  it('evictions: none in the window passes; any fails; no window is skipped', () => {
    expect(checkEvictions(base).status).toBe('pass');
    expect(checkEvictions({ ...base, evictedKeys: 5, evictedKeysPerSec: 0.5 })).toMatchObject({ status: 'fail', summary: '5 keys evicted in the last 10.0 s (0.50 keys/s).' });
    expect(checkEvictions({ ...base, windowSeconds: null, evictedKeys: null }).status).toBe('skipped');
  });

  it('rejected connections: fail in the window, warn when only before it, pass when none ever', () => {
    expect(checkRejectedConnections(base).status).toBe('pass');
    expect(checkRejectedConnections({ ...base, rejectedConnections: 4, rejectedConnectionsInWindow: 2 }).status).toBe('fail');
    expect(checkRejectedConnections({ ...base, rejectedConnections: 4, rejectedConnectionsInWindow: 0 }).status).toBe('warn');
    expect(checkRejectedConnections({ ...base, rejectedConnections: null, rejectedConnectionsInWindow: null }).status).toBe('skipped');
  });

  it('runs all four with the given thresholds', () => {
    expect(redisChecks(base, { ...t, hitRate: 0.9 }).map((c) => [c.id, c.status])).toEqual([
      ['redis.hit-rate', 'fail'], ['redis.memory', 'pass'], ['redis.evictions', 'pass'], ['redis.rejected-connections', 'pass'],
    ]);
  });
});
