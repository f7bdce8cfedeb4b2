/**
 * bench/migrate: apply migrations/0001 on the 200k-row StartInsight-like schema while a writer
 * inserts rows the whole time, beside plain `psql -f` of the same statements (the ones the
 * runner runs; psql would fail on insights.source), in one run on one private cluster.
 * Reports wall time and the writer's throughput and worst insert latency during each build.
 * A second scenario (`busy`) repeats runner vs psql with BENCH_WRITERS (8) connections writing
 * in short overlapping transactions and reports their throughput and longest stall.
 * BENCH_SCENARIO=single|busy picks one.
 * Target: runner overhead within 10 % of psql; writer never blocked longer than the lock timeout.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createStartInsightSchema } from '../demo/startinsight-schema';
import { startPostgres } from '../demo/ephemeral/postgres';
import { applyMigrations, loadMigrations, type MigrationFile } from '../electron/core/migrations';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../electron/core/migrations/plan';
import { machineLoad, percentileOf } from './stats';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const ROOT = join(import.meta.dirname, '..');
// `single`: one connection inserting row by row (the original scenario); `busy`: BENCH_WRITERS
// connections in short overlapping transactions, so the table is never free of writers.
const SCENARIOS = (process.env.BENCH_SCENARIO ?? 'single,busy').split(',').map((x) => x.trim());
const BUSY_CONNECTIONS = Number(process.env.BENCH_WRITERS ?? 8);
const BUSY_ROUNDS = Number(process.env.BENCH_BUSY_ROUNDS ?? 3);
const median = (xs: number[]) => percentileOf(xs, 50);

interface WriterFigures {
  /** Rows committed. */
  inserts: number;
  perSecond: number;
  transactions: number;
  /** The slowest single insert (one connection) or transaction (several): the longest a writer was held up. */
  maxLatencyMs: number;
  /** The longest time no connection committed anything: a stall of the whole table's writes. */
  maxGapMs: number;
  errors: number;
}

// The writer runs in its own Node process, like the application it stands for, so it never
// shares an event loop with the in-process runner. With one connection it inserts one row per
// autocommit statement; with several, each runs short transactions back to back (insert, a few
// ms of application work, insert, commit), so they overlap and some session always holds a
// write lock on the table — StartInsight's insight_interactions under load.
const WRITER_SOURCE = `
import pg from 'pg';
const [url, connections] = [process.argv[1], Number(process.argv[2])];
const clients = await Promise.all(Array.from({ length: connections }, async () => {
  const c = new pg.Client({ connectionString: url, application_name: 'bench-writer' });
  await c.connect();
  return c;
}));
const INSERT = "INSERT INTO insight_interactions (user_id, insight_id, interaction_type) VALUES (1 + floor(random() * 5000)::int, 1 + floor(random() * 2000)::int, 'view')";
let stopping = false, inserts = 0, transactions = 0, errors = 0, maxLatencyMs = 0, maxGapMs = 0;
process.stdin.on('end', () => { stopping = true; });
process.stdin.resume();
process.stdout.write('ready\\n');
const started = performance.now();
let lastCommit = started;
const committed = (rows) => {
  const now = performance.now();
  maxGapMs = Math.max(maxGapMs, now - lastCommit);
  lastCommit = now;
  inserts += rows;
  transactions++;
};
await Promise.all(clients.map(async (c) => {
  while (!stopping) {
    const t = performance.now();
    try {
      if (connections === 1) {
        await c.query(INSERT);
        committed(1);
      } else {
        await c.query('BEGIN');
        await c.query(INSERT);
        await c.query('SELECT pg_sleep(0.005 + random() * 0.02)');
        await c.query(INSERT);
        await c.query('COMMIT');
        committed(2);
      }
    } catch {
      errors++;
      await c.query('ROLLBACK').catch(() => undefined);
    }
    maxLatencyMs = Math.max(maxLatencyMs, performance.now() - t);
  }
}));
const elapsed = performance.now() - started;
await Promise.all(clients.map((c) => c.end()));
process.stdout.write(JSON.stringify({ inserts, perSecond: inserts / (elapsed / 1000), transactions, maxLatencyMs, maxGapMs, errors }) + '\\n');
`;

