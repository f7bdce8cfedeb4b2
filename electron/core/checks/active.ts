/**
 * Pure checks over active-probe observations: `ratelimit.list-insights` (first 429 at N+1
 * with a reset hint), `ratelimit.xff-bypass` (forged X-Forwarded-For dodges the limit) and
 * `sse.connection-hold` (open streams must not each hold a database session).
 */
import type { RateLimitObservation, RateLimitReport, SseObservation, SseReport, Verdict } from '../../../shared/schemas/active';
import type { CheckResult } from '../../../shared/schemas/check';

const ms = (n: number) => `${Math.round(n)} ms`;

function stoppedEarly(stoppedBy: string): string | null {
  return stoppedBy === 'completed' ? null : `the run stopped early (${stoppedBy})`;
}

export function checkRateLimitBoundary(obs: RateLimitObservation, id = 'ratelimit.list-insights'): CheckResult {
  const { burst, limit, windowSeconds } = obs;
  const expected = limit + 1;
  const base = { id, title: `Request ${expected} within ${windowSeconds} s gets 429`, category: 'security' as const, severity: 'high' as const, durationMs: obs.durationMs, fix: `Rate-limit this endpoint to ${limit} requests per ${windowSeconds} s per client and answer 429 with Retry-After.` };
  const evidence = { sent: burst.sent, statuses: burst.statuses, first429At: burst.first429At, burstMs: burst.burstMs, sendSpreadMs: burst.sendSpreadMs, retryAfter: burst.retryAfter, resetHeader: burst.resetHeader, windowSeconds, postReset: obs.postReset, stoppedBy: obs.stoppedBy };
  const crossing = burst.burstMs > windowSeconds * 1000 ? ` The burst took ${ms(burst.burstMs)}, longer than the ${windowSeconds} s window, so it may have crossed a window boundary.` : '';
  const early = stoppedEarly(obs.stoppedBy);
  if (early && burst.sent < burst.planned) {
    return { ...base, status: 'error', summary: `No verdict: ${early} after ${burst.sent} of ${burst.planned} requests.`, evidence };
  }
  const errors = burst.statuses.error ?? 0;
  if (burst.refused === 0 && burst.sent < expected) {
    return { ...base, status: 'error', summary: `No verdict: only ${burst.sent} requests were sent and none was refused, but the limit of ${limit} per ${windowSeconds} s can only be seen at request ${expected}; send at least ${expected} (--count ${expected}, or leave --count out).`, evidence };
  }
  if (burst.refused === 0) {
    return { ...base, status: 'fail', summary: `no 429 after ${burst.sent} requests in ${ms(burst.burstMs)} (expected the first at request ${expected}; limit ${limit} per ${windowSeconds} s)${errors ? `; ${errors} requests got no response` : ''}.${crossing}`, evidence };
  }
  if (burst.first429At !== expected) {
    const how = burst.first429At! < expected ? 'stricter than' : 'looser than';
    return { ...base, status: 'fail', summary: `first 429 at request ${burst.first429At}, expected ${expected}: the limit is ${how} ${limit} per ${windowSeconds} s (${burst.sent} sent in ${ms(burst.burstMs)}).${crossing}`, evidence };
  }
  if (!burst.retryAfter && !burst.resetHeader) {
    return { ...base, status: 'fail', summary: `first 429 at request ${expected} as expected, but it carries neither Retry-After nor a RateLimit-Reset header.`, evidence };
  }
  const hint = burst.retryAfter ? `Retry-After ${burst.retryAfter}` : `reset ${burst.resetHeader}`;
  const reset = obs.postReset;
  if (reset && reset.skippedBecause === null && !(reset.status !== null && reset.status < 400)) {
    // Asked for: after the advertised reset one request must succeed. Anything else fails, naming what came back.
    const first = `first 429 at request ${expected} (${hint}), but the request sent ${ms(reset.waitedMs)} later, after the advertised reset,`;
    if (reset.status === null && obs.stoppedBy !== 'completed') {
      return { ...base, status: 'error', summary: `No verdict on the reset: ${stoppedEarly(obs.stoppedBy)} before the request after the advertised reset was answered (first 429 at request ${expected}, ${hint}).`, evidence };
    }
    const what =
      reset.status === 429
        ? 'was still refused (429): the limiter does not free a slot when its Retry-After/RateLimit-Reset says it will'
        : reset.status !== null
          ? `got HTTP ${reset.status}${reset.status >= 500 ? ' (a server error)' : ''} instead of succeeding`
          : `got no response (${reset.error ?? 'unknown error'}) instead of succeeding`;
    return { ...base, status: 'fail', summary: `${first} ${what}.`, evidence };
  }
  const after = reset?.status ? `; after the reset a request got ${reset.status}` : reset?.skippedBecause ? `; the reset check was skipped: ${reset.skippedBecause}` : '';
  return { ...base, status: 'pass', summary: `first 429 at request ${expected} of ${burst.sent} sent in ${ms(burst.burstMs)}, with ${hint}${after}.${crossing}`, evidence };
}

