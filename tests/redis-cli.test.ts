import type { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../electron/core/api/engine';
import type { EphemeralRedis } from '../demo/ephemeral/redis';
import { RedisWatcher } from '../electron/core/monitor/redis-watcher';
import type { RedisTick } from '../shared/schemas/redis';
import { runCli } from './harness/cli';
import { privateRedis, waitFor } from './harness';
import { commandStats, lookups, seedKeys, trafficClient } from './harness/redis-traffic';

// Private: this file stops and restarts its server and sets ACL users.
let redis: EphemeralRedis;
let admin: Redis;
let dataDir: string;
const ACL_PASSWORD = 'probe-only-secret';
const aclUrl = () => redis.url.replace('redis://', `redis://probe:${ACL_PASSWORD}@`);
const thresholds = { hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'preflight-redis-cli-'));
  process.env.PREFLIGHT_DATA_DIR = dataDir;
  redis = await privateRedis();
  admin = await trafficClient(redis.url);
  await admin.call('ACL', 'SETUSER', 'probe', 'on', `>${ACL_PASSWORD}`, '-@all', '+info', '+ping');
  await seedKeys(admin, 'k', 850);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until the CLI's first sample (PING + 6 INFO) has been answered. */
async function firstSampleDone(): Promise<void> {
  let polls = 0;
  await waitFor(
    async () => {
      const s = await commandStats(admin);
      // Our own earlier INFO commandstats calls are counted too; take them out.
      const info = (s.info?.calls ?? 0) - polls;
      polls++;
      return (s.ping?.calls ?? 0) >= 1 && info >= 6;
    },
    { what: 'the first INFO sample of the CLI', intervalMs: 20, timeoutMs: 20_000 },
  );
}

