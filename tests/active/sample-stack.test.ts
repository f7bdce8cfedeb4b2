/**
 * The active probes against the StartInsight-like sample stack (demo/) over the harness
 * Postgres and Redis: the good stack and each twin the probes exist to catch.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo';
import { createEngine } from '../../electron/core/api/engine';
import type { ActiveRunState } from '../../shared/contracts/active';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { ActivePlan } from '../../shared/schemas/active';
import { waitFor } from '../harness';
import { rateLimitReport, sseReport } from '../../electron/core/checks/active';
import { manualTrigger } from '../../electron/core/probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../../electron/core/probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../../electron/core/probes/active/sse-hold';
import { freshDatabase, sharedRedis } from '../harness';
import { runCli } from '../harness/cli';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let db: { url: string };
const apis: SampleApi[] = [];
async function api(options: Partial<Parameters<typeof startSampleApi>[0]> = {}): Promise<SampleApi> {
  const a = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, port: 0, ...options });
  apis.push(a);
  return a;
}
beforeAll(async () => {
  db = await freshDatabase('active_stack');
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

async function rateLimit(a: SampleApi, xffCheck: boolean) {
  const req: RateLimitRequest = { url: `${a.url}/api/insights`, limit: 100, windowSeconds: 60, xffCheck, checkReset: false, environment: 'local' };
  return rateLimitReport(await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) }));
}

async function sse(a: SampleApi, app: string, streams = 20) {
  const req: SseRequest = { url: `${a.url}/api/insights/1/trend-stream`, pgUrl: db.url, applicationName: app, streams, seconds: 3, environment: 'local', sampleIntervalMs: 150 };
  return sseReport(await runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)) }));
}

describe('rate-limit probe against the sample stack', () => {
  it('good stack, 100/min: first 429 at 101 with Retry-After; the spoof check does not flag it', async () => {
    const report = await rateLimit(await api(), true);
    expect(report.statuses).toEqual({ '200': 100, '429': 1 });
    expect(report.first429At).toBe(101);
    expect(Number(report.retryAfter)).toBeGreaterThan(0);
    expect(Number(report.retryAfter)).toBeLessThanOrEqual(60);
    expect(report.xffBypass).toBe(false);
    expect(report.verdict).toBe('pass');
  });

  it('good stack with part of the bucket already spent (a watcher, an earlier call): judged against what was left, pass', async () => {
    const a = await api();
    for (let i = 0; i < 12; i++) expect((await fetch(`${a.url}/api/insights?limit=1`)).status).toBe(200);
    const report = await rateLimit(a, false);
    expect(report.first429At).toBe(89);
    expect(report.observation.burst.limiter).toMatchObject({ budgetAtStart: 88, advertisedLimit: 100 });
    expect(report.verdict).toBe('pass');
    expect(report.summary).toContain('first 429 at request 89 = the 88 the limiter had left + 1');
    expect(report.summary).toContain('12 of the 100 were already used in this window');
    // Run again at once: the bucket is empty, so the limit cannot be measured — inconclusive with when to retry, never fail.
    const again = await rateLimit(a, false);
    expect(again.first429At).toBe(1);
    expect(again.verdict).toBe('inconclusive');
    expect(again.summary).toMatch(/^Inconclusive: the limiter had no budget left when the burst began: all 101 answers were 429.*retry in \d+ s \(after \d\d:\d\d:\d\d UTC\)/);
  });

  it('no-limit twin fails with "no 429 after 101 requests"', async () => {
    const report = await rateLimit(await api({ twins: { noRateLimit: true } }), false);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('no 429 after 101 requests');
  });

  it('forgeable X-Forwarded-For twin is flagged', async () => {
    const report = await rateLimit(await api({ twins: { rateLimitTrustsForwardedFor: true } }), true);
    expect(report.first429At).toBe(101);
    expect(report.xffBypass).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('limit can be dodged by forging X-Forwarded-For');
  });
});

describe('SSE probe against the sample stack', () => {
  it('good stack: 5 of 20 streams open (5/minute) is inconclusive, saying when to retry; 5 of 5 passes holding none', async () => {
    const app = `si-good-${Date.now()}`;
    const a = await api({ applicationName: app, ssePollMs: 300 });
    const limited = await sse(a, app);
    expect(limited.streamsOpened).toBe(5);
    expect(limited.streamsRefused).toBe(15);
    expect(limited.streamsFailed).toBe(0);
    expect(limited.verdict).toBe('inconclusive');
    expect(limited.summary).toMatch(/only 5 of 20 streams opened .*the API's own stream limit refused 15 \(429\); it says to retry in \d+ s \(after \d\d:\d\d:\d\d UTC\)/);
    // Right after, the limit is used up: nothing opens, and the check says so instead of "unknown".
    const spent = await sse(a, app, 5);
    expect(spent.streamsOpened).toBe(0);
    expect(spent.summary).toMatch(/the API's own stream limit refused all 5 streams \(429\), so the test cannot run right now: it says to retry in \d+ s/);
    const fresh = await sse(await api({ applicationName: app, ssePollMs: 300 }), app, 5);
    expect(fresh.streamsOpened).toBe(5);
    // The app's pool and each poll's own session are not the streams': nothing is held.
    expect(fresh.heldConnections).toBe(0);
    expect(fresh.verdict).toBe('pass');
  });

  it('holding twin is flagged with its peak', async () => {
    const app = `si-hold-${Date.now()}`;
    const report = await sse(await api({ applicationName: app, ssePollMs: 300, twins: { sseHoldsDbConnection: true } }), app);
    expect(report.streamsOpened).toBe(5);
    expect(report.streamsRefused).toBe(15);
    // One session per open stream at least; the app's pool may release a few idle ones at the same moment.
    expect(report.heldConnections).toBeGreaterThanOrEqual(5);
    expect(report.peakConnections).toBeGreaterThanOrEqual(report.baselineConnections + 5);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain(`peak ${report.peakConnections}`);
    expect(report.summary).toContain('15 streams were refused by the server (429)');
    // Holding is conclusive even though only 5 of the 20 opened.
    expect(report.observation.attribution!.held.length).toBe(5);
  });
});

describe('the CLI against the sample stack', () => {
  it('ratelimit passes on the good stack and sse passes on it too', async () => {
    const app = `si-cli-${Date.now()}`;
    const a = await api({ applicationName: app, ssePollMs: 300 });
    const rl = await runCli(['ratelimit', '--url', `${a.url}/api/insights`, '--limit', '100', '--window', '1m', '--xff-check', '--confirm', '--json']);
    expect(rl.code).toBe(0);
    expect(JSON.parse(rl.stdout)).toMatchObject({ sent: 101, first429At: 101, statuses: { '200': 100, '429': 1 }, xffBypass: false, verdict: 'pass' });
    const sse = await runCli(['sse', '--url', `${a.url}/api/insights/1/trend-stream`, '--pg-url', db.url, '--app-name', app, '--streams', '5', '--seconds', '2', '--confirm', '--json']);
    expect(sse.code).toBe(0);
    expect(JSON.parse(sse.stdout)).toMatchObject({ streamsOpened: 5, streamsRefused: 0, verdict: 'pass' });
  });
});

describe('--check-reset against the sample stack', () => {
  it('a limiter that frees its slot: the request after the advertised reset succeeds, verdict pass', async () => {
    const a = await api({ limits: { list: { name: 'insights-list', limit: 5, windowMs: 2000 } } });
    const req: RateLimitRequest = { url: `${a.url}/api/insights`, limit: 5, windowSeconds: 2, xffCheck: false, checkReset: true, environment: 'local' };
    const report = rateLimitReport(await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) }));
    expect(report.first429At).toBe(6);
    expect(report.postResetStatus).toBe(200);
    expect(report.verdict).toBe('pass');
    expect(a.traffic.requests).toBe(7);
  });

  it('the twin whose Retry-After is too short is still refused after the advertised reset: fail naming the 429 (CLI exit 1)', async () => {
    const a = await api({ twins: { rateLimitRetryAfterTooShort: true } });
    const url = `${a.url}/api/insights`;
    // 100 per minute: waiting for the reset needs the window + 30 s, over the 60 s deadline, so it must be asked for.
    const refused = await runCli(['ratelimit', '--url', url, '--limit', '100', '--window', '60s', '--check-reset', '--confirm', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--deadline 90s');
    expect(a.traffic.requests).toBe(0);
    const res = await runCli(['ratelimit', '--url', url, '--limit', '100', '--window', '60s', '--check-reset', '--deadline', '90s', '--confirm', '--json']);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout) as { summary: string; observation: { postReset: { waitedMs: number } } };
    expect(doc).toMatchObject({ sent: 101, first429At: 101, retryAfter: '1', postResetStatus: 429, verdict: 'fail' });
    expect(doc.summary).toContain('after the advertised reset, was still refused (429)');
    expect(doc.observation.postReset.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(a.traffic.requests).toBe(102);
  });
});

function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'pf-active-audit-'));
}
const auditOf = (dir: string) => readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { details: Record<string, unknown> });

describe('CLI refusals are audited and send nothing', () => {
  it('no --confirm, a wrong --confirm-host, a reset check without --deadline: each one refused entry, the sample server sees zero requests', async () => {
    const a = await api();
    const dataDir = tempDataDir();
    const env = { PREFLIGHT_DATA_DIR: dataDir };
    const port = new URL(a.url).port;
    const url = `http://ops:Hunter2Pw@127.0.0.1:${port}/api/insights?api_key=K3yInQuery`;
    const noConfirm = await runCli(['ratelimit', '--url', url, '--limit', '100', '--xff-check', '--json'], { env });
    expect(noConfirm.code).toBe(2);
    const remote = 'http://api.example.test:8443/api/insights';
    const wrongHost = await runCli(['ratelimit', '--url', remote, '--limit', '5', '--confirm', '--confirm-host', 'api.example.test'], { env });
    expect(wrongHost.code).toBe(2);
    const noDeadline = await runCli(['ratelimit', '--url', url, '--limit', '100', '--check-reset', '--confirm'], { env });
    expect(noDeadline.code).toBe(2);
    const sse = await runCli(['sse', '--url', `${a.url}/api/insights/1/trend-stream`, '--pg-url', db.url, '--streams', '3', '--seconds', '2'], { env });
    expect(sse.code).toBe(2);
    expect(a.traffic.requests).toBe(0);

    const entries = auditOf(dataDir);
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['ratelimit.run', 'refused'],
      ['ratelimit.run', 'refused'],
      ['ratelimit.run', 'refused'],
      ['sse.run', 'refused'],
    ]);
    for (const e of entries) {
      expect(typeof e.who).toBe('string');
      expect((e.who as string).length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(e.at as string))).toBe(false);
      expect(e.details.source).toBe('cli');
      expect(String(e.details.reason).length).toBeGreaterThan(0);
    }
    const [first, second, third, fourth] = entries as [(typeof entries)[number], (typeof entries)[number], (typeof entries)[number], (typeof entries)[number]];
    // Where: the URL, its password and secret query value masked. What: the plan that was refused.
    expect(first.target).toContain(`127.0.0.1:${port}/api/insights`);
    expect(first.details).toMatchObject({ plannedRequests: 202, wouldSend: expect.stringContaining(`Would send 202 requests to GET /api/insights?api_key=*****`) });
    expect(second).toMatchObject({ target: remote, details: { plannedRequests: 5 + 1, reason: expect.stringContaining('--confirm-host "api.example.test" does not match') } });
    expect(third.details.reason).toContain('--deadline 90s');
    expect(fourth.details).toMatchObject({ plannedRequests: 3, wouldSend: expect.stringContaining('Would open 3 SSE streams') });
    const raw = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(raw).not.toContain('Hunter2Pw');
    expect(raw).not.toContain('K3yInQuery');
    for (const out of [noConfirm, noDeadline]) expect(out.stderr + out.stdout).not.toMatch(/Hunter2Pw|K3yInQuery/);
  });
});

/** Every file under a directory, as bytes (the checks store is SQLite). */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path)];
  });
}