/** Writes until stopped on `connections` connections; the rate divides by the real elapsed time. */
async function startWriter(url: string, connections = 1): Promise<{ stop: () => Promise<WriterFigures> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER_SOURCE, url, String(connections)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (out.includes('ready') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  return {
    async stop() {
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await done;
      return JSON.parse(out.trim().split('\n').at(-1)!) as WriterFigures;
    },
  };
}

async function reset(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'idx_%'`);
  for (const { name } of r.rows) await c.query(`DROP INDEX "${name}"`);
  await c.query('DROP SCHEMA IF EXISTS preflight CASCADE');
  await c.query('CHECKPOINT');
  await c.end();
}

const describeWriter = (w: WriterFigures) =>
  `${w.perSecond.toFixed(0)} rows/s, worst transaction ${w.maxLatencyMs.toFixed(1)} ms, longest gap with no commit ${w.maxGapMs.toFixed(1)} ms, errors ${w.errors}`;

/**
 * The same build while BENCH_WRITERS connections write insight_interactions in short overlapping
 * transactions: the runner must not wait for a moment with no writer (there is none), only for
 * the transactions open when each build starts, as Postgres itself does for psql.
 */
async function busyScenario(url: string, files: MigrationFile[], sqlFile: string): Promise<void> {
  console.log(`\nbusy writer: ${BUSY_CONNECTIONS} connections, each BEGIN; INSERT; 5–25 ms of work; INSERT; COMMIT back to back — ${BUSY_ROUNDS} rounds each way, alternating`);
  const baseline = await startWriter(url, BUSY_CONNECTIONS);
  await new Promise((r) => setTimeout(r, 2000));
  const idle = await baseline.stop();
  console.log(`busy writer with no build: ${describeWriter(idle)} (2 s window)`);
  const figures: Record<'runner' | 'psql', { wallMs: number; writer: WriterFigures; retries: number; waits: number; maxWaitMs: number }[]> = { runner: [], psql: [] };
  for (let round = 0; round < BUSY_ROUNDS; round++) {
    for (const way of round % 2 ? (['runner', 'psql'] as const) : (['psql', 'runner'] as const)) {
      await reset(url);
      const writer = await startWriter(url, BUSY_CONNECTIONS);
      await new Promise((r) => setTimeout(r, 200));
      const waits: number[] = [];
      let retries = 0;
      const t = performance.now();
      if (way === 'psql') await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', sqlFile, url]);
      else {
        const r = await applyMigrations(url, files, { onEvent: (e) => (e.kind === 'wait' ? waits.push(e.durationMs ?? 0) : undefined) });
        if (r.outcome !== 'succeeded') {
          await writer.stop();
          throw new Error(`runner under the busy writer: ${r.error}`);
        }
        retries = r.files.reduce((n, f) => n + f.retries, 0);
      }
      const wallMs = performance.now() - t;
      figures[way].push({ wallMs, writer: await writer.stop(), retries, waits: waits.length, maxWaitMs: Math.max(0, ...waits) });
    }
  }
  const line = (way: 'runner' | 'psql', label: string) => {
    const f = figures[way];
    const w = median(f.map((x) => x.wallMs));
    const perSecond = median(f.map((x) => x.writer.perSecond));
    console.log(
      `${label.padEnd(34)} wall p50 ${(w / 1000).toFixed(2)} s (runs ${f.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} s); writer ${perSecond.toFixed(0)} rows/s p50 (${((perSecond / idle.perSecond) * 100).toFixed(0)} % of idle), ` +
        `worst transaction ${Math.max(...f.map((x) => x.writer.maxLatencyMs)).toFixed(1)} ms, longest gap with no commit ${Math.max(...f.map((x) => x.writer.maxGapMs)).toFixed(1)} ms, errors ${f.reduce((n, x) => n + x.writer.errors, 0)}`,
    );
    return w;
  };
  const p = line('psql', 'psql -f (equivalent SQL)');
  const r = line('runner', 'preflight runner (in process)');
  const rf = figures.runner;
  console.log(
    `runner waited for open writer transactions before ${rf.reduce((n, x) => n + x.waits, 0)} builds (longest wait ${Math.max(...rf.map((x) => x.maxWaitMs))} ms), lock-timeout retries ${rf.reduce((n, x) => n + x.retries, 0)}; ratio runner / psql ${(r / p).toFixed(3)}`,
  );
  const worst = Math.max(...Object.values(figures).flat().map((x) => x.writer.maxLatencyMs));
  console.log(`busy writer longest stall (worst transaction) across all runs ${worst.toFixed(1)} ms vs lock timeout ${DEFAULT_LOCK_TIMEOUT_MS} ms: ${worst < DEFAULT_LOCK_TIMEOUT_MS ? 'never blocked longer' : 'BLOCKED LONGER'}`);
}

const cluster = await startPostgres({ maxConnections: 50 });
try {
  console.log(`bench/migrate — ${ROWS} rows in insight_interactions, scenarios ${SCENARIOS.join(', ')}; ${machineLoad()}`);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const url = cluster.urlFor('bench');
  await createStartInsightSchema(url, { interactions: ROWS });
  const files = loadMigrations(join(ROOT, 'migrations'));

  // The same statements the runner runs, for psql.
  const probe = await applyMigrations(url, files);
  const ranSql = files[0]!.statements.filter((s) => !probe.files[0]!.skipped.some((k) => k.index === s.index)).map((s) => `${s.sql};`).join('\n');
  const sqlFile = join(mkdtempSync(join(tmpdir(), 'bench-migrate-')), 'equivalent.sql');
  writeFileSync(sqlFile, `SET lock_timeout = '5s';\n${ranSql}\n`);
  console.log(`psql runs ${ranSql.split('\n').length} statements (the runner skipped ${probe.files[0]!.skipped.length}: ${probe.files[0]!.skipped.map((s) => s.reason).join('; ')})`);

  if (SCENARIOS.includes('single')) {
    const baselineWriter = await startWriter(url);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await baselineWriter.stop();
    console.log(`writer with no build: ${idle.perSecond.toFixed(0)} inserts/s, worst insert ${idle.maxLatencyMs.toFixed(1)} ms (2 s window)`);

    const figures: Record<'runner' | 'cli' | 'psql', { wallMs: number; writer: WriterFigures }[]> = { runner: [], cli: [], psql: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round so neither way always runs on a warmer cache.
      const order = (['psql', 'runner', 'cli'] as const).map((_, i, all) => all[(i + round) % all.length]!);
      for (const way of order) {
        await reset(url);
        const writer = await startWriter(url);
        await new Promise((r) => setTimeout(r, 200));
        const t = performance.now();
        if (way === 'psql') await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', sqlFile, url]);
        else if (way === 'runner') {
          const r = await applyMigrations(url, files);
          if (r.outcome !== 'succeeded') throw new Error(`runner: ${r.error}`);
        } else await run(process.execPath, [join(ROOT, 'bin', 'preflight.mjs'), 'migrate', 'apply', '--url', url, '--yes', '--json'], { env: { ...process.env, PREFLIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-data-')) } });
        const wallMs = performance.now() - t;
        figures[way].push({ wallMs, writer: await writer.stop() });
      }
    }
    const line = (way: 'runner' | 'cli' | 'psql', label: string) => {
      const f = figures[way];
      const w = median(f.map((x) => x.wallMs));
      console.log(
        `${label.padEnd(34)} wall p50 ${(w / 1000).toFixed(2)} s (runs ${f.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} s); writer ${median(f.map((x) => x.writer.perSecond)).toFixed(0)} inserts/s p50, worst insert ${Math.max(...f.map((x) => x.writer.maxLatencyMs)).toFixed(1)} ms, errors ${f.reduce((n, x) => n + x.writer.errors, 0)}`,
      );
      return w;
    };
    const p = line('psql', 'psql -f (equivalent SQL)');
    const r = line('runner', 'preflight runner (in process)');
    const c = line('cli', 'npx preflight migrate apply --yes');
    console.log(`ratio runner / psql ${(r / p).toFixed(3)} (overhead ${(((r - p) / p) * 100).toFixed(1)} %); cli / psql ${(c / p).toFixed(3)} (includes Node start-up)`);
    const worst = Math.max(...Object.values(figures).flat().map((x) => x.writer.maxLatencyMs));
    console.log(`writer worst insert across all runs ${worst.toFixed(1)} ms vs lock timeout ${DEFAULT_LOCK_TIMEOUT_MS} ms: ${worst < DEFAULT_LOCK_TIMEOUT_MS ? 'never blocked longer' : 'BLOCKED LONGER'}`);
  }
  if (SCENARIOS.includes('busy')) await busyScenario(url, files, sqlFile);
  console.log(`after: ${machineLoad()}`);
} finally {
  await cluster.destroy();
}
