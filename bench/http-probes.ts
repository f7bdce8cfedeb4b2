/**
 * bench/http-probes: wall time of one full passive HTTP probe run against the sample stack
 * (throw-away Postgres + Redis + API on loopback), and its requests per second, beside the
 * same requests made one after another with Node's fetch, in the same run.
 * Budget (DESIGN.md §5 / issue 5): the whole passive run < 500 ms on loopback.
 * The sample API runs in this same process, so client and server share one event loop.
 */
import { performance } from 'node:perf_hooks';
import { startDemoStack } from '../demo';
import { HttpProbeClient, plannedRequests, runPassiveProbes } from '../electron/core/probes/http';
import { HttpExpectations } from '../shared/schemas/http';
import { machineLoad, percentileOf, summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BUDGET_MS = 500;
const ORIGINS = ['https://startinsight.app', 'https://www.startinsight.app', 'https://app.startinsight.app'];

const fmt = (values: number[]) => summary(values, 'ms', 1);

// Limits lifted so repeated runs measure the probes, not the API's 429s.
const stack = await startDemoStack({ limits: { list: { name: 'list', limit: 1_000_000, windowMs: 60_000 } } });
try {
  const expectations = HttpExpectations.parse({ allowedOrigins: ORIGINS });
  const base = stack.api.url;
  const direct = { pgUrl: stack.postgres.url, redisUrl: stack.redis.url };
  const requestCount = plannedRequests(expectations, 'x').length;
  console.log(`bench/http-probes — ${requestCount} HTTP requests per run (+ direct Postgres and Redis probes), ${RUNS} runs each way; ${machineLoad()}`);
  await runPassiveProbes(base, { expectations, ...direct }); // warm the API's pool and JIT

  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) cold.push((await runPassiveProbes(base, { expectations, ...direct })).durationMs);

  // The same run without the direct probes: how much of the run is opening Postgres + Redis.
  const httpOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) httpOnly.push((await runPassiveProbes(base, { expectations })).durationMs);

  const client = new HttpProbeClient(base);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push((await runPassiveProbes(base, { expectations, client })).durationMs);
  await client.close();

  // Baseline: the same HTTP requests, one after another, with Node's fetch (keep-alive global agent).
  const sequential: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const requests = plannedRequests(expectations, `preflight-bench-${i}`);
    const started = performance.now();
    for (const r of requests) {
      const res = await fetch(`${base}${r.path}`, { method: r.method ?? 'GET', headers: r.headers, body: r.body, signal: AbortSignal.timeout(r.timeoutMs) });
      await res.arrayBuffer();
    }
    sequential.push(performance.now() - started);
  }

  const rps = (ms: number) => ((requestCount / ms) * 1000).toFixed(0);
  const p50 = (v: number[]) => percentileOf(v, 50);
  console.log(`full passive run, new agent + direct probes   ${fmt(cold)}   → ${rps(p50(cold))} HTTP req/s at p50`);
  console.log(`passive run, new agent, HTTP only              ${fmt(httpOnly)}   → ${rps(p50(httpOnly))} HTTP req/s at p50`);
  console.log(`passive run, reused keep-alive agent (watch)  ${fmt(warm)}   → ${rps(p50(warm))} HTTP req/s at p50`);
  console.log(`same requests sequentially with fetch         ${fmt(sequential)}   → ${rps(p50(sequential))} HTTP req/s at p50`);
  console.log(`ratio sequential fetch / passive run (p50)     ${(p50(sequential) / p50(cold)).toFixed(2)}× (full run)   ${(p50(sequential) / p50(httpOnly)).toFixed(2)}× (new agent, HTTP only)   ${(p50(sequential) / p50(warm)).toFixed(2)}× (reused agent)`);
  const worst = Math.max(...cold);
  console.log(`budget < ${BUDGET_MS} ms for the full passive run: ${worst < BUDGET_MS ? 'within' : 'OVER'} (worst ${worst.toFixed(1)} ms); ${machineLoad()}`);
} finally {
  await stack.stop();
}
