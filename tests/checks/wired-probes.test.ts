/**
 * Every probe-backed check through the check engine: it passes on the good sample stack and
 * fails on the twin it exists to catch (real Postgres, Redis and sample API on loopback).
 */
import { cpSync, appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDemoMigrations, startCacheTraffic, type CacheTraffic } from '../../demo/demo-database';
import { DEMO_MIGRATIONS_DIR } from '../../demo/demo-database';
import { startSampleApi, type SampleApi, type SampleApiOptions } from '../../demo/api/server';
import { readAudit } from '../../electron/core/audit/audit-log';
import { applyMigrations, loadMigrations } from '../../electron/core/migrations';
import type { EphemeralRedis } from '../../demo/ephemeral/redis';
import { freshDatabase, privateRedis } from '../harness';
import { tempDir } from './fixtures';
import { byId, runOn, statuses, wiredProfile, type StackUrls } from './wired-stack';

process.env.PREFLIGHT_DATA_DIR = tempDir('pf-data-');

const HTTP_IDS = ['health.basic', 'health.live', 'health.ready', 'health.ready-consistent', 'request-id.generated', 'request-id.echoed', 'cors.allowlist', 'webhook.signature', 'errors.no-leak', 'security.headers'];
const CATALOG_IDS = ['pg.indexes', 'pg.migrations-applied'];
const REDIS_IDS = ['redis.hit-rate', 'redis.memory', 'redis.evictions', 'redis.rejected-connections'];
const ACTIVE_IDS = ['ratelimit.list-insights', 'ratelimit.xff-bypass', 'sse.connection-hold'];

const apis: SampleApi[] = [];
const redises: EphemeralRedis[] = [];
const traffic: CacheTraffic[] = [];
let goodDb: string;
let goodRedis: EphemeralRedis;
let good: StackUrls;
let profile: string;

async function api(options: Omit<SampleApiOptions, 'pgUrl' | 'redisUrl'> & { pgUrl?: string; redisUrl?: string } = {}): Promise<SampleApi> {
  const a = await startSampleApi({ pgUrl: goodDb, redisUrl: goodRedis.url, port: 0, ...options });
  apis.push(a);
  return a;
}

async function redisServer(args: string[] = ['--maxmemory', '64mb']): Promise<EphemeralRedis> {
  const r = await privateRedis({ args });
  redises.push(r);
  return r;
}

beforeAll(async () => {
  goodDb = (await freshDatabase('wired_good')).url;
  goodRedis = await redisServer();
  traffic.push(await startCacheTraffic(goodRedis.url, { hitRatio: 0.95 }));
  const first = await api();
  await applyDemoMigrations(goodDb);
  good = { api: first.url, db: goodDb, redis: goodRedis.url };
  profile = wiredProfile();
}, 60_000);

afterAll(async () => {
  await Promise.all(traffic.map((t) => t.stop()));
  await Promise.all(apis.map((a) => a.close()));
  await Promise.all(redises.map((r) => r.destroy()));
});

