/**
 * Pure checks over active-probe observations: `ratelimit.list-insights` (first 429 at N+1
 * with a reset hint), `ratelimit.xff-bypass` (forged X-Forwarded-For dodges the limit) and
 * `sse.connection-hold` (open streams must not each hold a database session).
 */
import type { RateLimitObservation, RateLimitReport, SseObservation, SseReport, Verdict } from '../../../shared/schemas/active';
import type { CheckResult } from '../../../shared/schemas/check';
import { retryDelayMs } from '../probes/active/limiter-headers';

const ms = (n: number) => `${Math.round(n)} ms`;

function stoppedEarly(stoppedBy: string): string | null {
  return stoppedBy === 'completed' ? null : `the run stopped early (${stoppedBy})`;
}

/** "Inconclusive: …" — a check that could not know says why (status error: unknown, never fail). */
const inconclusive = (reason: string) => ({ status: 'error' as const, summary: `Inconclusive: ${reason}` });

/** When the limiter said it would have budget again, as a sentence. */
function retryWhen(obs: RateLimitObservation): string {
  const first = obs.burst.requests.filter((r) => r.status === 429).sort((a, b) => a.receivedMs! - b.receivedMs!)[0];
  const at = Date.parse(obs.startedAt) + (first?.receivedMs ?? 0);
  const delay = retryDelayMs(obs.burst.retryAfter, obs.burst.resetHeader, at);
  if (delay === null) return `it sent no Retry-After or reset header, so wait one window (${obs.windowSeconds} s) with no other traffic from this client`;
  return `it says to retry in ${Math.ceil(delay / 1000)} s (after ${new Date(at + delay).toISOString().slice(11, 19)} UTC)`;
}

/**
 * Judged against the budget the limiter actually had: its RateLimit-Remaining (or
 * X-RateLimit-Remaining, or the combined RateLimit field) says how many requests were left
 * when the burst began, so other traffic from this client in the same window — a watcher, an
 * earlier run — is not blamed on the limiter. When it cannot know (no budget left, no
 * header to tell a stricter limit from traffic it did not send, requests that got no
 * answer) the verdict is inconclusive with the reason, never fail.
 */
