/**
 * bench/cli-start: wall time of starting the CLI, next to a bare `node -e 0` in the same run.
 * `preflight --version`, `preflight --help` and `preflight pg activity --json` against a
 * throw-away local Postgres. Goal (issue 12): --version within 2x bare node, pg activity within 3x.
 * Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../demo/ephemeral/postgres';
import { machineLoad, percentileOf, summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bin = join(import.meta.dirname, '..', 'bin', 'preflight.mjs');
// The CLI must not touch the real data folder while measured.
const home = mkdtempSync(join(tmpdir(), 'pf-bench-cli-'));
const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), PREFLIGHT_DATA_DIR: join(home, 'data') };

function time(args: string[], okCodes: number[]): number[] {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    ms.push(performance.now() - started);
    if (!okCodes.includes(r.status ?? -1)) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr.slice(0, 500)}`);
  }
  return ms;
}

const cluster = await startPostgres();
try {
  console.log(`bench/cli-start — ${RUNS} runs each, wall time per process start to exit; ${machineLoad()}`);
  const rows: [string, number[]][] = [
    ['node -e 0', time(['-e', '0'], [0])],
    ['preflight --version', time([bin, '--version'], [0])],
    ['preflight --help', time([bin, '--help'], [0])],
    // 0 healthy, 1 a budget check failed: both are a full run; 2/3 would mean it did not run.
    ['preflight pg activity --json', time([bin, 'pg', 'activity', '--url', cluster.url, '--json'], [0, 1])],
  ];
  const base = percentileOf(rows[0]![1], 50);
  for (const [name, ms] of rows) {
    console.log(`${name.padEnd(30)} ${summary(ms, 'ms', 0)}  median ${(percentileOf(ms, 50) / base).toFixed(1)}x node -e 0`);
  }
} finally {
  await cluster.destroy();
  rmSync(home, { recursive: true, force: true });
}
