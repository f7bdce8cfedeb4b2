/**
 * How fast the rate-limit probe delivers a burst of 101 requests to a loopback server, and how
 * tightly they arrive (as the server sees them), versus a sequential `fetch` loop, in one run.
 * Budget (DESIGN.md §5): all 101 arrive within 1 s; target under 200 ms on loopback.
 *   node bin/run-ts.mjs bench/ratelimit-burst.ts
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualTrigger } from '../electron/core/probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../electron/core/probes/active/ratelimit';
import { machineLoad, percentileOf } from './stats';

process.env.PREFLIGHT_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'preflight-bench-'));
const COUNT = 101;
const ROUNDS = 7;

const arrivals: number[] = [];
const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
  arrivals.push(performance.now());
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/insights`;

interface Round {
  deliverMs: number;
  arrivalSpreadMs: number;
}

async function measure(send: () => Promise<void>): Promise<Round> {
  arrivals.length = 0;
  const t0 = performance.now();
  await send();
  const deliverMs = performance.now() - t0;
  if (arrivals.length !== COUNT) throw new Error(`server saw ${arrivals.length} requests, expected ${COUNT}`);
  return { deliverMs, arrivalSpreadMs: Math.max(...arrivals) - Math.min(...arrivals) };
}

const probeBurst = async () => {
  const req: RateLimitRequest = { url, limit: COUNT - 1, windowSeconds: 60, xffCheck: false, checkReset: false, environment: 'bench' };
  const plan = planRateLimit(req);
  await runRateLimitProbe(req, { trigger: manualTrigger('cli'), consent: { host: plan.host, endpoint: plan.endpoint, requestCount: plan.requestCount, environment: plan.environment } });
};

const sequentialFetch = async () => {
  for (let i = 0; i < COUNT; i++) {
    const res = await fetch(url);
    await res.arrayBuffer();
  }
};

const median = (xs: number[]) => percentileOf(xs, 50);
const results: Record<'probe' | 'sequential', Round[]> = { probe: [], sequential: [] };
// Warm the JIT and the loopback path once each, then alternate so load hits both alike.
await measure(probeBurst);
await measure(sequentialFetch);
for (let i = 0; i < ROUNDS; i++) {
  results.probe.push(await measure(probeBurst));
  results.sequential.push(await measure(sequentialFetch));
}
server.close();

const row = (name: string, rounds: Round[]) =>
  `${name.padEnd(32)} deliver ${median(rounds.map((r) => r.deliverMs)).toFixed(1).padStart(7)} ms   arrival spread ${median(rounds.map((r) => r.arrivalSpreadMs)).toFixed(1).padStart(7)} ms   (worst spread ${Math.max(...rounds.map((r) => r.arrivalSpreadMs)).toFixed(1)} ms)`;
const probeSpread = median(results.probe.map((r) => r.arrivalSpreadMs));
const seqSpread = median(results.sequential.map((r) => r.arrivalSpreadMs));
console.log(`ratelimit-burst: ${COUNT} GET requests to a loopback server, median of ${ROUNDS} rounds`);
console.log(`machine: ${machineLoad()}; other jobs may share it`);
console.log(row('probe (warm pool, ≤ 50 in flight)', results.probe));
console.log(row('sequential fetch loop', results.sequential));
console.log('probe deliver time includes the consent check, the pool pre-warm (50 TCP connects) and the audit log writes');
console.log(`ratio: arrival spread sequential / probe = ${(seqSpread / probeSpread).toFixed(1)}×; deliver time sequential / probe = ${(median(results.sequential.map((r) => r.deliverMs)) / median(results.probe.map((r) => r.deliverMs))).toFixed(1)}×`);
console.log(`budget: all ${COUNT} arrive within 1000 ms → ${probeSpread < 1000 ? 'met' : 'MISSED'} (target < 200 ms → ${probeSpread < 200 ? 'met' : 'missed'})`);
