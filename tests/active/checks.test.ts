/** The pure checks over hand-built observations: every branch a real run can land in. */
import { describe, expect, it } from 'vitest';
import { checkRateLimitBoundary, checkSseConnectionHold, checkXffBypass, rateLimitReport } from '../../electron/core/checks/active';
import { rateLimitVerdict } from '../../electron/core/checks/active/rate-limits';
import { summarizeBurst } from '../../electron/core/probes/active/burst';
import { DEFAULT_CAPS, MAX_RESET_CHECK_DEADLINE_MS, MAX_SSE_DEADLINE_MS } from '../../electron/core/probes/active/guardrails';
import { rateLimitCaps } from '../../electron/core/probes/active/ratelimit';
import { sseCaps } from '../../electron/core/probes/active/sse-hold';
import type { RateLimitObservation, RequestRecord, SseObservation } from '../../shared/schemas/active';

function req(index: number, status: number | null, sentMs: number, receivedMs: number | null, headers: Record<string, string> = {}): RequestRecord {
  return { index, status, sentMs, receivedMs, headers, forwardedFor: null, error: status === null ? 'timeout' : null };
}

function limitedBurst(limit: number, total: number, refusalHeaders: Record<string, string> = { 'retry-after': '30' }): RequestRecord[] {
  return Array.from({ length: total }, (_, i) => (i < limit ? req(i + 1, 200, i, i + 5) : req(i + 1, 429, i, i + 5, refusalHeaders)));
}

function rlObs(records: RequestRecord[], over: Partial<RateLimitObservation> = {}): RateLimitObservation {
  return { url: 'http://api.test/api/insights', limit: 100, windowSeconds: 60, startedAt: '2026-01-01T00:00:00Z', durationMs: 200, prewarmedConnections: 50, concurrency: 50, burst: summarizeBurst('identity', records.length, records), spoof: null, postReset: null, stoppedBy: 'completed', totalSent: records.length, ...over };
}

describe('summarizeBurst', () => {
  it('counts the first refusal by what the limiter had let through when it refused', () => {
    // 3 allowed, then a 429 back at 20 ms; a 200 sent at 25 ms (after a reset) is not before it.
    const records = [req(1, 200, 0, 4), req(2, 200, 1, 5), req(3, 200, 2, 6), req(4, 429, 3, 20, { 'retry-after': '1', 'ratelimit-reset': '1' }), req(5, 200, 25, 30)];
    const b = summarizeBurst('identity', 5, records);
    expect(b.first429At).toBe(4);
    expect(b.allowed).toBe(4);
    expect(b.refused).toBe(1);
    expect(b.statuses).toEqual({ '200': 4, '429': 1 });
    expect(b.burstMs).toBe(30);
    expect(b.sendSpreadMs).toBe(25);
    expect(b.retryAfter).toBe('1');
    expect(b.resetHeader).toBe('1');
  });
});