export function checkXffBypass(obs: RateLimitObservation): CheckResult {
  const base = { id: 'ratelimit.xff-bypass', title: 'Forged X-Forwarded-For cannot dodge the rate limit', category: 'security' as const, severity: 'high' as const, durationMs: obs.durationMs, fix: 'Key the limiter on the peer address or on the last X-Forwarded-For hop added by your own proxy, never on the first value a client sends.' };
  const spoof = obs.spoof;
  if (!spoof) return { ...base, status: 'skipped', summary: 'Spoof check not requested (--xff-check).', evidence: {} };
  const evidence = { sent: spoof.sent, statuses: spoof.statuses, allowed: spoof.allowed, limit: obs.limit, identityRefused: obs.burst.refused, burstMs: spoof.burstMs };
  if (obs.burst.refused === 0) return { ...base, status: 'skipped', summary: 'The limiter never refused the first burst, so forging X-Forwarded-For proves nothing.', evidence };
  if (spoof.sent < spoof.planned && spoof.allowed <= obs.limit) return { ...base, status: 'error', summary: `No verdict: the spoof burst stopped (${obs.stoppedBy}) after ${spoof.sent} of ${spoof.planned} requests.`, evidence };
  if (spoof.allowed > obs.limit) {
    return { ...base, status: 'fail', summary: `limit can be dodged by forging X-Forwarded-For: ${spoof.allowed} of ${spoof.sent} requests with a different forged address each were allowed after the limit of ${obs.limit} was reached.`, evidence };
  }
  return { ...base, status: 'pass', summary: `Forging X-Forwarded-For did not help: ${spoof.allowed} of ${spoof.sent} forged requests allowed, ${spoof.refused} refused.`, evidence };
}

export interface SseThresholds {
  /** Most sessions the app may hold above baseline while streams are open; default half the opened streams. */
  maxHeld?: number;
  /** Total sessions of the app must stay below this (StartInsight: 50). */
  totalLimit: number;
  /** Sessions above baseline still allowed after the streams close. */
  returnTolerance: number;
}

export const DEFAULT_SSE_THRESHOLDS: SseThresholds = { totalLimit: 50, returnTolerance: 0 };

