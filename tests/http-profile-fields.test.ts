/**
 * Every `expectations.http` field of a profile changes what the HTTP probes send or what the
 * checks accept: each test would pass (or fail) the other way if the field were ignored.
 * Behaviour over HTTP runs against the real sample API; pure check logic over recorded exchanges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApiOptions } from '../demo';
import { checkErrorHygiene, checkHealthReady, checkRequestIdEchoed, checkRequestIdGenerated } from '../electron/core/checks/http';
import { httpResults } from '../electron/core/checks/http-results';
import { healthSchemasFor } from '../electron/core/checks/profile-http';
import { httpExpectationsFor } from '../electron/core/profile/http-expectations';
import { plannedRequests, runPassiveProbes } from '../electron/core/probes/http';
import { Profile } from '../electron/core/profile/schema';
import type { CheckResult } from '../shared/schemas/check';
import type { HttpExchange, HttpObservation } from '../shared/schemas/http';
import { freshDatabase, sharedRedis } from './harness';

type Kind = 'production' | 'staging' | 'dev';

/** A profile through the real schema (defaults and all), reduced to what the HTTP probes take. */
function fromProfile(http: Record<string, unknown>, kind: Kind = 'dev') {
  const profile = Profile.parse({ version: 1, name: 't', environments: [{ name: 'e', kind }], expectations: { http } });
  const environment = profile.environments[0]!;
  return { x: httpExpectationsFor(profile.expectations, environment), schemas: healthSchemasFor(profile.expectations) };
}

let pgUrl: string;
const closers: (() => Promise<void>)[] = [];
async function api(options: Partial<SampleApiOptions> = {}) {
  const a = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url, ...options });
  closers.push(() => a.close());
  return a;
}

async function run(url: string, http: Record<string, unknown>, kind: Kind = 'dev'): Promise<{ o: HttpObservation; r: Record<string, CheckResult> }> {
  const { x, schemas } = fromProfile(http, kind);
  const o = await runPassiveProbes(url, { expectations: x });
  return { o, r: Object.fromEntries(httpResults(o, x, schemas).map((c) => [c.id, c])) };
}

