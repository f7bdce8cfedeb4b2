/**
 * The demo's healthy stack reads READY with active probes on — from the UI's path (the serve
 * bridge's checks.run with typed consent, on the very `preflight demo` whose Endpoints watcher
 * polls the API every 5 s) and from `check --allow-active` — and NOT READY on each twin the
 * readiness checks exist to catch. The test does no setup by hand: the demo itself starts the
 * walkthrough and rotates its throw-away .env copy's secrets, so secrets.rotated has evidence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi, type TwinName } from '../../demo';
import { CATALOGUE } from '../../electron/core/checks/catalogue';
import type { ActiveRunPlan } from '../../shared/contracts/checks';
import type { Consent } from '../../shared/schemas/active';
import type { ReadinessReport } from '../../shared/schemas/readiness';
import { PROJECT_ROOT, runCli } from '../harness/cli';
import { startServe, type ServeProcess } from '../harness/serve';

const PROFILE = `${PROJECT_ROOT}/profiles/demo.yaml`;
const ACTIVE = ['ratelimit.list-insights', 'ratelimit.xff-bypass', 'sse.connection-hold'];
let demo: ServeProcess;
let env: NodeJS.ProcessEnv;
const apis: SampleApi[] = [];
const FIXTURE = join(PROJECT_ROOT, 'demo', 'static-fixtures', 'backend.env');
const fixtureBefore = readFileSync(FIXTURE, 'utf8');

async function call<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${demo.origin}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-preflight-token': demo.token }, body: JSON.stringify(input) });
  const envelope = (await res.json()) as { result?: T; error?: { message: string } };
  if (envelope.error) throw new Error(`${name}: ${envelope.error.message}`);
  return envelope.result as T;
}

const byId = (r: Pick<ReadinessReport, 'results'>) => Object.fromEntries(r.results.map((x) => [x.id, x]));
const line = (r: ReadinessReport['results'][number] | undefined) => (r ? `${r.status}: ${r.summary}` : 'missing');

beforeAll(async () => {
  // Nothing by hand: the demo itself starts the walkthrough and rotates its own copy's secrets, as a new user's would.
  // initdb, redis-server and the API start under the test machine's load: allow minutes, not seconds.
  demo = await startServe(['demo'], 300_000);
  const exported = Object.fromEntries([...demo.stderr().matchAll(/export (DEMO_[A-Z_]+)='([^']+)'/g)].map((m) => [m[1]!, m[2]!]));
  expect(Object.keys(exported).sort()).toEqual(['DEMO_API_URL', 'DEMO_DATABASE_URL', 'DEMO_ENV_FILE', 'DEMO_REDIS_URL']);
  expect(demo.stderr()).toMatch(/demo: started the checklist walkthrough .*rotated the throw-away copy's secrets \(REFRESH_TOKEN_SECRET, JWT_SECRET, STRIPE_WEBHOOK_SECRET\)/);
  // The demo's copy, never the repo's fixture: the fixture is unchanged by the demo.
  expect(exported.DEMO_ENV_FILE).not.toBe(FIXTURE);
  expect(readFileSync(FIXTURE, 'utf8')).toBe(fixtureBefore);
  env = { ...exported };
}, 420_000);

afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  await demo?.stop();
});

describe('the demo profile with active probes on', () => {
  it('reads READY on the good stack from the UI path: checks.run with typed consent on the running demo', async () => {
    const ref = { profile: 'demo', environment: 'local' };
    // The Endpoints watcher has been polling the demo API every 5 s meanwhile: it must not have spent the limiter's budget.
    const plan = await call<ActiveRunPlan>('checks.activePlan', ref);
    expect(plan.probes.map((p) => p.probe)).toEqual(['ratelimit', 'sse']);
    const consent: Consent[] = plan.probes.map(({ plan: p }) => ({ host: p.host, endpoint: p.endpoint, requestCount: p.requestCount, environment: p.environment, typedHost: p.host }));
    const report = await call<ReadinessReport>('checks.run', { ...ref, allowActive: true, consent });
    const r = byId(report);
    process.stdout.write(`UI path (serve bridge checks.run): ${report.score}/100 ${report.verdict}\n  ratelimit.list-insights ${line(r['ratelimit.list-insights'])}\n  ratelimit.xff-bypass ${line(r['ratelimit.xff-bypass'])}\n  sse.connection-hold ${line(r['sse.connection-hold'])}\n`);
    for (const id of ACTIVE) expect(line(r[id])).toMatch(/^pass: /);
    // The demo's simulated app traffic makes a lock wait now and then (pg.lock-waits may warn); nothing fails.
    expect(report.results.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => `${x.id} ${x.status}: ${x.summary}`)).toEqual([]);
    expect(report.verdict).toBe('ready');
    // The demo profile names no fixes of its own: every fix text is the check's generic one, never StartInsight's.
    const fixes = report.results.map((x) => x.fix ?? '').join('\n');
    expect(fixes).not.toMatch(/alembic|b010|supabase|railway|startinsight/i);
    for (const x of report.results) expect(x.fix, x.id).toBe(CATALOGUE.find((c) => c.id === x.id)!.fix);
  }, 180_000);

  it('reads READY on the good stack from `check --allow-active` (a fresh API instance over the same database and Redis)', async () => {
    const good = await startSampleApi({ pgUrl: env.DEMO_DATABASE_URL!, redisUrl: env.DEMO_REDIS_URL! });
    apis.push(good);
    // Some traffic of its own in the window first, as a real client would have: the limiter's budget is judged, not blamed.
    for (let i = 0; i < 7; i++) await fetch(`${good.url}/api/insights?limit=1`).then((res) => res.arrayBuffer());
    const res = await runCli(['check', '--profile', PROFILE, '--env', 'local', '--allow-active', '--json'], { env: { ...env, DEMO_API_URL: good.url }, timeoutMs: 120_000 });
    const report = JSON.parse(res.stdout) as ReadinessReport;
    const r = byId(report);
    process.stdout.write(`CLI check --allow-active: ${report.score}/100 ${report.verdict}\n  ratelimit.list-insights ${line(r['ratelimit.list-insights'])}\n  sse.connection-hold ${line(r['sse.connection-hold'])}\n`);
    for (const id of ACTIVE) expect(line(r[id])).toMatch(/^pass: /);
    expect(report.results.filter((x) => x.status === 'fail' || x.status === 'error').map((x) => `${x.id} ${x.status}: ${x.summary}`)).toEqual([]);
    expect(r['ratelimit.list-insights']!.summary).toContain('first 429 at request 94 = the 93 the limiter had left + 1');
    expect(report.verdict).toBe('ready');
    expect(res.code).toBe(0);
  }, 180_000);

  // Each twin the readiness run can see (readinessIgnoresRedis needs Redis down; rateLimitRetryAfterTooShort needs the reset check).
  // A failing check of medium severity or above (the profile's default blocking severity) caps
  // the score below the ready line: every one of these twins reads NOT READY, exit 1.
  const twins: [TwinName, string][] = [
    ['noRateLimit', 'ratelimit.list-insights'],
    ['sseHoldsDbConnection', 'sse.connection-hold'],
    ['corsReflectsAnyOrigin', 'cors.allowlist'],
    ['unsignedWebhooksAccepted', 'webhook.signature'],
    ['rateLimitTrustsForwardedFor', 'ratelimit.xff-bypass'],
    ['noRequestId', 'request-id.generated'],
    ['leakErrorDetails', 'errors.no-leak'],
    ['noSecurityHeaders', 'security.headers'],
  ];
  it.each(twins)('on the %s twin, %s fails and the verdict is NOT READY', async (twin, checkId) => {
    const bad = await startSampleApi({ pgUrl: env.DEMO_DATABASE_URL!, redisUrl: env.DEMO_REDIS_URL!, twins: { [twin]: true } });
    apis.push(bad);
    const res = await runCli(['check', '--profile', PROFILE, '--env', 'local', '--allow-active', '--json'], { env: { ...env, DEMO_API_URL: bad.url }, timeoutMs: 120_000 });
    const report = JSON.parse(res.stdout) as ReadinessReport;
    expect(line(byId(report)[checkId])).toMatch(/^fail: /);
    expect(report.cappedBy).toContain(checkId);
    expect(report.score).toBeLessThan(report.readyAt);
    expect(report.verdict).toBe('not_ready');
    expect(res.code).toBe(1);
  }, 180_000);
});
