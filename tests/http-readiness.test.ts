/**
 * The readiness cross-check with Redis really stopped (a private redis-server), and a dead
 * API reported as down instead of crashing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../demo';
import { checkHealthReady, checkReadyConsistent, evaluateHttp } from '../electron/core/checks/http';
import { runPassiveProbes } from '../electron/core/probes/http';
import { freePort } from '../demo/ephemeral/ports';
import type { EphemeralRedis } from '../demo/ephemeral/redis';
import { freshDatabase, privateRedis, waitFor } from './harness';

let redis: EphemeralRedis;
let pgUrl: string;
let honest: SampleApi;
let liar: SampleApi;

beforeAll(async () => {
  redis = await privateRedis();
  pgUrl = (await freshDatabase('ready')).url;
  honest = await startSampleApi({ pgUrl, redisUrl: redis.url });
  liar = await startSampleApi({ pgUrl, redisUrl: redis.url, twins: { readinessIgnoresRedis: true } });
});
afterAll(async () => {
  await Promise.all([honest?.close(), liar?.close()]);
  await redis?.destroy();
});

const observe = (api: SampleApi) => runPassiveProbes(api.url, { pgUrl, redisUrl: redis.url });

describe('readiness cross-check', () => {
  it('with everything up, both stacks say ready and agree with the direct probes', async () => {
    for (const api of [honest, liar]) {
      const o = await observe(api);
      expect(checkHealthReady(o).status).toBe('pass');
      expect(checkReadyConsistent(o).status).toBe('pass');
    }
  });

  it('Redis stopped: the honest stack turns 503 and the cross-check stays consistent; the liar is flagged', async () => {
    await redis.stop();
    const o = await waitFor(async () => {
      const obs = await observe(honest);
      return obs.exchanges.find((e) => e.name === 'ready')?.status === 503 ? obs : null;
    }, { what: '/health/ready to turn 503' });
    const ready = checkHealthReady(o);
    expect(ready.status).toBe('fail');
    expect(ready.summary).toBe('Not ready (503): redis unhealthy: ConnectionError.');
    const consistent = checkReadyConsistent(o);
    expect(consistent.status).toBe('pass');
    expect(consistent.summary).toContain('redis down');
    expect(o.direct.redis!.ok).toBe(false);

    const lie = await observe(liar);
    expect(lie.exchanges.find((e) => e.name === 'ready')!.status).toBe(200);
    const flagged = checkReadyConsistent(lie);
    expect(flagged.status).toBe('fail');
    expect(flagged.summary).toContain(`ready says redis "healthy" (HTTP 200) but Preflight's own redis probe fails`);
    expect(flagged.evidence.components).toContainEqual(expect.objectContaining({ component: 'database', contradicts: false }));
  });

  it('the reverse contradiction: ready says unhealthy while the direct probe succeeds', async () => {
    // Redis is back for Preflight, but the API is pointed at a Redis port nobody listens on.
    await redis.start();
    const deaf = await startSampleApi({ pgUrl, redisUrl: `redis://127.0.0.1:${await freePort()}` });
    try {
      const o = await observe(deaf);
      const r = checkReadyConsistent(o);
      expect(r.status).toBe('fail');
      expect(r.summary).toContain(`ready says redis "unhealthy: ConnectionError" but Preflight's own redis probe succeeds`);
    } finally {
      await deaf.close();
    }
  });
});

describe('a dead API', () => {
  it('is reported down with a reason by every probe, never thrown', async () => {
    const port = await freePort();
    const o = await runPassiveProbes(`http://127.0.0.1:${port}`, { expectations: { timeoutMs: 500 } });
    expect(o.exchanges.every((e) => e.status === null && e.error?.includes('connection refused'))).toBe(true);
    const results = evaluateHttp(o);
    expect(results.find((r) => r.id === 'health.basic')).toMatchObject({ status: 'fail', evidence: expect.objectContaining({ down: true }) });
    expect(results.filter((r) => r.status === 'pass')).toEqual([]);
  });

  it('a silent API times out per request within its own timeout', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as { port: number }).port;
      // A probe without its own timeout would hang here until the test times out.
      const o = await runPassiveProbes(`http://127.0.0.1:${port}`, { expectations: { timeoutMs: 300 } });
      expect(o.exchanges[0]!.error).toBe('no answer within 300 ms (timeout)');
    } finally {
      silent.close();
    }
  });
});
