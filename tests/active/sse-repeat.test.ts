/**
 * The default SSE check (the UI's and the CLI's one default: 20 streams held 5 s, maxHeld half
 * the streams, total below 50) run 10 times in a row: 10 passes on the healthy sample stack,
 * 10 fails on the twin whose streams hold a database session each. The sample API here allows
 * 1,000 streams a minute instead of StartInsight's 5, so the runs need not wait out the limit
 * between them (what the limit does to a run is tested in sample-stack.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, startSampleApi, type SampleApi, type Twins } from '../../demo';
import { DEFAULT_SSE_THRESHOLDS, sseReport } from '../../electron/core/checks/active';
import { manualTrigger } from '../../electron/core/probes/active/guardrails';
import { DEFAULT_SSE_HOLD_SECONDS, DEFAULT_SSE_STREAMS, planSse, runSseProbe, type SseRequest } from '../../electron/core/probes/active/sse-hold';
import { freshDatabase, sharedRedis } from '../harness';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
const RUNS = 10;
let db: { url: string };
const apis: SampleApi[] = [];

beforeAll(async () => {
  db = await freshDatabase('sse_repeat');
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

async function tenRuns(twins: Twins): Promise<{ verdict: string; held: number; opened: number; summary: string }[]> {
  const app = `sse-repeat-${Object.keys(twins).join('-') || 'good'}-${Date.now().toString(36)}`;
  const api = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, applicationName: app, twins, limits: { stream: { ...DEFAULT_LIMITS.stream, limit: 1000 } } });
  apis.push(api);
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    // Exactly what the SSE page and `preflight sse` send when nothing is changed.
    const req: SseRequest = { url: `${api.url}/api/insights/1/trend-stream`, pgUrl: db.url, applicationName: app, streams: DEFAULT_SSE_STREAMS, seconds: DEFAULT_SSE_HOLD_SECONDS, environment: 'local' };
    const report = sseReport(await runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)) }), DEFAULT_SSE_THRESHOLDS);
    out.push({ verdict: report.verdict, held: report.heldConnections, opened: report.streamsOpened, summary: report.summary });
  }
  process.stdout.write(`${JSON.stringify(twins)}: ${out.map((r) => `${r.verdict}(held ${r.held}/${r.opened})`).join(' ')}\n`);
  return out;
}

describe(`the default SSE check, ${RUNS} runs in a row`, () => {
  it(`healthy sample stack: ${RUNS} passes`, async () => {
    const runs = await tenRuns({});
    expect(runs.filter((r) => r.verdict !== 'pass').map((r) => r.summary)).toEqual([]);
    expect(runs.every((r) => r.opened === DEFAULT_SSE_STREAMS)).toBe(true);
  }, 900_000);

  it(`twin whose streams hold a database session: ${RUNS} fails`, async () => {
    const runs = await tenRuns({ sseHoldsDbConnection: true });
    expect(runs.filter((r) => r.verdict !== 'fail').map((r) => r.summary)).toEqual([]);
    expect(runs.every((r) => r.held >= DEFAULT_SSE_STREAMS)).toBe(true);
  }, 900_000);
});