describe('ratelimit.list-insights', () => {
  it('passes at N+1 with Retry-After, fails without a reset hint', () => {
    expect(checkRateLimitBoundary(rlObs(limitedBurst(100, 101))).status).toBe('pass');
    const bare = checkRateLimitBoundary(rlObs(limitedBurst(100, 101, {})));
    expect(bare.status).toBe('fail');
    expect(bare.summary).toMatch(/neither Retry-After nor a RateLimit-Reset/);
    expect(checkRateLimitBoundary(rlObs(limitedBurst(100, 101, { 'x-ratelimit-reset': '12' }))).status).toBe('pass');
  });

  it('names a burst longer than the window as a possible boundary crossing', () => {
    const slow = limitedBurst(100, 101).map((r) => ({ ...r, sentMs: r.index * 700, receivedMs: r.index * 700 + 5 }));
    const result = checkRateLimitBoundary(rlObs(slow));
    expect(result.summary).toMatch(/longer than the 60 s window/);
  });

  it('gives no verdict when the run stopped before the burst was sent', () => {
    const partial = limitedBurst(100, 40);
    const stopped = rlObs(partial, { stoppedBy: 'cancelled', burst: summarizeBurst('identity', 101, partial) });
    expect(checkRateLimitBoundary(stopped).status).toBe('error');
    expect(rateLimitReport(stopped).verdict).toBe('inconclusive');
  });

  it('after the advertised reset: a success passes; a 429, a 5xx or no response fails naming it; a cancel gives no verdict', () => {
    const after = (postReset: NonNullable<RateLimitObservation['postReset']>, over: Partial<RateLimitObservation> = {}) => rateLimitReport(rlObs(limitedBurst(100, 101), { postReset, ...over }));
    const ok = after({ waitedMs: 30_250, status: 200, error: null, skippedBecause: null });
    expect(ok.verdict).toBe('pass');
    expect(ok.summary).toContain('after the reset a request got 200');
    const refused = after({ waitedMs: 30_250, status: 429, error: null, skippedBecause: null });
    expect(refused.verdict).toBe('fail');
    expect(refused.checks[0]!.status).toBe('fail');
    expect(refused.summary).toMatch(/after the advertised reset, was still refused \(429\)/);
    const serverError = after({ waitedMs: 30_250, status: 503, error: null, skippedBecause: null });
    expect(serverError.verdict).toBe('fail');
    expect(serverError.summary).toContain('got HTTP 503 (a server error) instead of succeeding');
    const forbidden = after({ waitedMs: 30_250, status: 403, error: null, skippedBecause: null });
    expect(forbidden.verdict).toBe('fail');
    expect(forbidden.summary).toContain('got HTTP 403 instead of succeeding');
    const network = after({ waitedMs: 30_250, status: null, error: 'ECONNRESET: socket hang up', skippedBecause: null });
    expect(network.verdict).toBe('fail');
    expect(network.summary).toContain('got no response (ECONNRESET: socket hang up)');
    const cancelled = after({ waitedMs: 30_250, status: null, error: 'cancelled', skippedBecause: null }, { stoppedBy: 'cancelled' });
    expect(cancelled.verdict).toBe('inconclusive');
    expect(cancelled.summary).toMatch(/No verdict on the reset: the run stopped early \(cancelled\)/);
    const skipped = after({ waitedMs: 0, status: null, error: null, skippedBecause: "the reset (70 s) is past the run's deadline of 60 s" });
    expect(skipped.verdict).toBe('pass');
    expect(skipped.summary).toContain('the reset check was skipped: the reset (70 s)');
  });
});

describe('ratelimit.xff-bypass', () => {
  it('is skipped when not requested or when the limiter never refused', () => {
    expect(checkXffBypass(rlObs(limitedBurst(100, 101))).status).toBe('skipped');
    const none = Array.from({ length: 101 }, (_, i) => req(i + 1, 200, i, i + 2));
    const obs = rlObs(none, { spoof: summarizeBurst('xff-spoof', 101, none) });
    expect(checkXffBypass(obs).status).toBe('skipped');
    expect(rateLimitReport(obs).xffBypass).toBeNull();
  });
});

function sseObs(over: Partial<SseObservation>): SseObservation {
  return { url: 'http://api.test/s', database: 'postgres://db', match: { applicationName: 'app', clientAddress: null }, startedAt: '2026-01-01T00:00:00Z', durationMs: 10_000, seconds: 10, streamsRequested: 20, streamsOpened: 20, streamsRefused: 0, streamsFailed: 0, baselineConnections: 2, peakConnections: 4, sustainedConnections: 3, heldByStreams: 1, afterConnections: 2, settleMs: 1000, samples: [], skippedSamples: 0, streams: [], stoppedBy: 'completed', ...over };
}

