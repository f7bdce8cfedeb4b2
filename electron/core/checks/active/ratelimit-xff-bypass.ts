/** ratelimit.xff-bypass: a forged X-Forwarded-For per request does not buy a fresh limit. */
import { defineCheck } from '../define';
import { RATE_LIMITS, rateLimitVerdict } from './rate-limits';

export default defineCheck({
  id: 'ratelimit.xff-bypass',
  title: 'A forged X-Forwarded-For does not dodge the rate limit',
  category: 'security',
  severity: 'high',
  fix: 'Rate limit keyed on the user or the real client address, not a caller-supplied X-Forwarded-For',
  needs: ['ratelimit'],
  expectations: { http: RATE_LIMITS },
  evaluate: ({ ratelimit: runs }) => rateLimitVerdict(runs, 'xff'),
});
