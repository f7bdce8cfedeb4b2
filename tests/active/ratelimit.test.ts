import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/audit-log';
import { rateLimitReport } from '../../electron/core/checks/active';
import { manualTrigger } from '../../electron/core/probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../../electron/core/probes/active/ratelimit';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let server: LimiterServer;
beforeAll(async () => {
  server = await startLimiterServer({ mode: 'correct', limit: 100, windowMs: 60_000 });
});
afterAll(async () => {
  await server?.close();
});

async function probe(overrides: Partial<RateLimitRequest> = {}) {
  server.resetCounters();
  const req: RateLimitRequest = { url: server.url, limit: 100, windowSeconds: 60, xffCheck: false, checkReset: false, environment: 'local', ...overrides };
  const obs = await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) });
  return rateLimitReport(obs);
}

describe('rate-limit boundary probe against a real loopback limiter', () => {
  it('correct limiter, 100 per minute: first 429 at 101 with Retry-After, verdict pass', async () => {
    server.setMode('correct');
    const report = await probe();
    expect(server.requests).toBe(101);
    expect(report.sent).toBe(101);
    expect(report.statuses).toEqual({ '200': 100, '429': 1 });
    expect(report.first429At).toBe(101);
    expect(Number(report.retryAfter)).toBeGreaterThan(0);
    expect(report.verdict).toBe('pass');
    expect(report.xffBypass).toBeNull();
    // Requests went over pre-warmed keep-alive connections, never more than the concurrency.
    expect(report.observation.prewarmedConnections).toBe(50);
    expect(server.connectionsAccepted).toBe(50);
    const refused = report.observation.burst.requests.find((r) => r.status === 429)!;
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    const audit = readAudit().filter((a) => a.action === 'ratelimit.run');
    expect(audit.map((a) => a.outcome).slice(-2)).toEqual(['started', 'succeeded']);
    expect(audit.at(-1)!.details).toMatchObject({ sent: 101, first429At: 101, verdict: 'pass', statuses: { '200': 100, '429': 1 } });
    expect(audit.at(-1)!.target).toBe(server.url);
    expect(audit.at(-1)!.who).toBeTruthy();
  });

  it('a limiter stricter than expected is reported with its real boundary', async () => {
    server.setMode('correct');
    const report = await probe({ limit: 120, requestCount: 121 });
    expect(report.first429At).toBe(101);
    expect(report.verdict).toBe('fail');
    expect(report.checks[0]!.summary).toMatch(/first 429 at request 101, expected 121/);
  });

  it('no-limit twin fails with "no 429 after 101 requests"', async () => {
    server.setMode('none');
    const report = await probe();
    expect(server.requests).toBe(101);
    expect(report.statuses).toEqual({ '200': 101 });
    expect(report.first429At).toBeNull();
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('no 429 after 101 requests');
  });

  it('forgeable X-Forwarded-For twin is flagged by the spoof check', async () => {
    server.setMode('xff');
    const report = await probe({ xffCheck: true });
    expect(server.requests).toBe(202);
    expect(new Set(server.arrivals.slice(101).map((a) => a.forwardedFor)).size).toBe(101);
    expect(report.first429At).toBe(101);
    expect(report.observation.spoof!.allowed).toBe(101);
    expect(report.xffBypass).toBe(true);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toContain('limit can be dodged by forging X-Forwarded-For');
  });

  it('the correct limiter is not flagged by the spoof check', async () => {
    server.setMode('correct');
    const report = await probe({ xffCheck: true });
    expect(server.requests).toBe(202);
    expect(report.observation.spoof!.allowed).toBe(0);
    expect(report.xffBypass).toBe(false);
    expect(report.verdict).toBe('pass');
  });

  it('after the advertised reset one request succeeds again', async () => {
    const short = await startLimiterServer({ mode: 'correct', limit: 20, windowMs: 1500 });
    try {
      const req: RateLimitRequest = { url: short.url, limit: 20, windowSeconds: 1.5, xffCheck: false, checkReset: true, environment: 'local' };
      const report = rateLimitReport(await runRateLimitProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planRateLimit(req)) }));
      expect(report.first429At).toBe(21);
      expect(report.postResetStatus).toBe(200);
      expect(report.observation.postReset!.waitedMs).toBeGreaterThanOrEqual(1000);
      expect(short.requests).toBe(22);
      expect(report.verdict).toBe('pass');
    } finally {
      await short.close();
    }
  });
});
