import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/audit-log';
import { SamplingLoop } from '../../electron/core/monitor/sampling-loop';
import {
  assertSchedulable,
  CapExceededError,
  manualTrigger,
  NotSchedulableError,
  type ManualTrigger,
  type Schedulable,
  type ScheduledTrigger,
} from '../../electron/core/probes/active/guardrails';
import { isLoopbackHost, typedConfirmationFor } from '../../electron/core/consent/typed-confirmation';
import { ConsentError } from '../../electron/core/consent/verify-consent';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../../electron/core/probes/active/ratelimit';
import { planSse } from '../../electron/core/probes/active/sse-hold';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { waitFor } from '../harness';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let server: LimiterServer;
beforeAll(async () => {
  server = await startLimiterServer({ mode: 'stall', limit: 100, windowMs: 60_000 });
});
afterAll(async () => {
  await server?.close();
});

function request(overrides: Partial<RateLimitRequest> = {}): RateLimitRequest {
  return { url: server.url, limit: 100, windowSeconds: 60, xffCheck: false, checkReset: false, environment: 'local', ...overrides };
}

describe('guardrails: nothing is sent without a manual trigger and matching consent', () => {
  it('no consent: refused, zero requests reach the server, refusal audited', async () => {
    server.setMode('correct');
    server.resetCounters();
    const req = request();
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: null })).rejects.toThrow(ConsentError);
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: { ...consentFor(planRateLimit(req)), requestCount: 50 } })).rejects.toThrow(/request count 50 ≠ 101/);
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: { ...consentFor(planRateLimit(req)), host: 'other:1' } })).rejects.toThrow(/host/);
    expect(server.requests).toBe(0);
    expect(server.connectionsAccepted).toBe(0);
    const refusals = readAudit().filter((a) => a.outcome === 'refused');
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals[0]!.action).toBe('ratelimit.run');
  });

  it('a typed host that is not the target host is refused; the UI asks for the host outside production', async () => {
    server.setMode('correct');
    server.resetCounters();
    const req = request({ environment: 'staging' });
    const plan = planRateLimit(req);
    expect(typedConfirmationFor(plan)).toEqual({ what: 'host', value: new URL(server.url).host });
    expect(typedConfirmationFor({ ...plan, production: true })).toEqual({ what: 'environment', value: 'staging' });
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: { ...consentFor(plan), typedHost: 'api.example.com' } })).rejects.toThrow(/typed host "api.example.com" is not the target host/);
    expect(server.requests).toBe(0);
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['api.example.com', '10.0.0.5', '127.0.0.1.nip.io', '[2001:db8::1]'].some(isLoopbackHost)).toBe(false);
  });

  it('SSE streams stay open at most 120 s', () => {
    const sse = { url: server.url, pgUrl: 'postgres://x@127.0.0.1/db', streams: 2, environment: 'local' };
    expect(planSse({ ...sse, seconds: 120 }).durationSeconds).toBe(120);
    expect(() => planSse({ ...sse, seconds: 121 })).toThrow(/at most 120 s/);
  });

  it('production needs the environment name typed back exactly', async () => {
    server.setMode('correct');
    server.resetCounters();
    const req = request({ environment: 'production', limit: 5 });
    const plan = planRateLimit(req);
    expect(plan.production).toBe(true);
    const { typedEnvironment: _typed, ...untyped } = consentFor(plan);
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: untyped })).rejects.toThrow(/type its name/);
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: { ...untyped, typedEnvironment: 'Production' } })).rejects.toThrow(ConsentError);
    expect(server.requests).toBe(0);
    const obs = await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(plan) });
    expect(obs.burst.sent).toBe(6);
    expect(server.requests).toBe(6);
  });

  it('never schedulable: a scheduled, forged or reused trigger is refused at run time and at compile time', async () => {
    server.setMode('correct');
    server.resetCounters();
    const req = request({ limit: 3 });
    const consent = consentFor(planRateLimit(req));
    const scheduled: ScheduledTrigger = { kind: 'scheduled', source: 'monitor' };
    // @ts-expect-error a scheduled trigger is not a ManualTrigger
    await expect(runRateLimitProbe(req, { trigger: scheduled, consent })).rejects.toThrow(NotSchedulableError);
    const forged = { kind: 'manual', source: 'ui' } as unknown as ManualTrigger;
    await expect(runRateLimitProbe(req, { trigger: forged, consent })).rejects.toThrow(NotSchedulableError);
    const once = manualTrigger('test');
    await runRateLimitProbe(req, { trigger: once, consent });
    expect(server.requests).toBe(4);
    await expect(runRateLimitProbe(req, { trigger: once, consent })).rejects.toThrow(/already used/);
    expect(server.requests).toBe(4);
    expect(() => assertSchedulable('ratelimit')).toThrow(NotSchedulableError);
    expect(() => assertSchedulable('sse')).toThrow(NotSchedulableError);
    expect(() => assertSchedulable('postgres')).not.toThrow();
    const schedulable: Schedulable<'postgres'> = 'postgres';
    // @ts-expect-error active probe ids are not schedulable
    const notSchedulable: Schedulable<'ratelimit'> = 'ratelimit';
    expect([schedulable, notSchedulable]).toHaveLength(2);
  });

  it('the sampling loop every watcher runs on refuses an active probe id, by type and at run time', () => {
    class Loop extends SamplingLoop<{ sampledAt: string }> {
      protected sample() {
        return Promise.resolve({ sampledAt: new Date().toISOString() });
      }
    }
    const options = { targetId: 't', intervalMs: 60_000, onTick: () => undefined };
    expect(new Loop(options, 'postgres').intervalMs).toBe(60_000);
    for (const id of ['sse', 'ratelimit'] as const) {
      // @ts-expect-error an active probe id is not a SchedulableProbeId
      expect(() => new Loop(options, id)).toThrow(NotSchedulableError);
    }
  });

  it('a plan over the request cap is refused before anything is sent', async () => {
    server.setMode('correct');
    server.resetCounters();
    const req = request({ limit: 300, xffCheck: true });
    expect(planRateLimit(req).requestCount).toBe(602);
    await expect(runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) })).rejects.toThrow(CapExceededError);
    const small = request({ limit: 100, caps: { maxRequests: 50 } });
    await expect(runRateLimitProbe(small, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(small)) })).rejects.toThrow(/over the cap of 50/);
    expect(server.requests).toBe(0);
  });
});

