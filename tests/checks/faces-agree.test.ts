/**
 * The faces agree: one situation gives one tone in the CLI (`pg activity`, `redis`), the API
 * (the watcher's ticks through the contract's dispatch), the page's data (the tile colour the
 * renderer takes from a tick) and `preflight check`. The thresholds are the catalogue
 * definitions' own; no face decides a colour from its own numbers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/api/engine';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { evaluateDefinition } from '../../electron/core/checks/define';
import { judgeRedis, toneOf } from '../../electron/core/checks/judge';
import { DEFAULT_REDIS_THRESHOLDS, redisChecks } from '../../electron/core/checks/redis';
import redisMemory from '../../electron/core/checks/redis/memory';
import { runChecks } from '../../electron/core/engine/run-checks';
import { loadProfile } from '../../electron/core/profile/load';
import { Profile } from '../../electron/core/profile/schema';
import { toneFor } from '../../renderer/src/components/judged';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { PgTick } from '../../shared/schemas/postgres';
import { RedisSample } from '../../shared/schemas/redis';
import { runCli } from '../harness/cli';
import { closeAll, freshDatabase, openSessions, waitFor } from '../harness';
import { profileYaml } from './fixtures';
import type pg from 'pg';

const ID = 'pg.idle-in-transaction';

describe('the faces agree on a session idle in a transaction for 6 s (warn at 5 s, fail at 30 s)', () => {
  let db: { name: string; url: string };
  let held: pg.Client[] = [];
  beforeAll(async () => {
    db = await freshDatabase('faces');
    held = await openSessions(db.url, 1, 'faces-app');
    await held[0]!.query('BEGIN');
    await held[0]!.query('SELECT 1');
  });
  afterAll(async () => {
    await closeAll(held);
  });

  it('CLI, dispatch, page data and check all say warn', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    try {
      const target = unwrap(await dispatchCall(engine.handlers, 'pg.watch', { url: db.url, intervalMs: 1000 })) as { targetId: string };
      // Wait until a tick sees the session idle for at least 6 s (past the check's 5 s warning line, below the old page's 10 s).
      const tick = await waitFor(
        async () => {
          const history = unwrap(await dispatchCall(engine.handlers, 'pg.history', { targetId: target.targetId, limit: 5 })) as PgTick[];
          const last = history.filter((t) => t.sample).at(-1);
          return last && (last.sample!.longestIdleInTransactionSeconds ?? 0) >= 6 ? last : null;
        },
        { timeoutMs: 30_000, what: 'a tick with a 6 s idle transaction' },
      );
      const dir = mkdtempSync(join(tmpdir(), 'faces-'));
      writeFileSync(join(dir, 'p.yaml'), profileYaml({ expectations: '  postgres: {}' }));
      const [cli, report] = await Promise.all([
        runCli(['pg', 'activity', '--url', db.url, '--json']),
        runChecks({ loaded: loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS }), environment: 'prod', only: [ID], env: { TEST_DATABASE_URL: db.url } }),
      ]);
      expect(cli.code, cli.stderr).toBe(0);
      const cliTone = (JSON.parse(cli.stdout) as { judgements: Record<string, { tone: string }> }).judgements[ID]!.tone;
      const apiTone = tick.judgements![ID]!.tone;
      const pageTone = toneFor(tick.judgements, ID);
      const checkTone = toneOf(report.results[0]!.status);
      expect({ cli: cliTone, api: apiTone, page: pageTone, check: checkTone }).toEqual({ cli: 'warn', api: 'warn', page: 'warn', check: 'warn' });
    } finally {
      await engine.close();
    }
  });
});

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