describe('passive probe-backed checks through the engine', () => {
  it('all pass on the good sample stack, each with evidence from its probe', async () => {
    const report = await runOn(profile, good, { only: [...HTTP_IDS, ...CATALOG_IDS, ...REDIS_IDS] });
    const want = Object.fromEntries([...HTTP_IDS, ...CATALOG_IDS, ...REDIS_IDS].map((id) => [id, 'pass']));
    expect(statuses(report, Object.keys(want)), JSON.stringify(report.results.filter((r) => r.status !== 'pass').map((r) => [r.id, r.summary]))).toEqual(want);
    const r = byId(report);
    expect((r['redis.hit-rate']!.evidence as { lookups: number }).lookups).toBeGreaterThanOrEqual(100);
    expect((r['redis.hit-rate']!.evidence as { windowSeconds: number }).windowSeconds).toBeGreaterThan(0.9);
    expect(r['pg.migrations-applied']!.summary).toContain('0001_demo_indexes');
    expect(report.probes.map((p) => [p.name, p.status]).sort()).toEqual([['http', 'ok'], ['postgresCatalog', 'ok'], ['redis', 'ok']]);
  });

  it('the HTTP twins fail their checks: no request id, CORS reflecting any origin, unsigned webhooks, leaky 500s', async () => {
    const broken = await api({ twins: { noRequestId: true, corsReflectsAnyOrigin: true, unsignedWebhooksAccepted: true, leakErrorDetails: true, noSecurityHeaders: true } });
    const ids = ['request-id.generated', 'request-id.echoed', 'cors.allowlist', 'webhook.signature', 'errors.no-leak', 'security.headers'];
    const report = await runOn(profile, { ...good, api: broken.url }, { only: ids });
    expect(statuses(report, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'fail'])));
    expect(byId(report)['cors.allowlist']!.summary).toContain('evil.example');
  });

  it('tls.expiry is left out for a plain http API outside production, and fails one in production', async () => {
    const dev = await runOn(profile, good);
    const ids = dev.results.map((r) => r.id);
    expect(ids).toContain('security.headers');
    expect(ids).not.toContain('tls.expiry');
    const prod = await runOn(wiredProfile({ kind: 'production', envName: 'live' }), good, { only: ['tls.expiry'], envName: 'live' });
    expect(byId(prod)['tls.expiry']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/^A production API served over plain http/) });
  });

  it('a dead API fails health.basic and health.live (reported as down, not a crash)', async () => {
    const ids = ['health.basic', 'health.live'];
    const report = await runOn(profile, { ...good, api: 'http://127.0.0.1:1' }, { only: ids });
    expect(statuses(report, ids)).toEqual({ 'health.basic': 'fail', 'health.live': 'fail' });
    expect(byId(report)['health.basic']!.summary).toMatch(/^Down:/);
  });

  it('Redis down: health.ready fails on the honest API; the twin that ignores Redis fails health.ready-consistent', async () => {
    const dying = await redisServer();
    const honest = await api({ redisUrl: dying.url });
    const liar = await api({ redisUrl: dying.url, twins: { readinessIgnoresRedis: true } });
    await dying.stop();
    const ids = ['health.ready', 'health.ready-consistent'];
    const [h, l] = await Promise.all([runOn(profile, { ...good, api: honest.url, redis: dying.url }, { only: ids }), runOn(profile, { ...good, api: liar.url, redis: dying.url }, { only: ids })]);
    expect(statuses(h, ids)).toEqual({ 'health.ready': 'fail', 'health.ready-consistent': 'pass' });
    expect(statuses(l, ids)).toEqual({ 'health.ready': 'pass', 'health.ready-consistent': 'fail' });
    expect(byId(l)['health.ready-consistent']!.summary).toContain('redis');
  });

  it('a database without the migrations fails pg.indexes and pg.migrations-applied', async () => {
    const bare = (await freshDatabase('wired_bare')).url;
    await api({ pgUrl: bare }); // creates the insights table, no index
    const report = await runOn(profile, { ...good, db: bare }, { only: CATALOG_IDS });
    expect(statuses(report, CATALOG_IDS)).toEqual({ 'pg.indexes': 'fail', 'pg.migrations-applied': 'fail' });
    expect(byId(report)['pg.indexes']!.summary).toContain('idx_insights_created_at missing');
    expect(byId(report)['pg.migrations-applied']!.summary).toContain('0001_demo_indexes.sql pending');
  });

  it('a migration file edited after it ran fails pg.migrations-applied (checksum), while its index is still there', async () => {
    const dir = tempDir('pf-migs-');
    cpSync(DEMO_MIGRATIONS_DIR, dir, { recursive: true });
    const db = (await freshDatabase('wired_edit')).url;
    await api({ pgUrl: db });
    await applyMigrations(db, loadMigrations(dir));
    appendFileSync(join(dir, '0001_demo_indexes.sql'), '\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_insights_title ON insights (title);\n');
    expect(readFileSync(join(dir, '0001_demo_indexes.sql'), 'utf8')).toContain('idx_insights_title');
    const report = await runOn(wiredProfile({ migrationsDir: dir }), { ...good, db }, { only: CATALOG_IDS });
    expect(statuses(report, CATALOG_IDS)).toEqual({ 'pg.indexes': 'pass', 'pg.migrations-applied': 'fail' });
    expect(byId(report)['pg.migrations-applied']!.summary).toContain('checksum');
  });

  it('Redis twin: a server at maxclients fails redis.rejected-connections with the count in the window', async () => {
    const tight = await redisServer(['--maxclients', '2']);
    const holder = new Redis(tight.url, { maxRetriesPerRequest: 0 });
    holder.on('error', () => undefined);
    await holder.ping();
    // One slot is the holder's, one the probe's: every further client is turned away, during the probe's window too.
    let attempts = 0;
    const knocking = setInterval(() => {
      attempts++;
      const c = new Redis(tight.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      c.on('error', () => undefined);
      void c.connect().then(() => c.ping()).catch(() => undefined).finally(() => c.disconnect());
    }, 50);
    try {
      const report = await runOn(profile, { ...good, redis: tight.url }, { only: ['redis.rejected-connections'] });
      const check = byId(report)['redis.rejected-connections']!;
      expect(attempts).toBeGreaterThan(5);
      expect(check.status).toBe('fail');
      expect(check.summary).toMatch(/^\d+ connections rejected in the last .*\(maxclients 2\)/);
      expect((check.evidence as { rejectedConnectionsInWindow: number }).rejectedConnectionsInWindow).toBeGreaterThan(0);
    } finally {
      clearInterval(knocking);
      holder.disconnect();
    }
  });

  it('Redis twins: a cold cache fails redis.hit-rate; memory pressure fails redis.memory and redis.evictions', async () => {
    const cold = await redisServer();
    traffic.push(await startCacheTraffic(cold.url, { hitRatio: 0.2 }));
    const full = await redisServer(['--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-lru']);
    const writer = new Redis(full.url, { maxRetriesPerRequest: 0 });
    writer.on('error', () => undefined);
    let n = 0;
    const big = 'x'.repeat(20_000);
    const filling = setInterval(() => {
      const p = writer.pipeline();
      for (let i = 0; i < 20; i++) p.set(`fill:${n++}`, big);
      void p.exec().catch(() => undefined);
    }, 20);
    try {
      const [c, f] = await Promise.all([runOn(profile, { ...good, redis: cold.url }, { only: REDIS_IDS }), runOn(profile, { ...good, redis: full.url }, { only: REDIS_IDS })]);
      expect(byId(c)['redis.hit-rate']!.status).toBe('fail');
      expect((byId(c)['redis.hit-rate']!.evidence as { hitRate: number }).hitRate).toBeLessThan(0.5);
      expect(statuses(f, ['redis.memory', 'redis.evictions'])).toEqual({ 'redis.memory': 'fail', 'redis.evictions': 'fail' });
    } finally {
      clearInterval(filling);
      writer.disconnect();
    }
  });
});