export function checkRateLimitBoundary(obs: RateLimitObservation, id = 'ratelimit.list-insights'): CheckResult {
  const { burst, limit, windowSeconds } = obs;
  const budget = burst.limiter?.budgetAtStart ?? null;
  const advertised = burst.limiter?.advertisedLimit ?? null;
  const unanswered = burst.statuses.error ?? 0;
  const unansweredBefore = burst.unansweredBeforeFirst429 ?? unanswered;
  // Others used part of the bucket only if the limiter's own limit is the one expected; a fresh
  // bucket of another size is the limiter's real limit, not earlier traffic.
  const sameLimit = advertised === null || advertised === limit;
  const knownBudget = budget !== null && sameLimit ? Math.min(budget, limit) : null;
  const expected = (knownBudget ?? limit) + 1;
  const base = { id, title: `Request ${limit + 1} within ${windowSeconds} s gets 429`, category: 'security' as const, severity: 'high' as const, durationMs: obs.durationMs, fix: `Rate-limit this endpoint to ${limit} requests per ${windowSeconds} s per client and answer 429 with Retry-After.` };
  const evidence = {
    sent: burst.sent,
    statuses: burst.statuses,
    first429At: burst.first429At,
    expectedFirst429At: expected,
    budgetAtStart: budget,
    advertisedLimit: advertised,
    limiterHeaders: burst.limiter?.sources ?? [],
    unanswered,
    burstMs: burst.burstMs,
    sendSpreadMs: burst.sendSpreadMs,
    retryAfter: burst.retryAfter,
    resetHeader: burst.resetHeader,
    windowSeconds,
    postReset: obs.postReset,
    stoppedBy: obs.stoppedBy,
  };
  const crossing = burst.burstMs > windowSeconds * 1000 ? ` The burst took ${ms(burst.burstMs)}, longer than the ${windowSeconds} s window, so it may have crossed a window boundary.` : '';
  const usedBefore = knownBudget !== null && knownBudget < limit ? ` ${limit - knownBudget} of the ${limit} were already used in this window by other requests from this client, so the limiter had ${knownBudget} left (its ${burst.limiter!.sources.filter((s) => s !== 'retry-after').join(', ')} said so).` : '';
  const noAnswer = unanswered ? ` ${unanswered} of ${burst.sent} requests got no response (${[...new Set(burst.requests.filter((r) => r.status === null).map((r) => r.error))].slice(0, 2).join('; ')}).` : '';
  const early = stoppedEarly(obs.stoppedBy);
  if (early && burst.sent < burst.planned) {
    return { ...base, status: 'error', summary: `No verdict: ${early} after ${burst.sent} of ${burst.planned} requests.`, evidence };
  }
  if (budget === 0 && burst.refused > 0) {
    return { ...base, ...inconclusive(`the limiter had no budget left when the burst began: all ${burst.refused} answers were 429, so the limit of ${limit} per ${windowSeconds} s could not be measured. Earlier requests from this client used it up; ${retryWhen(obs)}, then run it again.`), evidence };
  }
  if (burst.refused === 0 && burst.sent < limit + 1) {
    return { ...base, status: 'error', summary: `No verdict: only ${burst.sent} requests were sent and none was refused, but the limit of ${limit} per ${windowSeconds} s can only be seen at request ${limit + 1}; send at least ${limit + 1} (--count ${limit + 1}, or leave --count out).`, evidence };
  }
  if (burst.refused === 0) {
    if (burst.allowed >= expected) {
      return { ...base, status: 'fail', summary: `no 429 after ${burst.sent} requests in ${ms(burst.burstMs)}: ${burst.allowed} were allowed, expected the first 429 at request ${expected} (limit ${limit} per ${windowSeconds} s).${usedBefore}${noAnswer}${crossing}`, evidence };
    }
    return { ...base, ...inconclusive(`no 429, but only ${burst.allowed} of ${burst.sent} requests were answered and the first 429 was due at request ${expected}.${noAnswer} The limiter may have counted the unanswered ones, so the boundary cannot be judged; run it again when the API answers every request.`), evidence };
  }
  const at = burst.first429At!;
  // A fresh bucket of another size, enforced exactly as advertised: the limiter's real limit is not
  // the one expected. A header that does not match what happened describes another policy (an
  // hourly one beside the per-minute one, say): judged by behaviour alone.
  if (!sameLimit && budget !== null && at === Math.min(budget, advertised!) + 1) {
    const how = advertised! < limit ? 'stricter than' : 'looser than';
    return { ...base, status: 'fail', summary: `first 429 at request ${at}, expected ${limit + 1}: the limit is ${how} ${limit} per ${windowSeconds} s (the limiter advertises ${advertised} in its ${burst.limiter!.sources.join(', ')}; ${burst.sent} sent in ${ms(burst.burstMs)}).${crossing}`, evidence };
  }
  if (at > expected) {
    return { ...base, status: 'fail', summary: `first 429 at request ${at}, expected ${expected}: the limit is looser than ${limit} per ${windowSeconds} s (${burst.sent} sent in ${ms(burst.burstMs)}).${usedBefore}${crossing}`, evidence };
  }
  if (at < expected) {
    if (expected - at <= unansweredBefore) {
      return { ...base, ...inconclusive(`first 429 at request ${at}, expected ${expected}, but ${unansweredBefore} requests sent before it got no response and the limiter may have counted them.${noAnswer} Run it again when the API answers every request.`), evidence };
    }
    if (knownBudget === null && !sameLimit) {
      return { ...base, ...inconclusive(`first 429 at request ${at}, expected ${expected}. The limiter's headers describe another policy (limit ${advertised}, ${budget} left), so requests this client made earlier in the window cannot be told from a stricter limit. Run it again after ${windowSeconds} s with no other traffic from this client.${crossing}`), evidence };
    }
    if (knownBudget === null) {
      return { ...base, ...inconclusive(`first 429 at request ${at}, expected ${expected}. The API sends no RateLimit-Remaining (or X-RateLimit-Remaining, or RateLimit) header, so requests this client made earlier in the window cannot be told from a stricter limit. Run it again after ${windowSeconds} s with no other traffic from this client, or have the API send RateLimit headers.${crossing}`), evidence };
    }
    return { ...base, status: 'fail', summary: `first 429 at request ${at}, expected ${expected}: the limit is stricter than ${limit} per ${windowSeconds} s (${burst.sent} sent in ${ms(burst.burstMs)}).${usedBefore}${crossing}`, evidence };
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
  const boundary = usedBefore ? `first 429 at request ${expected} = the ${expected - 1} the limiter had left + 1,` : `first 429 at request ${expected}`;
  return { ...base, status: 'pass', summary: `${boundary} of ${burst.sent} sent in ${ms(burst.burstMs)}, with ${hint}${after}.${usedBefore}${crossing}`, evidence };
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

/** When the API's own stream limit lets the probe try again, from the refused streams' Retry-After. */
function sseRetryWhen(obs: SseObservation): string {
  const refused = obs.streams.filter((r) => r.outcome === 'refused');
  const delays = refused.map((r) => retryDelayMs(r.retryAfter ?? null, null, Date.parse(obs.startedAt))).filter((d): d is number => d !== null);
  if (!delays.length) return 'it sent no Retry-After, so wait for its window (StartInsight: 5 streams per minute per client) before running it again';
  const delay = Math.max(...delays);
  return `it says to retry in ${Math.ceil(delay / 1000)} s (after ${new Date(Date.parse(obs.startedAt) + delay).toISOString().slice(11, 19)} UTC)`;
}

export function checkSseConnectionHold(obs: SseObservation, thresholds: SseThresholds = DEFAULT_SSE_THRESHOLDS): CheckResult {
  // Held = sessions attributed to the streams by pid (see sse-attribution.ts): new since the
  // baseline, alive through the hold, used while open, gone when the streams closed. The app's
  // pool sessions and each poll's own short session are not the streams'.
  const held = obs.heldByStreams;
  const maxHeld = thresholds.maxHeld ?? Math.max(1, Math.floor(obs.streamsOpened / 2));
  const a = obs.attribution;
  const base = { id: 'sse.connection-hold', title: 'SSE streams do not hold database connections', category: 'performance' as const, severity: 'high' as const, durationMs: obs.durationMs, fix: 'Open a session per poll and close it before waiting; never keep one checked out for the life of a stream.' };
  const evidence = {
    streamsRequested: obs.streamsRequested,
    streamsOpened: obs.streamsOpened,
    streamsRefused: obs.streamsRefused,
    streamsFailed: obs.streamsFailed,
    baseline: obs.baselineConnections,
    peak: obs.peakConnections,
    sustained: obs.sustainedConnections,
    heldByStreams: obs.heldByStreams,
    heldPids: a?.held.map((h) => h.pid) ?? null,
    stillOpenAfter: a?.stillOpen ?? null,
    poolSessionsNotCounted: a?.idlePool ?? null,
    shortLivedSessions: a?.shortLived ?? null,
    after: obs.afterConnections,
    held,
    maxHeld,
    totalLimit: thresholds.totalLimit,
    seconds: obs.seconds,
    samples: obs.samples.length,
    match: obs.match,
  };
  const refusedNote = obs.streamsRefused ? ` ${obs.streamsRefused} streams were refused by the server (429).` : '';
  const failedStreams = obs.streams.filter((r) => r.outcome === 'failed');
  const failedNote = failedStreams.length ? ` ${failedStreams.length} failed (${[...new Set(failedStreams.map((r) => r.error ?? `HTTP ${r.status}`))].slice(0, 2).join('; ')}).` : '';
  if (obs.streamsOpened === 0) {
    if (obs.streamsRefused > 0) {
      return { ...base, ...inconclusive(`the API's own stream limit refused all ${obs.streamsRefused} streams (429), so the test cannot run right now: ${sseRetryWhen(obs)}.`), evidence };
    }
    return { ...base, status: 'error', summary: `No verdict: no stream opened (${obs.streamsRefused} refused, ${obs.streamsFailed} failed).${failedNote}`, evidence };
  }
  const window = `${obs.streamsOpened} of ${obs.streamsRequested} streams open for ${obs.seconds} s`;
  const who = a ? ` (by pid: ${a.held.length} closed with the streams${a.stillOpen ? `, ${a.stillOpen} still open ${ms(obs.settleMs)} after they closed` : ''}; ${a.idlePool} pool and ${a.shortLived} per-poll sessions not counted)` : '';
  if (held > maxHeld) {
    return { ...base, status: 'fail', summary: `${window} held ${held} database sessions${who} — one per stream, released only when the streams closed (median while open ${obs.sustainedConnections}, peak ${obs.peakConnections}, baseline ${obs.baselineConnections}; allowed ${maxHeld}).${refusedNote}`, evidence };
  }
  if (obs.peakConnections >= thresholds.totalLimit) {
    return { ...base, status: 'fail', summary: `${window}: the app's sessions peaked at ${obs.peakConnections}, not below ${thresholds.totalLimit}.${refusedNote}`, evidence };
  }
  if (stoppedEarly(obs.stoppedBy)) {
    return { ...base, status: 'error', summary: `No verdict: ${stoppedEarly(obs.stoppedBy)}; peak ${obs.peakConnections} sessions so far.`, evidence };
  }
  if (obs.streamsOpened < obs.streamsRequested) {
    const why = obs.streamsRefused ? `the API's own stream limit refused ${obs.streamsRefused} (429); ${sseRetryWhen(obs)}` : `the rest did not open.${failedNote}`;
    return { ...base, ...inconclusive(`only ${obs.streamsOpened} of ${obs.streamsRequested} streams opened (${held} sessions held by them), but the test needs all ${obs.streamsRequested} open at once: ${why}. Ask for no more streams than the API allows one client (profile sse.streams, --streams).`), evidence };
  }
  if (!a && obs.afterConnections > obs.baselineConnections + thresholds.returnTolerance) {
    return { ...base, status: 'fail', summary: `${window}: sessions did not return to baseline ${ms(obs.settleMs)} after closing (${obs.afterConnections} vs ${obs.baselineConnections}).`, evidence };
  }
  return { ...base, status: 'pass', summary: `${window}: ${held} database sessions were held by the streams${who}; the app had ${obs.sustainedConnections} while they were open (baseline ${obs.baselineConnections}, peak ${obs.peakConnections}, below ${thresholds.totalLimit}).`, evidence };
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
