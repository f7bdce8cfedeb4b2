/**
 * Each passive HTTP probe against the good sample stack (passes) and against the broken twin
 * it exists to catch (fails, with evidence naming the problem). Real API, Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi, type Twins } from '../demo';
import { httpResults } from '../electron/core/checks/http-results';
import { runPassiveProbes } from '../electron/core/probes/http';
import type { CheckResult } from '../shared/schemas/check';
import type { HttpExpectationsInput } from '../shared/schemas/http';
import { freshDatabase, sharedRedis } from './harness';

const ALLOWED = ['https://startinsight.app', 'https://www.startinsight.app', 'https://app.startinsight.app'];
const expectations: HttpExpectationsInput = { allowedOrigins: ALLOWED, production: true };
let pgUrl: string;
const apis: SampleApi[] = [];

async function runAgainst(twins: Twins): Promise<Record<string, CheckResult>> {
  const api = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url, twins });
  apis.push(api);
  const observation = await runPassiveProbes(api.url, { expectations, pgUrl, redisUrl: sharedRedis().url });
  return Object.fromEntries(httpResults(observation, expectations).map((r) => [r.id, r]));
}

let good: Record<string, CheckResult>;
beforeAll(async () => {
  pgUrl = (await freshDatabase('http')).url;
  good = await runAgainst({});
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

describe('passive HTTP probes on the good stack', () => {
  it('every check passes except TLS, which fails because production is served over plain http', () => {
    const notPassing = Object.values(good).filter((r) => r.status !== 'pass').map((r) => `${r.id}:${r.status}`);
    expect(notPassing).toEqual(['tls.expiry:fail']);
    expect(good['tls.expiry']!.summary).toContain('plain http');
  });

  it('validates the exact StartInsight health bodies and content type', () => {
    expect(good['health.basic']!.evidence).toMatchObject({ status: 200, contentType: 'application/json', problems: [] });
    expect(good['health.ready']!.evidence.body).toContain('"redis": "healthy"');
  });
});

describe('each twin is caught by its check', () => {
  it('corsReflectsAnyOrigin → cors.allowlist fails naming the reflected origin', async () => {
    const r = (await runAgainst({ corsReflectsAnyOrigin: true }))['cors.allowlist']!;
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('foreign origin https://evil.example was reflected');
    expect(r.summary).toContain('with credentials');
    expect(r.evidence.responses).toContainEqual(expect.objectContaining({ origin: 'https://evil.example', allowOrigin: 'https://evil.example', allowCredentials: 'true' }));
  });

  it('noRequestId → both request-id checks fail', async () => {
    const results = await runAgainst({ noRequestId: true });
    expect(results['request-id.generated']!.status).toBe('fail');
    expect(results['request-id.generated']!.summary).toContain('had no X-Request-ID header');
    expect(results['request-id.echoed']!.status).toBe('fail');
    expect(results['request-id.echoed']!.evidence).toMatchObject({ received: null });
  });

  it('unsignedWebhooksAccepted → webhook.signature fails: both attempts got 200', async () => {
    const r = (await runAgainst({ unsignedWebhooksAccepted: true }))['webhook.signature']!;
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('a webhook with no stripe-signature was accepted with 200');
    expect(r.summary).toContain('a webhook with a forged stripe-signature was accepted with 200');
  });

  it('leakErrorDetails → errors.no-leak fails quoting the stack trace and the SQL', async () => {
    const r = (await runAgainst({ leakErrorDetails: true }))['errors.no-leak']!;
    expect(r.status).toBe('fail');
    const leaks = (r.evidence.leaks as string[]).join('\n');
    expect(leaks).toMatch(/stack trace: .*database\.ts:\d+:\d+/);
    expect(leaks).toMatch(/SQL: .*SELECT secret_key FROM sentry_test_table/);
    expect(leaks).toContain('file path');
  });

  it('noSecurityHeaders → security.headers fails naming the missing headers', async () => {
    const r = (await runAgainst({ noSecurityHeaders: true }))['security.headers']!;
    expect(r.status).toBe('fail');
    expect(r.evidence.missing).toEqual(['X-Content-Type-Options: nosniff', 'X-Frame-Options or CSP frame-ancestors', 'Strict-Transport-Security']);
    expect(r.summary).toContain('X-Powered-By: Express');
  });

  it('a twin only trips its own check: the CORS twin leaves the webhook check passing', async () => {
    const results = await runAgainst({ corsReflectsAnyOrigin: true });
    expect(results['webhook.signature']!.status).toBe('pass');
    expect(results['errors.no-leak']!.status).toBe('pass');
  });
});

describe('CORS expectations', () => {
  it('in production an http:// origin in the allow-list fails even when the server echoes it', async () => {
    const api = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url, allowedOrigins: ['http://startinsight.app'] });
    apis.push(api);
    const x: HttpExpectationsInput = { allowedOrigins: ['http://startinsight.app'], production: true };
    const r = httpResults(await runPassiveProbes(api.url, { expectations: x }), x).find((c) => c.id === 'cors.allowlist')!;
    expect(r.status).toBe('fail');
    expect(r.evidence.problems).toContain('production allow-list has non-HTTPS origins: http://startinsight.app');
  });

  it('an allowed origin the server does not echo fails', async () => {
    const x: HttpExpectationsInput = { allowedOrigins: ['https://admin.startinsight.app'] };
    const r = httpResults(await runPassiveProbes(apis[0]!.url, { expectations: x }), x).find((c) => c.id === 'cors.allowlist')!;
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('allowed origin https://admin.startinsight.app was not echoed');
  });
});
