/** `expectations.http.rateLimits`: read by the rate-limit probe (what to burst) and both rate-limit checks (what to judge). */
import { z } from 'zod';
import { RateLimitExpectation } from '../../profile/fields';
import type { RateLimitRuns } from '../../probes/outputs';
import { checkRateLimitBoundary, checkXffBypass } from '../active';
import { skipped, verdictOf, type Verdict } from '../define';

export const RATE_LIMITS = { rateLimits: z.array(RateLimitExpectation).default([]) };

const WORST_FIRST: Verdict['status'][] = ['fail', 'error', 'warn', 'pass', 'skipped'];

/**
 * Every probed entry of `rateLimits[]` is judged (each was sent as a burst): one entry gives its
 * own verdict; several give the worst, with each entry's verdict in the summary and evidence.
 */
export function rateLimitVerdict(runs: RateLimitRuns, which: 'boundary' | 'xff'): Verdict {
  const judged = Object.entries(runs).map(([id, obs]) => ({ id, r: which === 'boundary' ? checkRateLimitBoundary(obs, `ratelimit.${id}`) : checkXffBypass(obs) }));
  if (!judged.length) return skipped('The profile has no probed rate limit (expectations.http.rateLimits with probe: true).');
  if (judged.length === 1) return verdictOf(judged[0]!.r);
  const worst = WORST_FIRST.find((status) => judged.some(({ r }) => r.status === status))!;
  const summary = judged.map(({ id, r }) => `${id} (${r.status}): ${r.summary}`).join(' | ');
  return { status: worst, summary, evidence: { entries: judged.map(({ id, r }) => ({ id, status: r.status, summary: r.summary, evidence: r.evidence })) } };
}
