/** The HTTP feature through the contract's choke point, as every face calls it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../demo';
import { createEngine } from '../electron/core/api/engine';
import type { CallOutput } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import { freshDatabase, sharedRedis, waitFor } from './harness';

const engine = createEngine({ transport: 'http', version: 'test' });
let api: SampleApi;
let pgUrl: string;
beforeAll(async () => {
  pgUrl = (await freshDatabase('httph')).url.replace('postgres@', 'postgres:sekrit-pw@');
  api = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url });
});
afterAll(async () => {
  await engine.close();
  await api?.close();
});

describe('http.* calls', () => {
  it('watch → run events → endpoints with history, masked bodies and no secrets; unwatch stops', async () => {
    const runs: unknown[] = [];
    const off = engine.events.subscribe((name, payload) => name === 'http.run' && runs.push(payload));
    const target = unwrap(await dispatchCall(engine.handlers, 'http.watch', { baseUrl: api.url, intervalMs: 2000, expectations: { allowedOrigins: ['https://startinsight.app'] }, pgUrl, redisUrl: sharedRedis().url })) as CallOutput<'http.watch'>;
    await waitFor(() => runs.length >= 2, { what: 'two runs', timeoutMs: 15_000 });
    off();
    const view = unwrap(await dispatchCall(engine.handlers, 'http.endpoints', { targetId: target.targetId })) as CallOutput<'http.endpoints'>;
    expect(view.lastRun!.results.find((r) => r.id === 'health.ready-consistent')!.status).toBe('pass');
    const ready = view.endpoints.find((e) => e.name === 'ready')!;
    expect(ready.samples.length).toBeGreaterThanOrEqual(2);
    expect(ready.last.body).toBe(JSON.stringify({ status: 'ready', checks: { database: 'healthy', redis: 'healthy' } }, null, 2));
    expect(JSON.stringify(view)).not.toContain('sekrit-pw');
    // Scheduled runs poll only health paths: never the webhook, the error probes or the test-error endpoint.
    expect(view.endpoints.map((e) => e.last.path).filter((p) => !p.startsWith('/health'))).toEqual([]);
    expect(view.lastRun!.results.find((r) => r.id === 'webhook.signature')!.status).toBe('skipped');
    expect(unwrap(await dispatchCall(engine.handlers, 'http.targets', {}))).toHaveLength(1);
    expect(unwrap(await dispatchCall(engine.handlers, 'http.unwatch', { targetId: target.targetId }))).toEqual({ stopped: true });
    expect(unwrap(await dispatchCall(engine.handlers, 'http.targets', {}))).toEqual([]);
  });

  it('refuses a non-http base URL naming the field', async () => {
    const env = await dispatchCall(engine.handlers, 'http.watch', { baseUrl: 'file:///etc/passwd' });
    expect('error' in env && env.error.message).toMatch(/baseUrl: must start with http:\/\/ or https:\/\//);
  });
});