describe('sse.connection-hold', () => {
  it('passes low holding, fails one-per-stream, a peak at the total limit, and no return to baseline', () => {
    expect(checkSseConnectionHold(sseObs({})).status).toBe('pass');
    expect(checkSseConnectionHold(sseObs({ heldByStreams: 20, sustainedConnections: 22, peakConnections: 22 })).status).toBe('fail');
    expect(checkSseConnectionHold(sseObs({ heldByStreams: 10 })).status).toBe('pass');
    expect(checkSseConnectionHold(sseObs({ heldByStreams: 11 })).status).toBe('fail');
    expect(checkSseConnectionHold(sseObs({ heldByStreams: 3 }), { totalLimit: 50, returnTolerance: 0, maxHeld: 2 }).status).toBe('fail');
    const peak = checkSseConnectionHold(sseObs({ peakConnections: 50 }));
    expect(peak.status).toBe('fail');
    expect(peak.summary).toMatch(/peaked at 50, not below 50/);
    const stuck = checkSseConnectionHold(sseObs({ afterConnections: 7 }));
    expect(stuck.status).toBe('fail');
    expect(stuck.summary).toMatch(/did not return to baseline/);
  });

  it('no opened stream is no verdict; 5 of 20 opened is inconclusive (never a pass), naming the API’s own limit and when to retry', () => {
    const refused = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ index: from + i, status: 429, outcome: 'refused' as const, events: 0, openedMs: null, endedEarlyMs: null, error: null, retryAfter: '42' }));
    const none = checkSseConnectionHold(sseObs({ streamsOpened: 0, streamsRefused: 20, streams: refused(20, 1) }));
    expect(none.status).toBe('error');
    expect(none.summary).toBe("Inconclusive: the API's own stream limit refused all 20 streams (429), so the test cannot run right now: it says to retry in 42 s (after 00:00:42 UTC).");
    const limited = checkSseConnectionHold(sseObs({ streamsOpened: 5, streamsRefused: 15, heldByStreams: 0, streams: refused(15, 6) }));
    expect(limited.status).toBe('error');
    expect(limited.summary).toMatch(/^Inconclusive: only 5 of 20 streams opened .*refused 15 \(429\); it says to retry in 42 s/);
    // Holding is conclusive even when only some streams opened.
    expect(checkSseConnectionHold(sseObs({ streamsOpened: 5, streamsRefused: 15, heldByStreams: 5, streams: refused(15, 6) })).status).toBe('fail');
  });
});

