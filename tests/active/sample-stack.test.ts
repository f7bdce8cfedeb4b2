/**
 * The active probes against the StartInsight-like sample stack (demo/) over the harness
 * Postgres and Redis: the good stack and each twin the probes exist to catch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo';
import { rateLimitReport, sseReport } from '../../electron/core/checks/active';
import { manualTrigger } from '../../electron/core/probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../../electron/core/probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../../electron/core/probes/active/sse-hold';
import { freshDatabase, sharedRedis } from '../harness';
import { runCli } from '../harness/cli';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let db: { url: string };
const apis: SampleApi[] = [];
async function api(options: Partial<Parameters<typeof startSampleApi>[0]> = {}): Promise<SampleApi> {
  const a = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, port: 0, ...options });
  apis.push(a);
  return a;
}
beforeAll(async () => {
  db = await freshDatabase('active_stack');
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

async function rateLimit(a: SampleApi, xffCheck: boolean) {
  const req: RateLimitRequest = { url: `${a.url}/api/insights`, limit: 100, windowSeconds: 60, xffCheck, checkReset: false, environment: 'local' };
  return rateLimitReport(await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) }));
}

async function sse(a: SampleApi, app: string) {
  const req: SseRequest = { url: `${a.url}/api/insights/1/trend-stream`, pgUrl: db.url, applicationName: app, streams: 20, seconds: 3, environment: 'local', sampleIntervalMs: 150 };
  return sseReport(await runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)) }));
}

describe('rate-limit probe against the sample stack', () => {
  it('good stack, 100/min: first 429 at 101 with Retry-After; the spoof check does not flag it', async () => {
    const report = await rateLimit(await api(), true);
    expect(report.statuses).toEqual({ '200': 100, '429': 1 });
    expect(report.first429At).toBe(101);
    expect(Number(report.retryAfter)).toBeGreaterThan(0);
    expect(Number(report.retryAfter)).toBeLessThanOrEqual(60);
    expect(report.xffBypass).toBe(false);
    expect(report.verdict).toBe('pass');
  });

  it('no-limit twin fails with "no 429 after 101 requests"', async () => {
    const report = await rateLimit(await api({ twins: { noRateLimit: true } }), false);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('no 429 after 101 requests');
  });

  it('forgeable X-Forwarded-For twin is flagged', async () => {
    const report = await rateLimit(await api({ twins: { rateLimitTrustsForwardedFor: true } }), true);
    expect(report.first429At).toBe(101);
    expect(report.xffBypass).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('limit can be dodged by forging X-Forwarded-For');
  });
});

describe('SSE probe against the sample stack', () => {
  it('good stack: 5 streams open, 15 refused (5/minute), sessions stay low and return to baseline', async () => {
    const app = `si-good-${Date.now()}`;
    const report = await sse(await api({ applicationName: app, ssePollMs: 300 }), app);
    expect(report.streamsOpened).toBe(5);
    expect(report.streamsRefused).toBe(15);
    expect(report.streamsFailed).toBe(0);
    // The app's pool grows for the five stream requests and idles out after 10 s; the streams hold nothing.
    expect(report.heldConnections).toBeLessThanOrEqual(1);
    expect(report.afterConnections).toBeLessThanOrEqual(report.baselineConnections);
    expect(report.verdict).toBe('pass');
  });

  it('holding twin is flagged with its peak', async () => {
    const app = `si-hold-${Date.now()}`;
    const report = await sse(await api({ applicationName: app, ssePollMs: 300, twins: { sseHoldsDbConnection: true } }), app);
    expect(report.streamsOpened).toBe(5);
    expect(report.streamsRefused).toBe(15);
    // One session per open stream at least; the app's pool may release a few idle ones at the same moment.
    expect(report.heldConnections).toBeGreaterThanOrEqual(5);
    expect(report.peakConnections).toBeGreaterThanOrEqual(report.baselineConnections + 5);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain(`peak ${report.peakConnections}`);
    expect(report.summary).toContain('15 streams were refused by the server (429)');
  });
});

describe('the CLI against the sample stack', () => {
  it('ratelimit passes on the good stack and sse passes on it too', async () => {
    const app = `si-cli-${Date.now()}`;
    const a = await api({ applicationName: app, ssePollMs: 300 });
    const rl = await runCli(['ratelimit', '--url', `${a.url}/api/insights`, '--limit', '100', '--window', '1m', '--xff-check', '--confirm', '--json']);
    expect(rl.code).toBe(0);
    expect(JSON.parse(rl.stdout)).toMatchObject({ sent: 101, first429At: 101, statuses: { '200': 100, '429': 1 }, xffBypass: false, verdict: 'pass' });
    const sse = await runCli(['sse', '--url', `${a.url}/api/insights/1/trend-stream`, '--pg-url', db.url, '--app-name', app, '--streams', '20', '--seconds', '2', '--confirm', '--json']);
    expect(sse.code).toBe(0);
    expect(JSON.parse(sse.stdout)).toMatchObject({ streamsOpened: 5, streamsRefused: 15, verdict: 'pass' });
  });
});