beforeAll(async () => {
  pgUrl = (await freshDatabase('httpfields')).url;
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

const exchange = (name: string, status: number, body: string, headers: Record<string, string> = {}): HttpExchange => ({
  name, method: 'GET', path: `/${name}`, at: '2026-01-01T00:00:00.000Z', requestHeaders: {}, status, latencyMs: 2, headers: { 'content-type': 'application/json', ...headers }, body, bodyTruncated: false, error: null,
});
const observation = (exchanges: HttpExchange[], sentRequestId = 'preflight-x'): HttpObservation => ({ baseUrl: 'http://api', startedAt: '', durationMs: 0, sentRequestId, exchanges, direct: { database: null, redis: null }, tls: null });

describe('http.requestId', () => {
  it('header: an API using X-Correlation-ID passes with that header named and fails with the default', async () => {
    const a = await api({ requestIdHeader: 'X-Correlation-ID' });
    const named = await run(a.url, { requestId: { header: 'X-Correlation-ID' } });
    expect(named.r['request-id.generated']!.status).toBe('pass');
    expect(named.r['request-id.echoed']).toMatchObject({ status: 'pass', evidence: { header: 'X-Correlation-ID', received: named.o.sentRequestId } });
    expect(named.o.exchanges.find((e) => e.name === 'request-id.echo')!.requestHeaders).toHaveProperty('x-correlation-id', named.o.sentRequestId);

    const byDefault = await run(a.url, { requestId: {} });
    expect(byDefault.r['request-id.generated']!.summary).toContain('had no X-Request-ID header');
    expect(byDefault.r['request-id.echoed']!.status).toBe('fail');
  });

  it('path: the request-id calls go to the profile’s path', async () => {
    const a = await api();
    const { o, r } = await run(a.url, { requestId: { path: '/health/live' } });
    expect(r['request-id.generated']!.status).toBe('pass');
    expect((r['request-id.generated']!.evidence.ids as { request: string }[]).map((i) => i.request)).toEqual(['GET /health/live', 'GET /health/live']);
    expect(o.exchanges.find((e) => e.name === 'request-id.echo')!.path).toBe('/health/live');
  });

  it('format: "any" accepts non-UUID ids that "uuid" refuses; two equal ids fail either way', () => {
    const o = observation([exchange('request-id.fresh-1', 200, '{}', { 'x-request-id': 'req-0001' }), exchange('request-id.fresh-2', 200, '{}', { 'x-request-id': 'req-0002' })]);
    expect(checkRequestIdGenerated(o, fromProfile({ requestId: { format: 'uuid' } }).x)).toMatchObject({ status: 'fail', summary: expect.stringContaining('"req-0001" is not a UUID') });
    expect(checkRequestIdGenerated(o, fromProfile({ requestId: { format: 'any' } }).x).status).toBe('pass');
    const same = observation([exchange('request-id.fresh-1', 200, '{}', { 'x-request-id': 'req-1' }), exchange('request-id.fresh-2', 200, '{}', { 'x-request-id': 'req-1' })]);
    expect(checkRequestIdGenerated(same, fromProfile({ requestId: { format: 'any' } }).x).summary).toContain('two calls got the same id req-1');
  });

  it('echo: false sends no request with our id and leaves request-id.echoed unknown (skipped), not failed', () => {
    const { x } = fromProfile({ requestId: { echo: false } });
    expect(plannedRequests(x, 'ours').map((r) => r.name)).not.toContain('request-id.echo');
    expect(plannedRequests(fromProfile({ requestId: {} }).x, 'ours').map((r) => r.name)).toContain('request-id.echo');
    const r = checkRequestIdEchoed(observation([]), x);
    expect(r.status).toBe('skipped');
    expect(r.summary).toContain('requestId.echo: false');
  });
});

describe('http.webhook', () => {
  const webhook = { path: '/api/payments/webhook', signatureHeader: 'stripe-signature' };

  it('rejectStatus: 400 passes on the sample API (400) and fails on one answering 401; without it any 4xx passes', async () => {
    const good = await api();
    expect((await run(good.url, { webhook: { ...webhook, rejectStatus: 400 } })).r['webhook.signature']!.status).toBe('pass');

    const answers401 = await api({ webhookRejectStatus: 401 });
    const strict = (await run(answers401.url, { webhook: { ...webhook, rejectStatus: 400 } })).r['webhook.signature']!;
    expect(strict.status).toBe('fail');
    expect(strict.summary).toContain('a webhook with no stripe-signature got 401, expected 400');
    expect(strict.summary).toContain('a webhook with a forged stripe-signature got 401, expected 400');
    expect(strict.evidence).toMatchObject({ expectedStatus: 400 });

    const lenient = (await run(answers401.url, { webhook })).r['webhook.signature']!;
    expect(lenient.status).toBe('pass');
    expect(lenient.evidence).toMatchObject({ expectedStatus: '4xx' });
  });

  it('signatureHeader: the forged signature goes in the profile’s header', async () => {
    const a = await api({ webhookSignatureHeader: 'X-Signature', webhookRejectStatus: 403 });
    const { o, r } = await run(a.url, { webhook: { path: '/api/payments/webhook', signatureHeader: 'X-Signature', rejectStatus: 403 } });
    const forged = o.exchanges.find((e) => e.name === 'webhook.forged')!;
    expect(forged.requestHeaders).toHaveProperty('x-signature');
    expect(forged.requestHeaders).not.toHaveProperty('stripe-signature');
    expect(r['webhook.signature']).toMatchObject({ status: 'pass', evidence: { signatureHeader: 'X-Signature', expectedStatus: 403 } });
  });
});

describe('http.errors.forbiddenPatterns', () => {
  it('a body matching a profile pattern fails errors.no-leak (case-insensitive); without the pattern it passes', async () => {
    const a = await api();
    const errors = { probePaths: ['/api/insights/not-a-valid-id'], testErrorPath: '/api/test-sentry' };
    expect((await run(a.url, { errors })).r['errors.no-leak']!.status).toBe('pass');
    // The sample API's generic 500 body is {"detail":"Internal server error"}.
    const r = (await run(a.url, { errors: { ...errors, forbiddenPatterns: ['internal SERVER error'] } })).r['errors.no-leak']!;
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^GET \/api\/test-sentry \(500\) body shows forbidden pattern \/internal SERVER error\/: .*Internal server error/);
  });

  it('patterns are regular expressions checked by the schema', () => {
    const body = '{"detail":"Internal server error","worker":"gunicorn-7"}';
    const o = observation([exchange('errors.404', 404, '{"detail":"Not Found"}'), exchange('errors.422', 422, '{"detail":"bad"}'), exchange('errors.500', 500, body)]);
    expect(checkErrorHygiene(o, fromProfile({ errors: { testErrorPath: '/x', forbiddenPatterns: ['gunicorn-\\d+'] } }).x).status).toBe('fail');
    expect(checkErrorHygiene(o, fromProfile({ errors: { testErrorPath: '/x' } }).x).status).toBe('pass');
    expect(() => fromProfile({ errors: { forbiddenPatterns: ['(unclosed'] } })).toThrow(/valid regular expression/);
  });
});

describe('http.health statuses', () => {
  it('health[].status: a profile expecting 204 fails the sample API’s 200', async () => {
    const a = await api();
    const body = { status: 'healthy', service: 'startinsight-api' };
    expect((await run(a.url, { health: [{ id: 'basic', path: '/health', status: 200, body }] })).r['health.basic']!.status).toBe('pass');
    const r = (await run(a.url, { health: [{ id: 'basic', path: '/health', status: 204, body }] })).r['health.basic']!;
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('status 200, expected 204');
  });

  it('whenUnhealthy.status: a not-ready answer with another status than the profile’s is called out', () => {
    const notReady = observation([exchange('ready', 503, JSON.stringify({ status: 'not_ready', checks: { database: 'healthy', redis: 'unhealthy: ConnectionError' } }))]);
    const ready = (unhealthyStatus: number) =>
      fromProfile({ health: [{ id: 'ready', path: '/health/ready', status: 200, body: { status: 'ready' }, whenUnhealthy: { status: unhealthyStatus, bodyStatus: 'not_ready', checkPattern: '^unhealthy: \\w+$' } }] });
    const as503 = ready(503);
    expect(checkHealthReady(notReady, as503.schemas, as503.x)).toMatchObject({ status: 'fail', summary: 'Not ready (503): redis unhealthy: ConnectionError.' });
    const as500 = ready(500);
    const r = checkHealthReady(notReady, as500.schemas, as500.x);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('answered 503 while not ready, expected 500');
    expect(r.evidence).toMatchObject({ expectedUnhealthyStatus: 500 });
  });

  it('a not-ready body is never a pass, even with the ready status', () => {
    const lying = observation([exchange('ready', 200, JSON.stringify({ status: 'not_ready', checks: { database: 'healthy', redis: 'unhealthy: ConnectionError' } }))]);
    const { x, schemas } = fromProfile({ health: [{ id: 'ready', path: '/health/ready', status: 200, body: { status: 'ready' }, whenUnhealthy: { status: 503, bodyStatus: 'not_ready' } }] });
    expect(checkHealthReady(lying, schemas, x)).toMatchObject({ status: 'fail', summary: expect.stringContaining('answered 200 while not ready, expected 503') });
  });
});

describe('http.cors.httpsOnly', () => {
  it('an http:// allowed origin fails with httpsOnly (the default) in any environment, and passes with httpsOnly: false even in production', async () => {
    const a = await api({ allowedOrigins: ['http://localhost:3000'] });
    const cors = { allowedOrigins: ['http://localhost:3000'] };
    const dev = (await run(a.url, { cors }, 'dev')).r['cors.allowlist']!;
    expect(dev.status).toBe('fail');
    expect(dev.evidence.problems).toContain('https-only allow-list has non-HTTPS origins: http://localhost:3000');
    const off = (await run(a.url, { cors: { ...cors, httpsOnly: false } }, 'production')).r['cors.allowlist']!;
    expect(off.status).toBe('pass');
    expect(off.evidence).toMatchObject({ production: true, httpsOnly: false });
  });
});
