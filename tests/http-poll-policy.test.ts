/**
 * Scheduled HTTP touches only pollable paths (DESIGN.md §3): the health endpoints and paths a
 * profile marks `poll: true`. Counted server-side by the sample API, run after run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_ORIGINS, startSampleApi, type SampleApi } from '../demo';
import { httpExpectationsFor } from '../electron/core/profile/http-expectations';
import { HttpWatcher } from '../electron/core/monitor/http-watcher';
import { NotSchedulableError } from '../electron/core/probes/active/guardrails';
import { PollPolicy, ScheduledHttpClient, type PollableRequest } from '../electron/core/probes/http';
import { parseProfile } from '../electron/core/profile/load';
import { HttpExpectations } from '../shared/schemas/http';
import { freshDatabase, sharedRedis, waitFor } from './harness';

const HEALTH = ['/health', '/health/live', '/health/ready'];
let api: SampleApi;
const nonHealthRequests = () => api.requestsSeen() - HEALTH.reduce((n, p) => n + api.requestsSeen(p), 0);

beforeAll(async () => {
  api = await startSampleApi({ pgUrl: (await freshDatabase('poll')).url, redisUrl: sharedRedis().url });
});
afterAll(async () => {
  await api?.close();
});

async function watchFor(expectations: HttpExpectations, runs: number): Promise<HttpWatcher> {
  // A compressed schedule: a run every 20 ms instead of every 5 s.
  const w = new HttpWatcher({ targetId: 't', baseUrl: api.url, intervalMs: 20, expectations, onRun: () => undefined });
  w.start();
  await waitFor(() => w.runs >= runs, { what: `${runs} watcher runs`, timeoutMs: 30_000 });
  await w.stop();
  return w;
}

describe('the Endpoints watcher', () => {
  it('with the demo’s expectations sends nothing but health requests, run after run', async () => {
    const before = api.requestsSeen();
    const w = await watchFor(HttpExpectations.parse({ allowedOrigins: [...PRODUCTION_ORIGINS] }), 20);
    expect(api.requestsSeen() - before).toBeGreaterThanOrEqual(20 * 10);
    expect(nonHealthRequests()).toBe(0);
    expect(api.requestsSeen('/api/insights')).toBe(0);
    expect(api.requestsSeen('/api/payments/webhook')).toBe(0);
    const byId = new Map(w.lastRun!.results.map((r) => [r.id, r]));
    // Headers are read from /health; the webhook and error probes are left to one-shot runs, and say so.
    expect(byId.get('security.headers')!.status).toBe('pass');
    expect(byId.get('security.headers')!.summary).toContain('GET /health ');
    for (const id of ['webhook.signature', 'errors.no-leak']) {
      expect(byId.get(id)!.status).toBe('skipped');
      expect(byId.get(id)!.summary).toMatch(/^Not polled on a schedule: .*(webhook or error route|neither a health endpoint)/);
    }
    expect(byId.get('health.ready')!.status).toBe('pass');
    expect(byId.get('cors.allowlist')!.status).toBe('pass');
  });

  it('with the StartInsight profile (test-error route, webhook, error probe paths) never leaves the health endpoints', async () => {
    const profile = parseProfile(STARTINSIGHT_LIKE, 'inline.yaml');
    const x = httpExpectationsFor(profile.expectations, { kind: 'production' });
    expect(x.paths.testError).toBe('/api/test-sentry');
    const before = nonHealthRequests();
    await watchFor(x, 10);
    expect(nonHealthRequests() - before).toBe(0);
  });

  it('polls a path the profile marks poll: true, and only then', async () => {
    const marked = parseProfile(STARTINSIGHT_LIKE.replace('requestId: { header: X-Request-ID }', 'requestId: { header: X-Request-ID, path: /preflight-probe/status, poll: true }'), 'inline.yaml');
    const before = api.requestsSeen('/preflight-probe/status');
    await watchFor(httpExpectationsFor(marked.expectations, { kind: 'dev' }), 3);
    expect(api.requestsSeen('/preflight-probe/status') - before).toBeGreaterThanOrEqual(6);
    const unmarked = parseProfile(STARTINSIGHT_LIKE.replace('requestId: { header: X-Request-ID }', 'requestId: { header: X-Request-ID, path: /preflight-probe/other }'), 'inline.yaml');
    const w = await watchFor(httpExpectationsFor(unmarked.expectations, { kind: 'dev' }), 3);
    expect(api.requestsSeen('/preflight-probe/other')).toBe(0);
    expect(w.lastRun!.results.find((r) => r.id === 'request-id.generated')!.summary).toMatch(/neither a health endpoint nor a path the profile marks poll: true/);
  });
});

describe('PollPolicy', () => {
  it('a profile cannot mark a rate-limited, webhook or error route poll: true', () => {
    const attempt = (path: string) => () => parseProfile(STARTINSIGHT_LIKE.replace('requestId: { header: X-Request-ID }', `requestId: { header: X-Request-ID, path: '${path}', poll: true }`), 'inline.yaml');
    expect(attempt('/api/insights?limit=1')).toThrow(/rate-limited route.*never be polled/);
    expect(attempt('/api/insights/7')).toThrow(/rate-limited route/);
    expect(attempt('/api/payments/webhook')).toThrow(/the webhook/);
    expect(attempt('/api/test-sentry')).toThrow(/test-error route/);
  });

  it('the watcher’s client refuses a non-pollable request before sending it, by type and at run time', async () => {
    const policy = new PollPolicy(HttpExpectations.parse({}));
    const client = new ScheduledHttpClient(api.url, policy);
    const before = api.requestsSeen();
    try {
      const ok = policy.admit([{ name: 'health', path: '/health', timeoutMs: 2000 }]).pollable[0]!;
      expect((await client.exchange(ok)).status).toBe(200);
      const sneaky = { name: 'list', path: '/api/insights?limit=1', timeoutMs: 2000 };
      // @ts-expect-error a plain request is not a PollableRequest: only PollPolicy.admit makes one
      await expect(client.exchange(sneaky)).rejects.toThrow(NotSchedulableError);
      const forged = { name: 'hook', method: 'POST', path: '/health', body: '{}', timeoutMs: 2000 } as unknown as PollableRequest;
      await expect(client.exchange(forged)).rejects.toThrow(/not a read/);
      expect(api.requestsSeen() - before).toBe(1);
    } finally {
      await client.close();
    }
  });
});

const STARTINSIGHT_LIKE = `
version: 1
name: poll-test
environments:
  - name: prod
    kind: production
    targets: { api: { baseUrl: 'http://127.0.0.1:1' } }
expectations:
  http:
    health:
      - { id: basic, path: /health, status: 200 }
      - { id: ready, path: /health/ready, status: 200 }
      - { id: live, path: /health/live, status: 200 }
    requestId: { header: X-Request-ID }
    cors: { allowedOrigins: [https://startinsight.app] }
    webhook: { path: /api/payments/webhook }
    errors: { probePaths: [/api/insights/not-a-valid-id], testErrorPath: /api/test-sentry }
    rateLimits:
      - { id: list-insights, path: /api/insights, limit: 100, windowSeconds: 60 }
      - { id: insight-detail, path: '/api/insights/{id}', limit: 200, windowSeconds: 60, probe: false }
`;