function bearerProfile(apiUrl: string, tokenVar: string): string {
  return `version: 1
name: bearer
environments:
  - name: local
    kind: dev
    secrets:
      api_token: { env: ${tokenVar} }
    targets:
      api: { baseUrl: '${apiUrl}' }
expectations:
  http:
    rateLimits:
      - { id: list-insights, path: /api/insights, limit: 100, windowSeconds: 60, identity: { bearer: { secret: api_token } } }
`;
}

describe('bearer identity from the secret store', () => {
  const token = `pfTok_${randomBytes(16).toString('hex')}`;
  const tokenVar = `PF_TEST_BEARER_${randomBytes(4).toString('hex').toUpperCase()}`;

  it('preflight check --allow-active: the profile names the secret; the server receives the token, no output or file carries it', async () => {
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'pf-bearer-'));
    const profile = join(dir, 'bearer.yaml');
    writeFileSync(profile, bearerProfile(a.url, tokenVar));
    const dataDir = tempDataDir();
    const res = await runCli(['check', '--profile', profile, '--env', 'local', '--only', 'ratelimit.list-insights', '--allow-active', '--json'], { env: { PREFLIGHT_DATA_DIR: dataDir, [tokenVar]: token } });
    const doc = JSON.parse(res.stdout) as { results: { id: string; status: string; summary: string }[] };
    expect(doc.results.map((r) => [r.id, r.status]), res.stderr).toEqual([['ratelimit.list-insights', 'pass']]);
    // Server side: every request of the burst carried the token.
    expect(a.traffic.requests).toBe(101);
    expect(a.traffic.authorization.get(`Bearer ${token}`)).toBe(101);
    expect(res.stdout + res.stderr).not.toContain(token);
    for (const file of filesUnder(dataDir)) expect(file.includes(token)).toBe(false);
    const audit = auditOf(dataDir).filter((e) => e.action === 'ratelimit.run');
    expect(audit.map((e) => e.outcome)).toEqual(['started', 'succeeded']);
    expect(audit[1]!.details.identity).toBe('a bearer token from secret "api_token"');

    // A malformed token is refused by name, never echoed, and nothing is sent.
    const b = await api();
    writeFileSync(profile, bearerProfile(b.url, tokenVar));
    const bad = await runCli(['check', '--profile', profile, '--env', 'local', '--only', 'ratelimit.list-insights', '--allow-active', '--json'], { env: { PREFLIGHT_DATA_DIR: dataDir, [tokenVar]: `${token} extra` } });
    const badDoc = JSON.parse(bad.stdout) as { results: { id: string; status: string; summary: string }[] };
    expect(badDoc.results[0]!.status).toBe('error');
    expect(bad.stdout).toContain('secret \\"api_token\\"');
    expect(bad.stdout + bad.stderr).not.toContain(token);
    expect(b.traffic.requests).toBe(0);
    // A profile naming a secret the environment does not define is rejected with its line.
    writeFileSync(profile, bearerProfile(b.url, tokenVar).replace('api_token: { env', 'other_token: { env'));
    const invalid = await runCli(['check', '--profile', profile, '--env', 'local', '--only', 'ratelimit.list-insights', '--allow-active'], { env: { PREFLIGHT_DATA_DIR: dataDir, [tokenVar]: token } });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('names secret "api_token", which environment "local" does not define');
    expect(b.traffic.requests).toBe(0);
  });

  it('the Rate limit page request names the secret by reference; the engine sends it only to that environment\'s API', async () => {
    const a = await api();
    const other = await api();
    const dir = mkdtempSync(join(tmpdir(), 'pf-bearer-ui-'));
    writeFileSync(join(dir, 'bearer.yaml'), bearerProfile(a.url, tokenVar));
    const before = { profiles: process.env.PREFLIGHT_PROFILES_DIR, token: process.env[tokenVar] };
    process.env.PREFLIGHT_PROFILES_DIR = dir;
    process.env[tokenVar] = token;
    const engine = createEngine({ transport: 'http', version: 'test' });
    const events: unknown[] = [];
    engine.events.subscribe((name, payload) => events.push({ name, payload }));
    try {
      const identity = { profile: 'bearer', environment: 'local', secret: 'api_token' };
      const request = { kind: 'ratelimit' as const, url: `${a.url}/api/insights`, limit: 100, windowSeconds: 60, xffCheck: false, checkReset: false, identity, environment: 'staging' };
      const plan = unwrap(await dispatchCall(engine.handlers, 'active.plan', request)) as ActivePlan;
      expect(plan.description).toContain('as a bearer token from secret "api_token" (profile bearer, environment local)');
      const started = unwrap(await dispatchCall(engine.handlers, 'active.start', { request, consent: consentFor(plan) })) as ActiveRunState;
      const done = await waitFor(() => (events as { name: string; payload: ActiveRunState }[]).find((e) => e.name === 'active.finished' && e.payload.runId === started.runId)?.payload, { what: 'the finished event' });
      expect(done.rateLimit).toMatchObject({ first429At: 101, verdict: 'pass' });
      expect(a.traffic.authorization.get(`Bearer ${token}`)).toBe(101);
      expect(JSON.stringify(events)).not.toContain(token);
      expect(JSON.stringify(unwrap(await dispatchCall(engine.handlers, 'active.runs', {})))).not.toContain(token);
      // The same reference aimed at another host is refused before anything is read or sent.
      const elsewhere = { ...request, url: `${other.url}/api/insights` };
      const refused = await dispatchCall(engine.handlers, 'active.plan', elsewhere);
      expect(refused).toMatchObject({ error: { code: 'bad_input', message: expect.stringContaining('never sent to') } });
      const forced = await dispatchCall(engine.handlers, 'active.start', { request: elsewhere, consent: consentFor(plan) });
      expect(forced).toMatchObject({ error: { code: 'bad_input' } });
      expect(other.traffic.requests).toBe(0);
      expect(JSON.stringify([refused, forced])).not.toContain(token);
      for (const file of filesUnder(process.env.PREFLIGHT_DATA_DIR!)) expect(file.includes(token)).toBe(false);
    } finally {
      await engine.close();
      if (before.profiles === undefined) delete process.env.PREFLIGHT_PROFILES_DIR;
      else process.env.PREFLIGHT_PROFILES_DIR = before.profiles;
      if (before.token === undefined) delete process.env[tokenVar];
      else process.env[tokenVar] = before.token;
    }
  });
});
