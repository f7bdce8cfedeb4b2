/**
 * profiles/startinsight.yaml against TARGET.md and issue 4: the Redis memory line, the Sentry
 * test route read once per one-shot run (never by the scheduled watcher), and the handler and
 * frontend expectations no probe can check, kept as manual items.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { evaluateDefinition } from '../../electron/core/checks/define';
import redisMemoryCheck from '../../electron/core/checks/redis/memory';
import { httpExpectationsFor } from '../../electron/core/profile/http-expectations';
import { HttpWatcher } from '../../electron/core/monitor/http-watcher';
import { loadProfile } from '../../electron/core/profile/load';
import { plannedRequests } from '../../electron/core/probes/http';
import type { RedisSample } from '../../shared/schemas/redis';
import { PROJECT_ROOT } from '../harness/cli';
import { freshDatabase, sharedRedis } from '../harness';

const { profile } = loadProfile(join(PROJECT_ROOT, 'profiles', 'startinsight.yaml'), { env: {}, knownCheckIds: CHECK_IDS });
const production = profile.environments.find((e) => e.name === 'production')!;
const ctx = { expectations: profile.expectations, environment: production };
const redisMemory = (s: RedisSample, c: typeof ctx) => evaluateDefinition(redisMemoryCheck, { redis: s }, c.expectations, c);

describe('profiles/startinsight.yaml', () => {
  it('redis.memory fails at 80 % of maxmemory ("memory below 80 %") and warns below it', () => {
    const band = profile.expectations.redis!.memoryUsedRatio;
    expect(band.fail).toBe(0.8);
    expect(band.warn).toBeLessThan(0.8);
    const sample = (memoryUtilization: number) => ({ usedMemoryBytes: memoryUtilization * 1e8, maxMemoryBytes: 1e8, memoryUtilization, maxMemoryPolicy: 'noeviction' }) as RedisSample;
    expect(redisMemory(sample(0.82), ctx).status).toBe('fail');
    expect(redisMemory(sample(0.75), ctx).status).toBe('warn');
    expect(redisMemory(sample(0.5), ctx).status).toBe('pass');
  });

  it('a one-shot run reads the 500 of /api/test-sentry exactly once', () => {
    const x = httpExpectationsFor(profile.expectations, production);
    const calls = plannedRequests(x, 'id').filter((r) => r.path === '/api/test-sentry');
    expect(calls.map((r) => `${r.method ?? 'GET'} ${r.name}`)).toEqual(['GET errors.500']);
  });

  it("numbers verify-1…9 exactly as the write-up numbers its verification tests", () => {
    const steps = profile.checklist!.phases.flatMap((p) => p.steps).filter((s) => /^verify-\d/.test(s.id));
    const byNumber = steps.map((s) => ({ n: Number(/^verify-(\d)/.exec(s.id)![1]), checks: s.checks ?? [], manual: s.manual ?? false, source: s.source }));
    expect(byNumber.map((s) => s.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const expected: Record<number, string[]> = {
      1: ['env.cors-origins', 'cors.allowlist'], // CORS validator
      2: ['webhook.signature'], // webhook secret
      3: ['repo.no-alert'], // no alert()
      4: [], // Sentry test event (manual: it sends a real event)
      5: ['health.ready'], // /health/ready
      6: ['request-id.generated', 'request-id.echoed'], // X-Request-ID
      7: ['pg.indexes'], // fifteen idx_ indexes
      8: ['ratelimit.list-insights'], // request 101 → 429
      9: ['sse.connection-hold'], // twenty SSE streams under 50 connections
    };
    for (const s of byNumber) {
      for (const id of expected[s.n]!) expect(s.checks, `verify-${s.n}`).toContain(id);
      expect(s.source).toBe(`verification ${s.n}`);
    }
    expect(byNumber.find((s) => s.n === 4)!.manual).toBe(true);
  });

  it('keeps the 409/503/401 handlers and the Vercel variables as manual sign-offs', () => {
    const steps = profile.checklist!.phases.flatMap((p) => p.steps);
    const handlers = steps.find((s) => s.id === 'error-handlers')!;
    expect(handlers.manual).toBe(true);
    for (const status of ['409', '503', '401']) expect(handlers.title).toContain(status);
    const envVars = steps.find((s) => s.id === 'set-env-vars')!;
    expect(envVars.manual).toBe(true);
    for (const name of ['SENTRY_DSN', 'NEXT_PUBLIC_SENTRY_DSN', 'NEXT_PUBLIC_ENVIRONMENT=production', 'ENVIRONMENT=production', 'NEXT_PUBLIC_API_URL', 'NEXT_PUBLIC_SUPABASE_URL', 'NEXT_PUBLIC_SUPABASE_ANON_KEY']) {
      expect(envVars.detail).toContain(name);
    }
    expect(profile.fixes.find((f) => f.id === 'exception-handlers')!.manual).toMatch(/409.*503.*401/);
  });
});

describe('the scheduled watcher with the StartInsight expectations', () => {
  let api: SampleApi;
  beforeAll(async () => {
    api = await startSampleApi({ pgUrl: (await freshDatabase('sitest')).url, redisUrl: sharedRedis().url });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('never calls the test-error endpoint, run after run', async () => {
    const x = httpExpectationsFor(profile.expectations, production);
    expect(x.paths.testError).toBe('/api/test-sentry');
    const w = new HttpWatcher({ targetId: 't', baseUrl: api.url, intervalMs: 60_000, expectations: x, onRun: () => undefined });
    try {
      await w.runOnce();
      await w.runOnce();
      const rows = w.endpointRows();
      expect(rows.map((r) => r.name)).toContain('ready');
      expect(rows.filter((r) => r.last.path === '/api/test-sentry' || r.name === 'errors.500')).toEqual([]);
      expect(api.requestsSeen('/api/test-sentry')).toBe(0);
    } finally {
      await w.stop();
    }
  });
});
