/** `expectations.http.rateLimits`: read by the rate-limit probe (what to burst) and both rate-limit checks (what to judge). */
import { z } from 'zod';
import type { RateLimitObservation } from '../../../../shared/schemas/active';
import { RateLimitExpectation } from '../../profile/fields';
import type { RateLimitRuns } from '../../probes/outputs';

export const RATE_LIMITS = { rateLimits: z.array(RateLimitExpectation).default([]) };

/** The run a rate-limit check judges: the first probed limit of the profile that ran. */
export function judgedRun(runs: RateLimitRuns): RateLimitObservation | undefined {
  return runs['list-insights'] ?? Object.values(runs)[0];
}
