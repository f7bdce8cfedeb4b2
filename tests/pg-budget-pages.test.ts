/**
 * The UI's pages and a check run in one process stay within the per-database budget
 * (issue 10 §1 test c): the Postgres page (watch + sessions), the Indexes page (watch +
 * refresh), the Migrations page (status) and a check run, all at once, never hold more than
 * two backends on the database — counted from a separate superuser session while they run.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../demo/api/server';
import { DEMO_MIGRATIONS_DIR } from '../demo/demo-database';
import { createEngine, type Engine } from '../electron/core/api/engine';
import type { CallOutput } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import type { ReadinessReport } from '../shared/schemas/readiness';
import { useTempDataDir } from './active/helpers';
import { tempDir } from './checks/fixtures';
import { wiredProfile } from './checks/wired-stack';
import { freshDatabase, sharedPostgres, sharedRedis } from './harness';

useTempDataDir();
const app = `budget-pages-${Date.now().toString(36)}`;
const saved = { ...process.env };
let db: { name: string; url: string };
let api: SampleApi;
let engine: Engine;
let observer: pg.Client;

beforeAll(async () => {
  db = await freshDatabase('budget_pages');
  api = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, port: 0, applicationName: app, ssePollMs: 200 });
  const dir = tempDir('pf-budget-profiles-');
  mkdirSync(dir, { recursive: true });
  copyFileSync(wiredProfile({ applicationName: app }), join(dir, 'wired-budget.yaml'));
  Object.assign(process.env, { PREFLIGHT_PROFILES_DIR: dir, T_API_URL: api.url, T_DB_URL: db.url, T_REDIS_URL: sharedRedis().url });
  engine = createEngine({ transport: 'http', version: 'test' });
  observer = new pg.Client({ connectionString: sharedPostgres().url, application_name: 'budget-observer' });
  await observer.connect();
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await api?.close();
  await observer?.end();
  for (const k of ['PREFLIGHT_PROFILES_DIR', 'T_API_URL', 'T_DB_URL', 'T_REDIS_URL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** Backends on the database that are not the sample API's own pool. */
async function preflightBackends(): Promise<number> {
  const r = await observer.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND application_name IS DISTINCT FROM $2",
    [db.name, app],
  );
  return Number(r.rows[0]!.n);
}

describe('pages and a check run share the budget', () => {
  it('Postgres, Indexes and Migrations pages plus a concurrent check run hold at most 2 backends', async () => {
    let peak = 0;
    const seen: number[] = [];
    let done = false;
    const counting = (async () => {
      while (!done) {
        const n = await preflightBackends();
        seen.push(n);
        peak = Math.max(peak, n);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const call = async <T>(name: Parameters<typeof dispatchCall>[1], input: unknown) => unwrap(await dispatchCall(engine.handlers, name, input)) as T;
    try {
      const [pgTarget, indexTarget, migrationTarget] = await Promise.all([
        call<CallOutput<'pg.watch'>>('pg.watch', { url: db.url, intervalMs: 1000 }),
        call<CallOutput<'indexes.watch'>>('indexes.watch', { url: `${db.url}?page=indexes`, expectYaml: '- table: insights\n  columns: [created_at]\n', intervalMs: 60_000 }),
        call<CallOutput<'migrations.open'>>('migrations.open', { url: db.url.replace('127.0.0.1', 'localhost'), dir: DEMO_MIGRATIONS_DIR }),
      ]);
      const pages = (async () => {
        for (let i = 0; i < 6; i++) {
          await Promise.all([
            call('pg.sessions', { targetId: pgTarget.targetId }),
            call('indexes.refresh', { targetId: indexTarget.targetId }),
            call('migrations.status', { targetId: migrationTarget.targetId }),
          ]);
        }
      })();
      const check = call<ReadinessReport>('checks.run', { profile: 'wired-budget', environment: 'local' });
      const [, report] = await Promise.all([pages, check]);
      // The run did reach the database: its Postgres checks have a verdict, not an error.
      const pgResults = report.results.filter((r) => r.id === 'pg.pool-utilization' || r.id === 'pg.indexes');
      expect(pgResults.map((r) => r.status)).not.toContain('error');
      expect(pgResults).toHaveLength(2);
    } finally {
      done = true;
      await counting;
    }
    expect(seen.length).toBeGreaterThan(10);
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
  }, 120_000);
});
