/**
 * bench/pg-sample: cost of one Postgres activity sample with 500 client sessions connected,
 * next to the naive baseline (SELECT * FROM pg_stat_activity, counted in JS), in one run.
 * Budget (DESIGN.md §5): 1 connection, 1 round trip, < 2 ms p50 server time.
 */
import pg from 'pg';
import { startPostgres } from '../demo/ephemeral/postgres';
import { ProbeClient, sampleActivity } from '../electron/core/probes/postgres';
import { machineLoad, percentileOf, summary } from './stats';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 500);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);

const cluster = await startPostgres({ maxConnections: SESSIONS + 20 });
const clients: pg.Client[] = [];
try {
  console.log(`bench/pg-sample — ${SESSIONS} client sessions, ${SAMPLES} samples each way; ${machineLoad()}`);
  for (let i = 0; i < SESSIONS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, SESSIONS - i) }, async (_, j) => {
        const c = new pg.Client({ connectionString: cluster.url, application_name: `app-${(i + j) % 7}` });
        await c.connect();
        return c;
      }),
    );
    clients.push(...batch);
  }
  // A realistic mix: some sessions idle in transaction, some running a query.
  for (const c of clients.slice(0, 20)) {
    await c.query('BEGIN');
    await c.query('SELECT 1');
  }
  const running = clients.slice(20, 30).map((c) => c.query('SELECT pg_sleep(600)').catch(() => undefined));

  const probe = new ProbeClient(cluster.url);
  const warm = await sampleActivity(probe);
  if (warm.total !== SESSIONS) throw new Error(`expected ${SESSIONS} sessions, sample says ${warm.total}`);

  const oursServer: number[] = [];
  const oursRoundTrip: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const s = await sampleActivity(probe);
    oursServer.push(s.serverMs);
    oursRoundTrip.push(s.sampleMs);
  }
  const observer = new pg.Client({ connectionString: cluster.url, application_name: 'bench-observer' });
  await observer.connect();
  const probeConnections = Number((await observer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'preflight'")).rows[0].n);

  // Baseline: every row shipped to the client and aggregated in JS, over its own single connection.
  const naive = new pg.Client({ connectionString: cluster.url, application_name: 'bench-naive' });
  await naive.connect();
  const naiveServer: number[] = [];
  const naiveRoundTrip: number[] = [];
  let naiveBytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const res = await naive.query(
      'SELECT *, extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000 AS server_ms FROM pg_stat_activity',
    );
    const byState = new Map<string, number>();
    const byApp = new Map<string, number>();
    for (const row of res.rows) {
      byState.set(row.state, (byState.get(row.state) ?? 0) + 1);
      byApp.set(row.application_name, (byApp.get(row.application_name) ?? 0) + 1);
    }
    naiveRoundTrip.push(performance.now() - started);
    naiveServer.push(Math.max(...res.rows.map((r) => Number(r.server_ms))));
    if (i === 0) naiveBytes = Buffer.byteLength(JSON.stringify(res.rows));
  }
  const oursBytes = Buffer.byteLength(JSON.stringify(warm));

  console.log(`preflight sample   server ${summary(oursServer, 'ms')}`);
  console.log(`                   round trip ${summary(oursRoundTrip, 'ms')}  ~${oursBytes} bytes/sample`);
  console.log(`naive SELECT *     server ${summary(naiveServer, 'ms')} (to the last row produced)`);
  console.log(`                   round trip + JS count ${summary(naiveRoundTrip, 'ms')}  ~${naiveBytes} bytes/sample`);
  console.log(`ratio (naive / preflight, p50 round trip): ${(percentileOf(naiveRoundTrip, 50) / percentileOf(oursRoundTrip, 50)).toFixed(2)}x`);
  console.log(`connections used by the probe: ${probeConnections} (must be 1)`);
  console.log(`budget: p50 server time < 2 ms → ${percentileOf(oursServer, 50) < 2 ? 'MET' : 'MISSED'} (${percentileOf(oursServer, 50).toFixed(3)} ms)`);
  await Promise.all([probe.close(), observer.end(), naive.end()]);
  void running;
} finally {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await cluster.destroy();
}
