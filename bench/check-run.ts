/**
 * bench/check-run: wall time of a passive readiness run of profiles/demo.yaml against the
 * sample stack (throw-away Postgres + Redis + the sample API, demo migrations applied, cache
 * traffic running) and the demo's static fixtures, p50 of ≥ 10 runs, split per probe; plus
 * the end-to-end `preflight check` CLI (process start included). Budget (DESIGN.md §5): < 2 s.
 * The Redis probe waits its sampling window (expectations.redis.windowSeconds, 1 s in the demo
 * profile) between its two INFO samples; that wait is part of the run's wall time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_IDS } from '../electron/core/checks/catalogue';
import { applyDemoMigrations, startCacheTraffic } from '../demo/demo-database';
import { startDemoStack } from '../demo/stack';
import { runChecks } from '../electron/core/engine/run-checks';
import { loadProfile } from '../electron/core/profile/load';
import { ChecksStore } from '../electron/core/store/checks-store';
import { machineLoad, percentileOf } from './stats';

const RUNS = Number(process.env.RUNS ?? 15);
const CLI_RUNS = Number(process.env.CLI_RUNS ?? 10);
const p50 = (xs: number[]) => percentileOf(xs, 50);
const p90 = (xs: number[]) => percentileOf(xs, 90);

const dataDir = mkdtempSync(join(tmpdir(), 'pf-bench-'));
process.env.PREFLIGHT_DATA_DIR = dataDir;
const stack = await startDemoStack();
await applyDemoMigrations(stack.postgres.url);
const cache = await startCacheTraffic(stack.redis.url);
const env = { ...process.env, DEMO_API_URL: stack.api.url, DEMO_DATABASE_URL: stack.postgres.url, DEMO_REDIS_URL: stack.redis.url, PREFLIGHT_DATA_DIR: dataDir };
// The sample API runs in this process: the CLI must run asynchronously or it would starve it.
const run = promisify(execFile);
try {
  const loaded = loadProfile('profiles/demo.yaml', { env, knownCheckIds: CHECK_IDS });
  const store = new ChecksStore();
  const total: number[] = [];
  const perProbe = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  await runChecks({ loaded, environment: 'local', store, env }); // warm-up: module and connection code paths
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const report = await runChecks({ loaded, environment: 'local', store, env });
    total.push(performance.now() - t0);
    for (const p of report.probes) if (p.durationMs !== null) perProbe.set(p.name, [...(perProbe.get(p.name) ?? []), p.durationMs]);
    for (const r of report.results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  }
  store.close();

  const cli: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const t0 = performance.now();
    try {
      await run(process.execPath, ['bin/preflight.mjs', 'check', '--profile', 'profiles/demo.yaml', '--env', 'local', '--json'], { env });
    } catch {
      /* exit 1 is possible: secrets.rotated is unknown without a walkthrough */
    }
    cli.push(performance.now() - t0);
  }

  // Process start alone (node + tsx + module loading), measured the same way, for the split.
  const startOnly: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const t0 = performance.now();
    await run(process.execPath, ['bin/preflight.mjs', 'check', '--list', '--json'], { env });
    startOnly.push(performance.now() - t0);
  }

  console.log(`check-run bench — ${new Date().toISOString()} — ${machineLoad()}; other helpers may be running`);
  const windowMs = (loaded.profile.expectations.redis?.windowSeconds ?? 1) * 1000;
  console.log(`in-process passive run (demo profile, sample stack, ${RUNS} runs): p50 ${p50(total).toFixed(1)} ms, p90 ${p90(total).toFixed(1)} ms`);
  console.log(`  check statuses over all runs: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log('  per probe (they run in parallel; the run is bounded by the slowest):');
  for (const [name, xs] of [...perProbe].sort((a, b) => p50(b[1]) - p50(a[1]))) {
    const note = name === 'redis' ? `   (includes the ${windowMs} ms sampling window; round trips ≈ ${(p50(xs) - windowMs).toFixed(1)} ms)` : '';
    console.log(`  probe ${name.padEnd(16)} p50 ${p50(xs).toFixed(1).padStart(7)} ms   p90 ${p90(xs).toFixed(1).padStart(7)} ms${note}`);
  }
  console.log(`CLI \`preflight check --json\` wall time incl. node + tsx start (${CLI_RUNS} runs): p50 ${p50(cli).toFixed(0)} ms, p90 ${p90(cli).toFixed(0)} ms`);
  console.log(`  of which process start (\`preflight check --list --json\`, same ${CLI_RUNS} runs): p50 ${p50(startOnly).toFixed(0)} ms; the run itself ≈ ${(p50(cli) - p50(startOnly)).toFixed(0)} ms`);
  console.log(`budget 2000 ms: in-process p50 is ${(p50(total) / 2000 * 100).toFixed(1)} % of budget; CLI p50 is ${(p50(cli) / 2000 * 100).toFixed(1)} % of budget`);
} finally {
  await cache.stop();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
