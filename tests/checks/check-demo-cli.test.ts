/**
 * `preflight check` on the shipped profiles/demo.yaml against the good demo stack (its own
 * throw-away Postgres and Redis, as `npx preflight demo` starts it): every check has evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo/api/server';
import { applyDemoMigrations, startCacheTraffic, type CacheTraffic } from '../../demo/demo-database';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { PROJECT_ROOT, runCli } from '../harness/cli';
import { tempDir } from './fixtures';

const ACTIVE = new Set(['ratelimit.list-insights', 'ratelimit.xff-bypass', 'sse.connection-hold']);
const PROFILE = `${PROJECT_ROOT}/profiles/demo.yaml`;

let stack: DemoStack;
let cache: CacheTraffic;
let env: NodeJS.ProcessEnv;
const extraApis: SampleApi[] = [];

interface Report {
  score: number;
  verdict: string;
  results: { id: string; status: string; summary: string }[];
}

beforeAll(async () => {
  stack = await startDemoStack();
  await applyDemoMigrations(stack.postgres.url);
  cache = await startCacheTraffic(stack.redis.url);
  env = { PREFLIGHT_DATA_DIR: tempDir('pf-data-'), DEMO_API_URL: stack.api.url, DEMO_DATABASE_URL: stack.postgres.url, DEMO_REDIS_URL: stack.redis.url };
  // secrets.rotated compares with the fingerprints taken when the walkthrough starts.
  const started = await runCli(['checklist', 'start', '--profile', PROFILE, '--env', 'local'], { env });
  expect(started.code, started.stderr).toBe(0);
}, 90_000);

afterAll(async () => {
  await cache?.stop();
  await Promise.all(extraApis.map((a) => a.close()));
  await stack?.stop();
});

describe('preflight check --profile profiles/demo.yaml (the good demo stack)', () => {
  it('--json: a numeric score and every catalogue id with evidence; only the active ones skipped', async () => {
    const res = await runCli(['check', '--profile', PROFILE, '--env', 'local', '--json'], { env });
    const doc = JSON.parse(res.stdout) as Report;
    expect(typeof doc.score).toBe('number');
    // The demo API is plain http in a dev environment: tls.expiry does not apply and is left out.
    expect(doc.results.map((r) => r.id).sort()).toEqual([...CHECK_IDS].filter((id) => id !== 'tls.expiry').sort());
    const notPassing = doc.results.filter((r) => r.status !== 'pass' && !ACTIVE.has(r.id));
    // Secrets cannot have been rotated since the walkthrough started a moment ago.
    expect(notPassing.map((r) => [r.id, r.status]), JSON.stringify(notPassing)).toEqual([['secrets.rotated', 'fail']]);
    for (const r of doc.results.filter((x) => ACTIVE.has(x.id))) {
      expect(r.status).toBe('skipped');
      expect(r.summary).toContain('--allow-active');
    }
    expect(doc.verdict).toBe('not_ready');
    expect(res.code).toBe(1);
  }, 30_000);

  it('--allow-active runs the rate-limit probe (on a private API instance, so the limiter is fresh)', async () => {
    const fresh = await startSampleApi({ pgUrl: stack.postgres.url, redisUrl: stack.redis.url, port: 0 });
    extraApis.push(fresh);
    const res = await runCli(['check', '--profile', PROFILE, '--env', 'local', '--only', 'ratelimit.list-insights,ratelimit.xff-bypass', '--allow-active', '--json'], { env: { ...env, DEMO_API_URL: fresh.url } });
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout) as Report;
    expect(doc.results.map((r) => [r.id, r.status])).toEqual([
      ['ratelimit.list-insights', 'pass'],
      ['ratelimit.xff-bypass', 'pass'],
    ]);
    expect(doc.results[0]!.summary).toContain('first 429 at request 101');
    expect(res.code).toBe(0);
  }, 30_000);

  it('`preflight http --profile --env` takes targets and expectations from the profile', async () => {
    const res = await runCli(['http', '--profile', PROFILE, '--env', 'local', '--json'], { env });
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout) as { baseUrl: string; results: { id: string; status: string; summary: string }[] };
    expect(new URL(doc.baseUrl).origin).toBe(new URL(stack.api.url).origin);
    const by = Object.fromEntries(doc.results.map((r) => [r.id, r]));
    // Cross-checked against the profile's own Postgres and Redis; the 500 comes from the profile's test-error path.
    expect(by['health.ready-consistent']!.summary).toContain('database up, redis up');
    expect(by['errors.no-leak']!.summary).toContain('500');
    expect(by['cors.allowlist']!.status).toBe('pass');
    expect(res.code).toBe(0);
    const usage = await runCli(['http'], { env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--profile');
  }, 30_000);
});