describe('active probe-backed checks through the engine', () => {
  it('without --allow-active they are skipped and send nothing', async () => {
    const fresh = await api();
    const report = await runOn(profile, { ...good, api: fresh.url }, { only: ACTIVE_IDS });
    expect(statuses(report, ACTIVE_IDS)).toEqual(Object.fromEntries(ACTIVE_IDS.map((id) => [id, 'skipped'])));
    const res = await fetch(`${fresh.url}/api/insights?limit=1`);
    expect(res.headers.get('ratelimit-remaining')).toBe('99');
  });

  it('a production environment is refused without --confirm-environment, even with --allow-active', async () => {
    const fresh = await api();
    const prod = wiredProfile({ kind: 'production', envName: 'live' });
    const report = await runOn(prod, { ...good, api: fresh.url }, { only: ['ratelimit.list-insights'], allowActive: true, envName: 'live' });
    expect(byId(report)['ratelimit.list-insights']).toMatchObject({ status: 'error' });
    expect(byId(report)['ratelimit.list-insights']!.summary).toContain('--confirm-environment live');
    expect(readAudit().filter((e) => e.environment === 'live' && e.outcome === 'refused').map((e) => e.action)).toEqual(['ratelimit.run']);
    const res = await fetch(`${fresh.url}/api/insights?limit=1`);
    expect(res.headers.get('ratelimit-remaining')).toBe('99');
    // A wrong name is refused too; the right one lets the burst run (its first 429 lands one request early: ours above counted).
    const wrong = await runOn(prod, { ...good, api: fresh.url }, { only: ['ratelimit.list-insights'], allowActive: true, envName: 'live', confirmEnvironment: 'local' });
    expect(byId(wrong)['ratelimit.list-insights']!.status).toBe('error');
    const confirmed = await runOn(prod, { ...good, api: fresh.url }, { only: ['ratelimit.list-insights'], allowActive: true, envName: 'live', confirmEnvironment: 'live' });
    expect((byId(confirmed)['ratelimit.list-insights']!.evidence as { first429At: number }).first429At).toBe(100);
  });

  it('pass on a fresh good API; fail on no rate limit + SSE holding sessions, and on a limiter keyed on X-Forwarded-For', async () => {
    const stamp = Date.now().toString(36);
    const fresh = await api({ applicationName: `wired-ok-${stamp}` });
    const loose = await api({ applicationName: `wired-hold-${stamp}`, twins: { noRateLimit: true, sseHoldsDbConnection: true } });
    const xff = await api({ twins: { rateLimitTrustsForwardedFor: true } });
    const [ok, bad, spoof] = await Promise.all([
      runOn(wiredProfile({ applicationName: `wired-ok-${stamp}` }), { ...good, api: fresh.url }, { only: ACTIVE_IDS, allowActive: true }),
      runOn(wiredProfile({ applicationName: `wired-hold-${stamp}` }), { ...good, api: loose.url }, { only: ['ratelimit.list-insights', 'sse.connection-hold'], allowActive: true }),
      runOn(profile, { ...good, api: xff.url }, { only: ['ratelimit.xff-bypass'], allowActive: true }),
    ]);
    expect(statuses(ok, ACTIVE_IDS), JSON.stringify(ok.results.map((r) => [r.id, r.summary]))).toEqual(Object.fromEntries(ACTIVE_IDS.map((id) => [id, 'pass'])));
    expect(statuses(bad, ['ratelimit.list-insights', 'sse.connection-hold']), JSON.stringify(bad.results.map((r) => [r.id, r.summary]))).toEqual({ 'ratelimit.list-insights': 'fail', 'sse.connection-hold': 'fail' });
    expect(byId(spoof)['ratelimit.xff-bypass']!.status).toBe('fail');
    expect((byId(ok)['ratelimit.list-insights']!.evidence as { first429At: number }).first429At).toBe(101);
  }, 60_000);
});

