/**
 * The faces agree: one situation gives one tone in the CLI (`pg activity`, `redis`), the API
 * (the watcher's ticks through the contract's dispatch), the page's data (the tile colour the
 * renderer takes from a tick) and `preflight check`. The thresholds are the catalogue
 * definitions' own; no face decides a colour from its own numbers.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/api/engine';
import { CHECK_IDS, CHECKS } from '../../electron/core/checks/catalogue';
import { evaluateDefinition } from '../../electron/core/checks/define';
import { judgePostgres, judgeRedis, toneOf } from '../../electron/core/checks/judge';
import idleInTransaction from '../../electron/core/checks/postgres/idle-in-transaction';
import { DEFAULT_REDIS_THRESHOLDS, redisChecks } from '../../electron/core/checks/redis';
import redisMemory from '../../electron/core/checks/redis/memory';
import { runChecks } from '../../electron/core/engine/run-checks';
import { loadProfile } from '../../electron/core/profile/load';
import { Profile } from '../../electron/core/profile/schema';
import { toneFor } from '../../renderer/src/components/judged';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { ActivitySample, PgTick } from '../../shared/schemas/postgres';
import { RedisSample } from '../../shared/schemas/redis';
import { runCli } from '../harness/cli';
import { closeAll, freshDatabase, openSessions, privatePostgres, sharedRedis, waitFor } from '../harness';
import type { EphemeralPostgres } from '../../demo/ephemeral/postgres';
import { startSampleApi, type SampleApi } from '../../demo';
import type { CallOutput } from '../../shared/contract';
import type { CheckResult } from '../../shared/schemas/check';
import { profileYaml } from './fixtures';
import { byId, runOn, wiredProfile } from './wired-stack';

const POOL = 'pg.pool-utilization';

// A private cluster with max_connections 20 (17 usable): the app's sessions are all that runs.
let cluster: EphemeralPostgres;
beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 20 });
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('the faces agree on a database at 9 of 17 usable connections (warn at 50 %, fail at 80 %)', () => {
  it('the watcher through dispatch, the page data, pg activity and preflight check all say warn', async () => {
    const sessions = await openSessions(cluster.url, 9, 'faces-app');
    try {
      // One face at a time: each one's own connection is a client to the others.
      const engine = createEngine({ transport: 'http', version: 'test' });
      let tick: PgTick;
      try {
        const target = unwrap(await dispatchCall(engine.handlers, 'pg.watch', { url: cluster.url, intervalMs: 1000 })) as { targetId: string };
        tick = await waitFor(
          async () => (unwrap(await dispatchCall(engine.handlers, 'pg.history', { targetId: target.targetId, limit: 5 })) as PgTick[]).find((t) => t.sample),
          { timeoutMs: 30_000, what: 'a tick with a sample' },
        );
      } finally {
        await engine.close();
      }
      expect(tick.sample!.total).toBe(9);
      const cli = await runCli(['pg', 'activity', '--url', cluster.url, '--json']);
      expect(cli.code, cli.stderr).toBe(0);
      const dir = mkdtempSync(join(tmpdir(), 'faces-'));
      writeFileSync(join(dir, 'p.yaml'), profileYaml({ expectations: '  postgres: {}' }));
      const report = await runChecks({ loaded: loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS }), environment: 'prod', only: [POOL], env: { TEST_DATABASE_URL: cluster.url } });
      const tones = {
        api: tick.judgements![POOL]!.tone,
        page: toneFor(tick.judgements, POOL),
        cli: (JSON.parse(cli.stdout) as { judgements: Record<string, { tone: string }> }).judgements[POOL]!.tone,
        check: toneOf(report.results[0]!.status),
      };
      expect(tones).toEqual({ api: 'warn', page: 'warn', cli: 'warn', check: 'warn' });
    } finally {
      await closeAll(sessions);
    }
  });
});

describe('the faces agree on a session idle in a transaction for 7 s (the check warns from 5 s; the page used to wait for 10 s)', () => {
  const sample = {
    sampledAt: '2026-01-01T00:00:00Z', total: 3, usableConnections: 97, maxConnections: 100, byApplication: [], blocked: [], waitingOnLocks: 0,
    idleInTransaction: [{ pid: 42, application: 'app', seconds: 7 }], longestIdleInTransactionSeconds: 7,
  } as unknown as ActivitySample;
  it('the watcher’s tick (and so the page) and preflight check both warn', () => {
    const watcher = judgePostgres(sample, { budget: null })[IDLE]!;
    const profile = Profile.parse({ version: 1, name: 's', environments: [{ name: 'prod', kind: 'production' }] });
    const check = evaluateDefinition(idleInTransaction, { postgres: sample }, profile.expectations, {});
    expect({ watcher: watcher.tone, page: toneFor({ [IDLE]: watcher }, IDLE), check: toneOf(check.status) }).toEqual({ watcher: 'warn', page: 'warn', check: 'warn' });
  });
});
const IDLE = 'pg.idle-in-transaction';

describe('the faces agree on Redis memory at 75 % of maxmemory (warn at 70 %, fail at 80 %)', () => {
  const rolling = { windowSeconds: 60, coveredSeconds: 10, hitRate: 0.9, lookups: 1000, opsPerSec: 1, evictedKeysPerSec: 0 };
  // A recorded observation: 75 MB of 100 MB maxmemory, everything else healthy.
  const sample: RedisSample = RedisSample.parse({
    sampledAt: '2026-01-01T00:00:10.000Z', windowSeconds: 10, hitRate: 0.9, lookups: 1000, hits: 900, misses: 100, lifetimeHitRate: 0.9, lifetimeLookups: 10_000,
    rolling: { '1m': rolling, '5m': rolling, '1h': rolling },
    opsPerSec: 100, commands: 1000, usedMemoryBytes: 75e6, usedMemoryRssBytes: 80e6, maxMemoryBytes: 100e6, memoryUtilization: 0.75, maxMemoryPolicy: 'noeviction',
    fragmentationRatio: 1.1, evictedKeys: 0, evictedKeysPerSec: 0, expiredKeys: 0, expiredKeysPerSec: 0, connectedClients: 3, blockedClients: 0, maxClients: 10000,
    rejectedConnections: 0, rejectedConnectionsInWindow: 0, keys: 42, pingMs: 0.2, infoMs: 0.3, version: '7.0.15', role: 'master', mode: 'standalone',
    uptimeSeconds: 100, runId: 'r', reset: false, resetReason: null, unknownSections: [],
  });
  it('preflight redis (its default thresholds), the watcher’s ticks and preflight check (profile defaults) all warn', () => {
    const cli = redisChecks(sample, DEFAULT_REDIS_THRESHOLDS).find((c) => c.id === 'redis.memory')!;
    const watcher = judgeRedis(sample, DEFAULT_REDIS_THRESHOLDS)['redis.memory']!;
    const profile = Profile.parse({ version: 1, name: 's', environments: [{ name: 'prod', kind: 'production' }] });
    const check = evaluateDefinition(redisMemory, { redis: sample }, profile.expectations, {});
    expect({ cli: toneOf(cli.status), watcher: watcher.tone, page: toneFor({ 'redis.memory': watcher }, 'redis.memory'), check: toneOf(check.status) }).toEqual({ cli: 'warn', watcher: 'warn', page: 'warn', check: 'warn' });
    // …and the severity is the catalogue's in every face.
    expect(cli.severity).toBe(redisMemory.severity);
    expect(redisChecks(sample).find((c) => c.id === 'redis.hit-rate')!.severity).toBe('medium');
  });

  it('at 85 % every face fails', () => {
    const at85 = { ...sample, usedMemoryBytes: 85e6, memoryUtilization: 0.85 };
    const profile = Profile.parse({ version: 1, name: 's', environments: [{ name: 'prod', kind: 'production' }] });
    expect([redisChecks(at85).find((c) => c.id === 'redis.memory')!.status, judgeRedis(at85, DEFAULT_REDIS_THRESHOLDS)['redis.memory']!.status, evaluateDefinition(redisMemory, { redis: at85 }, profile.expectations, {}).status]).toEqual(['fail', 'fail', 'fail']);
  });
});

describe('the faces agree on the passive HTTP checks of one API (the catalogue names them, not http.ts)', () => {
  const HTTP_IDS = ['health.basic', 'health.live', 'health.ready', 'health.ready-consistent', 'request-id.generated', 'request-id.echoed', 'cors.allowlist', 'webhook.signature', 'errors.no-leak', 'security.headers', 'tls.expiry'];
  const named = (r: Pick<CheckResult, 'id' | 'title' | 'category' | 'severity' | 'fix'>) => ({ id: r.id, title: r.title, category: r.category, severity: r.severity, fix: r.fix });
  const byIds = (rs: CheckResult[]) => Object.fromEntries(rs.filter((r) => HTTP_IDS.includes(r.id)).map((r) => [r.id, named(r)]));
  let api: SampleApi;
  let urls: { api: string; db: string; redis: string };
  beforeAll(async () => {
    const db = (await freshDatabase('faceshttp')).url;
    api = await startSampleApi({ pgUrl: db, redisUrl: sharedRedis().url });
    urls = { api: api.url, db, redis: sharedRedis().url };
  });
  afterAll(async () => {
    await api?.close();
  });

  it('preflight http --json, the Endpoints watcher through dispatch and preflight check give each check the same id, title, category, severity and fix: the definition’s', async () => {
    const cli = await runCli(['http', '--base-url', api.url, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const cliResults = (JSON.parse(cli.stdout) as { results: CheckResult[] }).results;

    const engine = createEngine({ transport: 'http', version: 'test' });
    let watcherResults: CheckResult[];
    try {
      const target = unwrap(await dispatchCall(engine.handlers, 'http.watch', { baseUrl: api.url, intervalMs: 2000, expectations: {} })) as CallOutput<'http.watch'>;
      const view = await waitFor(
        async () => {
          const v = unwrap(await dispatchCall(engine.handlers, 'http.endpoints', { targetId: target.targetId })) as CallOutput<'http.endpoints'>;
          return v.lastRun ? v : null;
        },
        { timeoutMs: 30_000, what: 'a watcher run' },
      );
      watcherResults = view.lastRun!.results;
    } finally {
      await engine.close();
    }

    const report = await runOn(wiredProfile(), urls, { only: HTTP_IDS });
    const check = Object.values(byId(report));

    const catalogue = Object.fromEntries(CHECKS.filter((c) => HTTP_IDS.includes(c.id)).map((c) => [c.id, named(c)]));
    expect(Object.keys(catalogue).sort()).toEqual([...HTTP_IDS].sort());
    expect(byIds(cliResults)).toEqual(catalogue);
    expect(byIds(watcherResults)).toEqual(catalogue);
    expect(byIds(check)).toEqual(catalogue);
    // …and the one situation every face judged (the health endpoints answer as documented) passes in each.
    const health = (rs: CheckResult[]) => rs.find((r) => r.id === 'health.basic')!.status;
    expect({ cli: health(cliResults), watcher: health(watcherResults), check: health(check) }).toEqual({ cli: 'pass', watcher: 'pass', check: 'pass' });
  });

  it('with a profile, preflight http names the profile’s own fix for a check, as preflight check does', async () => {
    const file = wiredProfile();
    appendFileSync(file, 'fixes:\n  - { id: health-path, title: The deploy platform polls /health (its health check path), category: infrastructure, severity: high, verifiedBy: [health.basic] }\n');
    const env = { T_API_URL: urls.api, T_DB_URL: urls.db, T_REDIS_URL: urls.redis };
    const cli = await runCli(['http', '--profile', file, '--env', 'local', '--json'], { env });
    expect(cli.code === 0 || cli.code === 1, cli.stderr).toBe(true);
    const cliBasic = (JSON.parse(cli.stdout) as { results: CheckResult[] }).results.find((r) => r.id === 'health.basic')!;
    const checkBasic = byId(await runOn(file, urls, { only: ['health.basic'] }))['health.basic']!;
    expect({ cli: cliBasic.fix, check: checkBasic.fix }).toEqual({ cli: 'The deploy platform polls /health (its health check path)', check: 'The deploy platform polls /health (its health check path)' });
    // A check without a profile record keeps the definition's generic fix.
    const live = CHECKS.find((c) => c.id === 'health.live')!;
    expect((JSON.parse(cli.stdout) as { results: CheckResult[] }).results.find((r) => r.id === 'health.live')!.fix).toBe(live.fix);
  });
});