describe('preflight redis (CLI)', () => {
  it('an ACL user with only +info +ping gets the windowed hit rate end to end: 850/150 → 0.85 over 1000 lookups', async () => {
    await admin.config('RESETSTAT');
    await lookups(admin, 'k', 100, 500); // lifetime counters before the window
    const started = performance.now();
    const cli = runCli(['redis', '--url', aclUrl(), '--window', '4s', '--json']);
    await firstSampleDone();
    await lookups(admin, 'k', 850, 150);
    const result = await cli;
    const ranSeconds = (performance.now() - started) / 1000;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc.hitRate).toBe(0.85);
    expect(doc.lookups).toBe(1000);
    expect(doc.lifetimeHitRate).toBeCloseTo(950 / 1600, 10);
    expect(doc.windowSeconds as number).toBeGreaterThanOrEqual(3.9);
    // The window is the measured time between the samples (in seconds): never longer than the run.
    expect(doc.windowSeconds as number).toBeLessThanOrEqual(ranSeconds);
    expect(doc.reset).toBe(false);
    const types: Record<string, string> = {
      hitRate: 'number', lookups: 'number', windowSeconds: 'number', lifetimeHitRate: 'number', opsPerSec: 'number', usedMemoryBytes: 'number',
      evictedKeysPerSec: 'number', connectedClients: 'number', blockedClients: 'number', rejectedConnections: 'number', pingMs: 'number', version: 'string', reset: 'boolean',
    };
    for (const [key, type] of Object.entries(types)) expect(typeof doc[key], key).toBe(type);
    expect(doc.maxMemoryBytes).toBeNull();
    expect(doc.memoryUtilization).toBeNull();
    expect(doc.evictedKeysPerSec).toBe(0);
    // 1000 GETs by the app plus our three INFO commandstats polls were the only other traffic.
    expect(doc.opsPerSec as number).toBeGreaterThan(0);
    const checks = doc.checks as { id: string; status: string }[];
    expect(checks.map((c) => c.id)).toEqual(['redis.hit-rate', 'redis.memory', 'redis.evictions', 'redis.rejected-connections']);
    expect(checks[0]!.status).toBe('pass');
    // The restricted user never hit a refused command, and the password never reached output.
    const stats = await commandStats(admin);
    expect(Object.values(stats).every((c) => c.rejected === 0)).toBe(true);
    expect(await admin.call('ACL', 'LOG')).toEqual([]);
    expect(result.stdout).not.toContain(ACL_PASSWORD);
  });

  it('exits 1 when the hit rate is below the threshold and shows it in words without --json', async () => {
    const cli = runCli(['redis', '--url', redis.url, '--window', '3s', '--hit-rate', '90%']);
    await admin.config('RESETSTAT');
    await firstSampleDone();
    await lookups(admin, 'k', 700, 300);
    const result = await cli;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/hit rate\s+70\.0 % over the last \d+\.\d s \(1000 lookups\)/);
    expect(result.stdout).toMatch(/\[FAIL\] redis\.hit-rate/);
    // Bytes / 1024² are MiB (as the Redis page says), in the memory line and the redis.memory check alike.
    expect(result.stdout).toMatch(/memory\s+\d+\.\d MiB used, maxmemory /);
    expect(result.stdout).not.toMatch(/\d MB\b/);
  });

  it('an idle window prints hitRate null (not 0) and the hit-rate check says not enough traffic to judge', async () => {
    const result = await runCli(['redis', '--url', redis.url, '--window', '300ms', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { hitRate: unknown; lookups: unknown; windowSeconds: number; checks: { id: string; status: string; summary: string }[] };
    expect(doc.hitRate).toBeNull();
    expect(doc.lookups).toBe(0);
    expect(doc.windowSeconds).toBeGreaterThanOrEqual(0.3);
    const hit = doc.checks.find((c) => c.id === 'redis.hit-rate')!;
    expect(hit.status).toBe('skipped');
    expect(hit.summary).toMatch(/not enough traffic to judge/i);
  });

  it('bad usage exits 2 and names the problem', async () => {
    const bad = await runCli(['redis', '--url', 'http://cache:6379']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/redis:\/\//);
    const window = await runCli(['redis', '--url', redis.url, '--window', 'soon']);
    expect(window.code).toBe(2);
    expect(window.stderr).toMatch(/--window/);
    expect(bad.stdout + window.stdout).toBe('');
  });

  it('a wrong password exits 3 and says authentication failed, without the password', async () => {
    const url = redis.url.replace('redis://', 'redis://probe:not-the-password@');
    const result = await runCli(['redis', '--url', url, '--window', '100ms', '--json']);
    expect(result.code).toBe(3);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(result.stderr).toMatch(/Authentication failed/);
    expect(result.stderr).not.toContain('not-the-password');
  });

  it('a user that may PING but not INFO exits 2 (configuration) and says which grant is missing', async () => {
    await admin.call('ACL', 'SETUSER', 'pingonly', 'on', '>ping-only-secret', '-@all', '+ping');
    const url = redis.url.replace('redis://', 'redis://pingonly:ping-only-secret@');
    const result = await runCli(['redis', '--url', url, '--window', '100ms', '--json']);
    expect(result.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(result.stderr).toMatch(/NOPERM/);
    expect(result.stderr).toMatch(/\+info \+ping/);
    expect(result.stderr).not.toContain('ping-only-secret');
  });

  it('the engine watches through the ACL user and emits ticks', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    const ticks: RedisTick[] = [];
    engine.events.subscribe((name, payload) => name === 'redis.tick' && ticks.push(payload as RedisTick));
    try {
      const target = await engine.handlers['redis.watch']({ url: aclUrl(), intervalMs: 1000, thresholds });
      expect(target.label).not.toContain(ACL_PASSWORD);
      await waitFor(() => ticks.filter((t) => t.status === 'up').length >= 2, { what: 'two up ticks', timeoutMs: 15_000 });
      const checks = await engine.handlers['redis.checks']({ targetId: target.targetId, window: '5m' });
      expect(checks?.map((c) => c.id)).toContain('redis.hit-rate');
      // Watching the same URL again reuses the one connection instead of opening another.
      expect((await engine.handlers['redis.watch']({ url: aclUrl(), intervalMs: 1000, thresholds })).targetId).toBe(target.targetId);
      expect(await engine.handlers['redis.targets']({})).toHaveLength(1);
      const history = await engine.handlers['redis.history']({ targetId: target.targetId, limit: 10 });
      expect(history.length).toBeGreaterThanOrEqual(2);
      expect(await engine.handlers['redis.unwatch']({ targetId: target.targetId })).toEqual({ stopped: true });
    } finally {
      await engine.close();
    }
  });

  it('skips a tick while the previous sample is still running instead of queueing it', async () => {
    const watcher = new RedisWatcher({ targetId: 's', url: redis.url, intervalMs: 60_000, thresholds, onTick: () => undefined });
    try {
      const [first, second] = await Promise.all([watcher.tick(), watcher.tick()]);
      expect(first.status).toBe('up');
      expect(second.status).toBe('skipped');
      expect(watcher.skippedTicks).toBe(1);
    } finally {
      await watcher.stop();
    }
  });

  it('Redis stopped: the CLI exits 3 with a one-line reason; started again: the loop recovers without replaying queued commands', async () => {
    const ticks: RedisTick[] = [];
    const watcher = new RedisWatcher({ targetId: 'w', url: aclUrl(), intervalMs: 60_000, thresholds, maxReconnectDelayMs: 200, onTick: (t) => ticks.push(t) });
    try {
      expect((await watcher.tick()).status).toBe('up');
      admin.disconnect();
      await redis.stop();
      const result = await runCli(['redis', '--url', redis.url, '--window', '1s', '--json']);
      expect(result.code).toBe(3);
      // --json: every outcome is one JSON document; a failure is an error document (issue 11).
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      const reason = result.stderr.trim();
      expect(reason.split('\n')).toHaveLength(1);
      expect(reason).toMatch(/unreachable.*refused/i);
      // While down, each tick fails with the connection error instead of waiting in a queue (a queued
      // command would end in 'Command timed out' or 'Reached the max retries', not in these words).
      for (let i = 0; i < 5; i++) {
        const down = await watcher.tick();
        expect(down.status).toBe('down');
        expect(down.error).toMatch(/refused|not connected/i);
        expect(down.error).not.toMatch(/timed out|max retries/i);
      }
      await redis.start();
      // The restart wiped the ACL user (no persistence): create it again, as an operator would.
      admin = await trafficClient(redis.url);
      await admin.call('ACL', 'SETUSER', 'probe', 'on', `>${ACL_PASSWORD}`, '-@all', '+info', '+ping');
      await seedKeys(admin, 'k', 850);
      await admin.config('RESETSTAT'); // from here on, only the watcher sends INFO and PING
      const back = await waitFor(async () => {
        const t = await watcher.tick();
        return t.status === 'up' ? t : null;
      }, { what: 'the watcher to recover', timeoutMs: 15_000, intervalMs: 100 });
      expect(back.sample?.reset).toBe(true);
      const upAfterRestart = ticks.filter((t) => t.status === 'up').length - 1;
      const stats = await commandStats(admin);
      // Exactly one PING and six INFO per successful tick reached the new server: none of the
      // five failed ticks' commands were queued and replayed.
      expect(stats.ping!.calls).toBe(upAfterRestart);
      expect(stats.info!.calls).toBe(upAfterRestart * 6);
      expect(ticks.slice(0, 7).map((t) => t.status)).toEqual(['up', 'down', 'down', 'down', 'down', 'down', ticks[6]!.status]);
    } finally {
      await watcher.stop();
    }
  });
});
