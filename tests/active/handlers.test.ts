/** The active-probe calls through the engine and the contract's single choke point. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import { readAudit } from '../../electron/core/audit/audit-log';
import type { ActiveProgress, ActiveRunState } from '../../shared/contracts/active';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { ActivePlan } from '../../shared/schemas/active';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { waitFor } from '../harness';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let engine: Engine;
let server: LimiterServer;
const progress: ActiveProgress[] = [];
const finished: ActiveRunState[] = [];
beforeAll(async () => {
  server = await startLimiterServer({ mode: 'correct', limit: 100, windowMs: 60_000 });
  engine = createEngine({ transport: 'http', version: 'test' });
  engine.events.subscribe((name, payload) => {
    if (name === 'active.progress') progress.push(payload as ActiveProgress);
    if (name === 'active.finished') finished.push(payload as ActiveRunState);
  });
});
afterAll(async () => {
  await engine?.close();
  await server?.close();
});

const request = () => ({ kind: 'ratelimit' as const, url: server.url, limit: 100, windowSeconds: 60, xffCheck: true, checkReset: false, environment: 'production' });

describe('active.* calls', () => {
  it('plan sends nothing and names host, endpoint and count; a mismatched or untyped consent is refused with nothing sent', async () => {
    server.resetCounters();
    const plan = unwrap(await dispatchCall(engine.handlers, 'active.plan', request())) as ActivePlan;
    expect(plan).toMatchObject({ host: new URL(server.url).host, endpoint: 'GET /api/insights', requestCount: 202, production: true });
    const untyped = await dispatchCall(engine.handlers, 'active.start', { request: request(), consent: { ...consentFor(plan), typedEnvironment: undefined } });
    expect(untyped).toMatchObject({ error: { code: 'consent_required' } });
    const wrongCount = await dispatchCall(engine.handlers, 'active.start', { request: request(), consent: { ...consentFor(plan), requestCount: 101 } });
    expect(wrongCount).toMatchObject({ error: { code: 'consent_required' } });
    // Outside production a click alone is not consent: the host must be typed back.
    const staging = { ...request(), environment: 'staging' };
    const stagingPlan = unwrap(await dispatchCall(engine.handlers, 'active.plan', staging)) as ActivePlan;
    expect(stagingPlan.production).toBe(false);
    const clickOnly = await dispatchCall(engine.handlers, 'active.start', { request: staging, consent: { ...consentFor(stagingPlan), typedHost: undefined } });
    expect(clickOnly).toMatchObject({ error: { code: 'consent_required', message: expect.stringContaining(`type the target host "${stagingPlan.host}"`) } });
    const wrongHost = await dispatchCall(engine.handlers, 'active.start', { request: staging, consent: { ...consentFor(stagingPlan), typedHost: 'staging' } });
    expect(wrongHost).toMatchObject({ error: { code: 'consent_required' } });
    const noEnvironment = await dispatchCall(engine.handlers, 'active.plan', { ...request(), environment: '' });
    expect(noEnvironment).toMatchObject({ error: { code: 'bad_input' } });
    const bad = await dispatchCall(engine.handlers, 'active.plan', { ...request(), url: 'file:///etc/passwd' });
    expect(bad).toMatchObject({ error: { code: 'bad_input' } });
    expect(server.requests).toBe(0);
    expect(readAudit().filter((a) => a.outcome === 'refused')).toHaveLength(4);
  });

  it('start runs in the background, reports progress events and a finished event with the report', async () => {
    server.resetCounters();
    const plan = unwrap(await dispatchCall(engine.handlers, 'active.plan', request())) as ActivePlan;
    const started = unwrap(await dispatchCall(engine.handlers, 'active.start', { request: request(), consent: consentFor(plan) })) as ActiveRunState;
    expect(started.status).toBe('running');
    const done = await waitFor(() => finished.find((f) => f.runId === started.runId), { what: 'the finished event' });
    expect(done.status).toBe('finished');
    expect(done.rateLimit).toMatchObject({ first429At: 101, xffBypass: false, verdict: 'pass' });
    expect(progress.filter((p) => p.runId === started.runId).at(-1)).toMatchObject({ phase: 'done', sent: 202, planned: 202 });
    const runs = unwrap(await dispatchCall(engine.handlers, 'active.runs', {})) as ActiveRunState[];
    expect(runs[0]!.runId).toBe(started.runId);
    expect(server.requests).toBe(202);
  });

  it('cancel stops a running burst against a stalled server', async () => {
    server.resetCounters();
    server.setMode('stall');
    const req = { ...request(), environment: 'staging', xffCheck: false };
    const plan = unwrap(await dispatchCall(engine.handlers, 'active.plan', req)) as ActivePlan;
    const started = unwrap(await dispatchCall(engine.handlers, 'active.start', { request: req, consent: consentFor(plan) })) as ActiveRunState;
    await waitFor(() => server.openSockets === 50, { what: '50 stalled requests' });
    expect(unwrap(await dispatchCall(engine.handlers, 'active.cancel', { runId: started.runId }))).toEqual({ cancelled: true });
    await waitFor(() => server.openSockets === 0, { timeoutMs: 1000, intervalMs: 5, what: 'sockets closed within 1 s' });
    const done = await waitFor(() => finished.find((f) => f.runId === started.runId), { what: 'the finished event' });
    expect(done.rateLimit?.stoppedBy).toBe('cancelled');
    expect(done.rateLimit?.verdict).toBe('inconclusive');
    expect(unwrap(await dispatchCall(engine.handlers, 'active.cancel', { runId: started.runId }))).toEqual({ cancelled: false });
  });
});