export function checkSseConnectionHold(obs: SseObservation, thresholds: SseThresholds = DEFAULT_SSE_THRESHOLDS): CheckResult {
  // What the streams hold is what goes away when they close; a momentary spike of poll
  // sessions is judged by totalLimit, and a pool's idle sessions by the return to baseline.
  const held = obs.heldByStreams;
  const maxHeld = thresholds.maxHeld ?? Math.max(1, Math.floor(obs.streamsOpened / 2));
  const base = { id: 'sse.connection-hold', title: 'SSE streams do not hold database connections', category: 'performance' as const, severity: 'high' as const, durationMs: obs.durationMs, fix: 'Open a session per poll and close it before waiting; never keep one checked out for the life of a stream.' };
  const evidence = { streamsOpened: obs.streamsOpened, streamsRefused: obs.streamsRefused, streamsFailed: obs.streamsFailed, baseline: obs.baselineConnections, peak: obs.peakConnections, sustained: obs.sustainedConnections, heldByStreams: obs.heldByStreams, after: obs.afterConnections, held, maxHeld, totalLimit: thresholds.totalLimit, seconds: obs.seconds, samples: obs.samples.length, match: obs.match };
  const refusedNote = obs.streamsRefused ? ` ${obs.streamsRefused} streams were refused by the server (429), as its limit intends.` : '';
  if (obs.streamsOpened === 0) {
    return { ...base, status: 'error', summary: `No verdict: no stream opened (${obs.streamsRefused} refused, ${obs.streamsFailed} failed).`, evidence };
  }
  const window = `${obs.streamsOpened} streams open for ${obs.seconds} s`;
  if (held > maxHeld) {
    return { ...base, status: 'fail', summary: `${window} held ${held} database sessions, released only when the streams closed (median while open ${obs.sustainedConnections}, peak ${obs.peakConnections}, baseline ${obs.baselineConnections}; allowed ${maxHeld}).${refusedNote}`, evidence };
  }
  if (obs.peakConnections >= thresholds.totalLimit) {
    return { ...base, status: 'fail', summary: `${window}: the app's sessions peaked at ${obs.peakConnections}, not below ${thresholds.totalLimit}.${refusedNote}`, evidence };
  }
  if (obs.afterConnections > obs.baselineConnections + thresholds.returnTolerance) {
    return { ...base, status: 'fail', summary: `${window}: sessions did not return to baseline ${ms(obs.settleMs)} after closing (${obs.afterConnections} vs ${obs.baselineConnections}).${refusedNote}`, evidence };
  }
  if (stoppedEarly(obs.stoppedBy)) {
    return { ...base, status: 'error', summary: `No verdict: ${stoppedEarly(obs.stoppedBy)}; peak ${obs.peakConnections} sessions so far.`, evidence };
  }
  return { ...base, status: 'pass', summary: `${window}: ${held} sessions were tied to the streams (the app had ${obs.sustainedConnections} while they were open, baseline ${obs.baselineConnections}, peak ${obs.peakConnections}) and returned to ${obs.afterConnections} after closing.${refusedNote}`, evidence };
}

function verdictOf(checks: CheckResult[]): Verdict {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'error')) return 'inconclusive';
  return 'pass';
}

export function rateLimitReport(obs: RateLimitObservation): RateLimitReport {
  const boundary = checkRateLimitBoundary(obs);
  const xff = checkXffBypass(obs);
  const checks = obs.spoof ? [boundary, xff] : [boundary];
  const verdict = verdictOf(checks);
  return {
    url: obs.url,
    limit: obs.limit,
    windowSeconds: obs.windowSeconds,
    sent: obs.burst.sent,
    first429At: obs.burst.first429At,
    statuses: obs.burst.statuses,
    burstMs: obs.burst.burstMs,
    sendSpreadMs: obs.burst.sendSpreadMs,
    retryAfter: obs.burst.retryAfter,
    xffBypass: xff.status === 'fail' ? true : xff.status === 'pass' ? false : null,
    postResetStatus: obs.postReset?.status ?? null,
    stoppedBy: obs.stoppedBy,
    verdict,
    summary: checks.filter((c) => c.status !== 'pass' && c.status !== 'skipped').map((c) => c.summary).join(' ') || boundary.summary,
    checks,
    observation: obs,
  };
}

export function sseReport(obs: SseObservation, thresholds?: SseThresholds): SseReport {
  const check = checkSseConnectionHold(obs, thresholds);
  return {
    url: obs.url,
    streamsOpened: obs.streamsOpened,
    streamsRefused: obs.streamsRefused,
    streamsFailed: obs.streamsFailed,
    baselineConnections: obs.baselineConnections,
    peakConnections: obs.peakConnections,
    sustainedConnections: obs.sustainedConnections,
    afterConnections: obs.afterConnections,
    heldConnections: obs.heldByStreams,
    stoppedBy: obs.stoppedBy,
    verdict: verdictOf([check]),
    summary: check.summary,
    checks: [check],
    observation: obs,
  };
}
