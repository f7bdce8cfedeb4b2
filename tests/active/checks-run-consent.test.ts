/**
 * The Overview's "active probes" run through the engine's single choke point: checks.activePlan
 * names what would be sent where, and checks.run with allowActive sends nothing (counted by
 * the sample API itself) until it gets the typed consent the Rate limit and SSE pages need;
 * every refusal lands in the audit log.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo/api/server';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import { readAudit } from '../../electron/core/audit/audit-log';
import type { ActiveRunPlan } from '../../shared/contracts/checks';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { Consent } from '../../shared/schemas/active';
import type { ReadinessReport } from '../../shared/schemas/readiness';
import { tempDir } from '../checks/fixtures';
import { wiredProfile } from '../checks/wired-stack';
import { freshDatabase, sharedRedis } from '../harness';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
const ACTIVE_IDS = ['ratelimit.list-insights', 'ratelimit.xff-bypass', 'sse.connection-hold'];
const STREAM_PATH = '/api/insights/1/trend-stream';
const app = `overview-consent-${Date.now().toString(36)}`;
let api: SampleApi;
let engine: Engine;
const saved = { ...process.env };

beforeAll(async () => {
  const db = await freshDatabase('overview_consent');
  api = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, port: 0, applicationName: app, ssePollMs: 200 });
  // Two profiles the engine finds by name: a dev environment, and one that is production by kind only.
  const dir = tempDir('pf-consent-profiles-');
  mkdirSync(dir, { recursive: true });
  copyFileSync(wiredProfile({ applicationName: app }), join(dir, 'wired-dev.yaml'));
  copyFileSync(wiredProfile({ applicationName: app, kind: 'production', envName: 'live' }), join(dir, 'wired-live.yaml'));
  Object.assign(process.env, { PREFLIGHT_PROFILES_DIR: dir, T_API_URL: api.url, T_DB_URL: db.url, T_REDIS_URL: sharedRedis().url });
  engine = createEngine({ transport: 'http', version: 'test' });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await api?.close();
  for (const k of ['PREFLIGHT_PROFILES_DIR', 'T_API_URL', 'T_DB_URL', 'T_REDIS_URL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const dev = { profile: 'wired-dev', environment: 'local' };
const live = { profile: 'wired-live', environment: 'live' };
const plan = async (ref: typeof dev) => unwrap(await dispatchCall(engine.handlers, 'checks.activePlan', ref)) as ActiveRunPlan;
const refusals = () => readAudit().filter((e) => e.outcome === 'refused');

describe('checks.activePlan', () => {
  it('names host, endpoint and request count of every active probe the run would start, and sends nothing', async () => {
    const host = new URL(api.url).host;
    const p = await plan(dev);
    expect(p.production).toBe(false);
    // The profile's limit is 100/min with the X-Forwarded-For check: (100 + 1) twice; 5 streams held 2 s.
    expect(p.probes.map((x) => [x.probe, x.id, x.plan.host, x.plan.endpoint, x.plan.requestCount, x.plan.durationSeconds])).toEqual([
      ['ratelimit', 'list-insights', host, 'GET /api/insights', 2 * (100 + 1), null],
      ['sse', 'sse', host, `GET ${STREAM_PATH}`, 5, 2],
    ]);
    expect(p.probes[0]!.plan.description).toContain('101 more, each with a forged X-Forwarded-For');
    // Production by kind (the name "live" alone would not say so).
    const l = await plan(live);
    expect(l.production).toBe(true);
    expect(l.probes.every((x) => x.plan.production)).toBe(true);
    // A selection without active checks plans nothing.
    expect((unwrap(await dispatchCall(engine.handlers, 'checks.activePlan', { ...dev, only: ['health.basic'] })) as ActiveRunPlan).probes).toEqual([]);
    expect(api.requestsSeen()).toBe(0);
  });
});

describe('checks.run with allowActive', () => {
  it('without consent, or with a consent that does not match or was not typed, is refused: nothing sent, every refusal audited', async () => {
    const before = refusals().length;
    const p = await plan(dev);
    const good = p.probes.map((x) => consentFor(x.plan));
    const attempts: { why: string; consent?: Consent[] }[] = [
      { why: 'no consent' },
      { why: 'an empty consent list', consent: [] },
      { why: 'only the rate limit consented', consent: good.slice(0, 1) },
      { why: 'a click without the host typed back', consent: good.map((c) => ({ ...c, typedHost: undefined })) },
      { why: 'a wrong request count', consent: [{ ...good[0]!, requestCount: 101 }, good[1]!] },
      { why: 'a different endpoint', consent: [good[0]!, { ...good[1]!, endpoint: 'GET /api/insights/2/trend-stream' }] },
      { why: 'more consents than probes (a stale plan)', consent: [...good, good[0]!] },
    ];
    for (const a of attempts) {
      const res = await dispatchCall(engine.handlers, 'checks.run', { ...dev, allowActive: true, consent: a.consent });
      expect(res, a.why).toMatchObject({ error: { code: 'consent_required' } });
    }
    // Production by kind: the host typed back is not enough, its name must be.
    const l = await plan(live);
    const hostOnly = l.probes.map((x) => ({ ...consentFor({ ...x.plan, production: false }) }));
    expect(await dispatchCall(engine.handlers, 'checks.run', { ...live, allowActive: true, consent: hostOnly })).toMatchObject({ error: { code: 'consent_required', message: expect.stringContaining('"live" is a production environment') } });
    const wrongName = l.probes.map((x) => ({ ...consentFor(x.plan), typedEnvironment: 'local' }));
    expect(await dispatchCall(engine.handlers, 'checks.run', { ...live, allowActive: true, consent: wrongName })).toMatchObject({ error: { code: 'consent_required' } });

    expect(api.requestsSeen()).toBe(0);
    // Each refused run is written down once per probe it would have started (2 probes × 9 attempts).
    const logged = refusals().slice(before);
    expect(logged).toHaveLength(2 * (attempts.length + 2));
    expect(new Set(logged.map((e) => e.action))).toEqual(new Set(['ratelimit.run', 'sse.run']));
    expect(logged.every((e) => (e.details as { source?: string }).source === 'ui')).toBe(true);
    expect(logged.filter((e) => e.environment === 'live')).toHaveLength(4);
  });

  it('with the typed consent from the plan, runs the probes (production: the environment name typed back)', async () => {
    const l = await plan(live);
    const report = unwrap(await dispatchCall(engine.handlers, 'checks.run', { ...live, only: ACTIVE_IDS, allowActive: true, consent: l.probes.map((x) => consentFor(x.plan)) })) as ReadinessReport;
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(Object.fromEntries(ACTIVE_IDS.map((id) => [id, byId[id]?.status])), JSON.stringify(report.results.map((r) => [r.id, r.summary]))).toEqual(Object.fromEntries(ACTIVE_IDS.map((id) => [id, 'pass'])));
    // Exactly what the plan named, counted by the server.
    expect(api.requestsSeen('/api/insights')).toBe(l.probes[0]!.plan.requestCount);
    expect(api.requestsSeen(STREAM_PATH)).toBe(l.probes[1]!.plan.requestCount);
    const runs = readAudit().filter((e) => e.environment === 'live' && e.outcome === 'succeeded');
    expect(runs.map((e) => e.action).sort()).toEqual(['ratelimit.run', 'sse.run']);
    // The engine hands the judging checks to the probes (probes never import checks): the audit keeps each run's verdict.
    expect(runs.map((e) => e.details?.verdict)).toEqual(['pass', 'pass']);
  }, 60_000);
});