describe('guardrails against a server that never answers', () => {
  it('per-request timeout, no retries: the server sees each request once and never more than planned', async () => {
    server.setMode('stall');
    server.resetCounters();
    const req = request({ limit: 29, caps: { maxConcurrency: 10, requestTimeoutMs: 300, totalDeadlineMs: 20_000 } });
    const obs = await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) });
    expect(obs.totalSent).toBe(30);
    expect(obs.burst.statuses).toEqual({ error: 30 });
    expect(obs.burst.requests.every((r) => r.error === 'timeout')).toBe(true);
    await waitFor(() => server.requests === 30, { what: 'the last stalled requests to arrive' });
    expect(server.requests).toBe(30);
    expect(server.connectionsAccepted).toBeLessThanOrEqual(30);
  });

  it('the total deadline stops the run and nothing more is sent', async () => {
    server.setMode('stall');
    server.resetCounters();
    // The per-request timeout (30 s) is far beyond the deadline, so only the deadline can end these
    // requests: the run must report it, and the server must see the sockets closed long before 30 s.
    const req = request({ limit: 100, caps: { maxConcurrency: 5, requestTimeoutMs: 30_000, totalDeadlineMs: 700 } });
    const obs = await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) });
    expect(obs.stoppedBy).toBe('deadline');
    expect(obs.totalSent).toBe(5);
    expect(obs.burst.requests.every((r) => r.status === null)).toBe(true);
    await waitFor(() => server.openSockets === 0, { what: 'the deadline to close every socket (the request timeout is 30 s)' });
    expect(server.requests).toBe(5);
  });

  it('cancel ends every socket (counted server-side) and sends nothing more', async () => {
    server.setMode('stall');
    server.resetCounters();
    const req = request({ limit: 100, caps: { requestTimeoutMs: 30_000, totalDeadlineMs: 60_000 } });
    const controller = new AbortController();
    const run = runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)), signal: controller.signal });
    await waitFor(() => server.requests === 50 && server.openSockets === 50, { what: '50 stalled requests in flight' });
    controller.abort();
    // Requests time out only after 30 s: sockets closing well before that can only be the cancel.
    await waitFor(() => server.openSockets === 0, { what: 'cancel to close every socket (the request timeout is 30 s)' });
    const obs = await run;
    expect(obs.stoppedBy).toBe('cancelled');
    expect(obs.totalSent).toBe(50);
    expect(server.requests).toBe(50);
    expect(readAudit().at(-1)).toMatchObject({ action: 'ratelimit.run', outcome: 'cancelled' });
  });

  it('stops when the 5xx ratio passes the threshold', async () => {
    server.setMode('error500');
    server.resetCounters();
    const req = request({ limit: 200, caps: { maxConcurrency: 4, min5xxSample: 10, max5xxRatio: 0.5 } });
    const obs = await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) });
    expect(obs.stoppedBy).toBe('5xx-threshold');
    expect(obs.totalSent).toBeLessThanOrEqual(10 + 4);
    // Requests cut off by the stop may never reach the server; none beyond the slots taken do.
    expect(server.requests).toBeGreaterThanOrEqual(10);
    expect(server.requests).toBeLessThanOrEqual(obs.totalSent);
  });
});
