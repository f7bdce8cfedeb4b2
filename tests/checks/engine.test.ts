import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/api/engine';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { ConfigError, RunCancelledError, runChecks } from '../../electron/core/engine/run-checks';
import { PROBES, type ProbeRunner } from '../../electron/core/probes/registry';
import { loadProfile } from '../../electron/core/profile/load';
import { ChecksStore } from '../../electron/core/store/checks-store';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import { envText, profileYaml, tempDir, writeTree } from './fixtures';

process.env.PREFLIGHT_DATA_DIR = tempDir('pf-data-');

function stack() {
  const dir = tempDir();
  writeFileSync(join(dir, 'backend.env'), envText());
  writeTree(join(dir, 'repo'), { 'frontend/app/a.tsx': 'export const a = 1;\n' });
  writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env', repo: 'repo' }));
  return { dir, loaded: loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS }) };
}

const hanging = (timeoutMs: number): ProbeRunner<'postgres'> => ({ ...PROBES.postgres, timeoutMs, run: () => new Promise(() => undefined) });

describe('the engine', () => {
  it('a probe that hangs is cut at its own timeout; its checks are errors (unknown), the others still pass', async () => {
    const { loaded } = stack();
    const report = await runChecks({ loaded, environment: 'prod', only: ['pg.pool-utilization', 'env.required'], env: { TEST_DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }, probes: { postgres: hanging(150) } });
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId['pg.pool-utilization']).toMatchObject({ status: 'error', summary: 'postgres probe failed: timed out after 150 ms' });
    expect(byId['env.required']!.status).toBe('pass');
    expect(report.probes.find((p) => p.name === 'postgres')).toMatchObject({ status: 'error', detail: 'timed out after 150 ms' });
    expect(report.pointsLost.find((p) => p.id === 'pg.pool-utilization')!.reason).toBe('unknown');
  });

  it('a secret the run needs that cannot be resolved is a config error naming the environment and the reference; an unneeded one is not', async () => {
    const { loaded } = stack();
    const run = runChecks({ loaded, environment: 'prod', only: ['pg.lock-waits'], env: {} });
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/^environment "prod" \(.*p\.yaml\): cannot resolve secret "db": environment variable TEST_DATABASE_URL is not set$/);
    // Only the env file is read for env.required: the Postgres secret is not needed.
    const report = await runChecks({ loaded, environment: 'prod', only: ['env.required'], env: {} });
    expect(report.results[0]!.status).toBe('pass');
  });

  it('runs probes in parallel (each waits for the other to have started)', async () => {
    const { loaded } = stack();
    let startA!: () => void;
    let startB!: () => void;
    const aStarted = new Promise<void>((r) => (startA = r));
    const bStarted = new Promise<void>((r) => (startB = r));
    const report = await runChecks({
      loaded,
      environment: 'prod',
      only: ['env.required', 'repo.no-alert'],
      env: {},
      probes: {
        envFile: { ...PROBES.envFile, timeoutMs: 2000, run: async (ctx) => (startA(), await bStarted, PROBES.envFile.run!(ctx)) },
        repo: { ...PROBES.repo, timeoutMs: 2000, run: async (ctx) => (startB(), await aStarted, PROBES.repo.run!(ctx)) },
      },
    });
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  it('active probes run only with allowActive', async () => {
    const { dir, loaded: base } = stack();
    writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env' }).replace("      postgres: { url: { secret: db } }", "      postgres: { url: { secret: db } }\n      api: { baseUrl: 'http://127.0.0.1:9' }"));
    const loaded = loadProfile(join(dir, 'p.yaml'));
    expect(base.profile.name).toBe(loaded.profile.name);
    let calls = 0;
    const ratelimit: ProbeRunner<'ratelimit'> = { ...PROBES.ratelimit, run: async () => (++calls, {}) };
    const without = await runChecks({ loaded, environment: 'prod', only: ['ratelimit.list-insights'], env: {}, probes: { ratelimit } });
    expect(calls).toBe(0);
    expect(without.probes).toEqual([{ name: 'ratelimit', status: 'skipped', durationMs: null, detail: expect.stringMatching(/--allow-active/) }]);
    expect(without.results[0]!.status).toBe('skipped');
    const withActive = await runChecks({ loaded, environment: 'prod', only: ['ratelimit.list-insights'], env: {}, probes: { ratelimit }, allowActive: true });
    expect(calls).toBe(1);
    expect(withActive.probes[0]!.status).toBe('ok');
  });

  it('a cancelled run aborts its probes at once, rejects and stores nothing', async () => {
    const { loaded } = stack();
    const store = new ChecksStore(join(tempDir(), 's.sqlite'));
    const controller = new AbortController();
    let aborted = false;
    const probe: ProbeRunner<'postgres'> = { ...PROBES.postgres, timeoutMs: 60_000, run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((aborted = true), reject(new Error('aborted'))))) };
    const run = runChecks({ loaded, environment: 'prod', only: ['pg.pool-utilization', 'env.required'], env: { TEST_DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }, store, signal: controller.signal, probes: { postgres: probe }, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(RunCancelledError);
    expect(aborted).toBe(true);
    expect(store.latestRun(loaded.profile.name, 'prod')).toBeNull();
    store.close();
  });

  it('over the contract: profiles are listed (broken ones with their error), runs are stored and come back in a new session', async () => {
    const { dir } = stack();
    writeTree(join(dir, 'profiles'), {
      'good.yaml': profileYaml({ envFile: '../backend.env', repo: '../repo' }),
      'broken.yaml': 'version: 1\nname: b\nenvironments:\n  - name: prod\n    kind: live\n',
    });
    process.env.PREFLIGHT_PROFILES_DIR = join(dir, 'profiles');
    try {
      const engine = createEngine({ transport: 'http', version: 't' });
      const profiles = unwrap(await dispatchCall(engine.handlers, 'checks.profiles', {})) as { profile: string; error: string | null }[];
      expect(profiles.find((p) => p.profile === 'good')!.error).toBeNull();
      expect(profiles.find((p) => p.profile === 'broken')!.error).toMatch(/broken\.yaml:5:11 environments\[0\]\.kind/);
      const ran = unwrap(await dispatchCall(engine.handlers, 'checks.run', { profile: 'good', environment: 'prod', only: ['env.required', 'repo.no-alert'] })) as { score: number; runId: number };
      expect(ran.score).toBe(100);
      expect(await dispatchCall(engine.handlers, 'checks.run', { profile: '../etc/passwd', environment: 'prod' })).toMatchObject({ error: { code: 'bad_input' } });
      expect(await dispatchCall(engine.handlers, 'checks.run', { profile: 'nope', environment: 'prod' })).toMatchObject({ error: { code: 'not_found' } });
      expect(await dispatchCall(engine.handlers, 'checks.run', { profile: 'good', environment: 'qa' })).toMatchObject({ error: { code: 'config_error' } });
      await engine.close();

      const next = createEngine({ transport: 'http', version: 't' });
      const latest = unwrap(await dispatchCall(next.handlers, 'checks.latest', { profile: 'good', environment: 'prod' })) as { runId: number; score: number; verdict: string; results: unknown[] };
      // Only a partial (--only) run exists: it comes back labelled partial, never as a complete verdict.
      expect(latest).toMatchObject({ runId: ran.runId, score: 100, verdict: 'ready', partial: true });
      expect(latest.results).toHaveLength(2);
      await next.close();
    } finally {
      delete process.env.PREFLIGHT_PROFILES_DIR;
    }
  });
});