describe('deadline clamps (hard maxima)', () => {
  it('rate limit: 60 s without the reset check; with it, the window + 30 s only by an explicit deadline, never over 180 s', () => {
    const rl = (over: Partial<Parameters<typeof rateLimitCaps>[0]>) => rateLimitCaps({ checkReset: false, windowSeconds: 60, ...over });
    expect(rl({}).totalDeadlineMs).toBe(DEFAULT_CAPS.totalDeadlineMs);
    expect(DEFAULT_CAPS.totalDeadlineMs).toBe(60_000);
    expect(() => rl({ caps: { totalDeadlineMs: 61_000 } })).toThrow(/deadline of 61 s is over the hard maximum of 60 s/);
    // A short window fits the default deadline.
    expect(rl({ checkReset: true, windowSeconds: 2 }).totalDeadlineMs).toBe(60_000);
    // A 60 s window needs 90 s: refused unless asked for explicitly, and the refusal says how.
    expect(() => rl({ checkReset: true })).toThrow(/needs up to 90 s .*--deadline 90s \(at most 180s with the reset check\)/);
    expect(rl({ checkReset: true, caps: { totalDeadlineMs: 90_000 } }).totalDeadlineMs).toBe(90_000);
    expect(() => rl({ checkReset: true, caps: { totalDeadlineMs: 80_000 } })).toThrow(/longer than the run's deadline of 80 s/);
    expect(() => rl({ checkReset: true, caps: { totalDeadlineMs: MAX_RESET_CHECK_DEADLINE_MS + 1000 } })).toThrow(/over the hard maximum of 180 s/);
    // --window 1h can never be waited for, whatever deadline is given.
    for (const totalDeadlineMs of [undefined, 180_000]) {
      expect(() => rl({ checkReset: true, windowSeconds: 3600, caps: { totalDeadlineMs } })).toThrow(/needs up to 3630 s .*over the hard maximum of 180 s per run/);
    }
    expect(MAX_RESET_CHECK_DEADLINE_MS).toBe(180_000);
  });

  it('SSE: hold + settle + 15 s, clamped to 150 s; an explicit deadline above it is refused', () => {
    expect(sseCaps({ seconds: 10 }).totalDeadlineMs).toBe(10_000 + 12_000 + 15_000);
    expect(sseCaps({ seconds: 120 }).totalDeadlineMs).toBe(147_000);
    expect(sseCaps({ seconds: 120, settleTimeoutMs: 60_000 }).totalDeadlineMs).toBe(MAX_SSE_DEADLINE_MS);
    expect(MAX_SSE_DEADLINE_MS).toBe(150_000);
    expect(sseCaps({ seconds: 10, caps: { totalDeadlineMs: 5000 } }).totalDeadlineMs).toBe(5000);
    expect(() => sseCaps({ seconds: 10, caps: { totalDeadlineMs: 3_600_000 } })).toThrow(/over the hard maximum of 150 s/);
  });
});

describe('caps', () => {
  it('a probe default survives an override left undefined; a person’s value wins', async () => {
    const { resolveCaps } = await import('../../electron/core/probes/active/guardrails');
    expect(resolveCaps({ totalDeadlineMs: undefined }, { totalDeadlineMs: 90_000 }).totalDeadlineMs).toBe(90_000);
    expect(resolveCaps({ totalDeadlineMs: 5000 }, { totalDeadlineMs: 90_000 }).totalDeadlineMs).toBe(5000);
    expect(resolveCaps().maxRequests).toBe(500);
    expect(resolveCaps().maxConcurrency).toBe(50);
    expect(() => resolveCaps({ max5xxRatio: 2 })).toThrow(/between 0 and 1/);
  });
});

describe('every rateLimits[] entry is judged', () => {
  it('a failing second entry is not hidden behind a passing first one; each entry has its own verdict in the evidence', () => {
    const good = rlObs(limitedBurst(100, 101));
    const loose = rlObs(limitedBurst(300, 201).slice(0, 201), { limit: 200, url: 'http://api.test/api/insights/1' });
    const v = rateLimitVerdict({ 'list-insights': good, 'insight-detail': loose }, 'boundary');
    expect(v.status).toBe('fail');
    expect((v.evidence.entries as { id: string; status: string }[]).map((e) => [e.id, e.status])).toEqual([
      ['list-insights', 'pass'],
      ['insight-detail', 'fail'],
    ]);
    expect(v.summary).toMatch(/^list-insights \(pass\): first 429 at request 101 .* \| insight-detail \(fail\): no 429 after 201 requests/);
    expect(rateLimitVerdict({ 'list-insights': good }, 'boundary').status).toBe('pass');
  });
});

describe('ratelimit.list-insights against the limiter’s own headers', () => {
  const allowed = (n: number, remainingFrom: number, limit: number) => Array.from({ length: n }, (_, i) => req(i + 1, 200, i, i + 5, { 'ratelimit-limit': String(limit), 'ratelimit-remaining': String(remainingFrom - i) }));
  const refusedAt = (index: number, limit: number) => req(index, 429, index, index + 5, { 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'retry-after': '20' });

  it('headers of another policy (an hourly 1000 beside the per-minute 100) neither fail nor excuse the boundary', () => {
    // Fresh minute bucket, the header shows the hourly policy: 429 at 101 passes.
    const fresh = checkRateLimitBoundary(rlObs([...allowed(100, 999, 1000), refusedAt(101, 1000)]));
    expect(fresh.status).toBe('pass');
    // 12 already spent in the minute: the header cannot say so — inconclusive, not "stricter".
    const spent = checkRateLimitBoundary(rlObs([...allowed(88, 987, 1000), ...Array.from({ length: 13 }, (_, i) => refusedAt(89 + i, 1000))]));
    expect(spent.status).toBe('error');
    expect(spent.summary).toMatch(/^Inconclusive: first 429 at request 89, expected 101\. The limiter's headers describe another policy/);
  });

  it('a partly spent bucket whose headers say so passes at remaining + 1; the same early 429 with a full budget fails', () => {
    const spent = checkRateLimitBoundary(rlObs([...allowed(88, 87, 100), ...Array.from({ length: 13 }, (_, i) => refusedAt(89 + i, 100))]));
    expect(spent.status).toBe('pass');
    const stricter = checkRateLimitBoundary(rlObs([...allowed(88, 99, 100), ...Array.from({ length: 13 }, (_, i) => refusedAt(89 + i, 100))]));
    expect(stricter.status).toBe('fail');
    expect(stricter.summary).toMatch(/^first 429 at request 89, expected 101: the limit is stricter than 100 per 60 s/);
  });
});
