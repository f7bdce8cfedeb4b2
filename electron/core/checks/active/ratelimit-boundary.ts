/** ratelimit.list-insights: request limit+1 within the window is the first to get 429, with a reset hint. */
import { defineCheck } from '../define';
import { RATE_LIMITS, rateLimitVerdict } from './rate-limits';

export default defineCheck({
  id: 'ratelimit.list-insights',
  title: 'Request limit+1 within the window gets 429',
  category: 'security',
  severity: 'critical',
  fix: 'A Redis-backed rate limit per client on the API’s busiest endpoint: request limit+1 within the window gets 429 with Retry-After',
  needs: ['ratelimit'],
  expectations: { http: RATE_LIMITS },
  evaluate: ({ ratelimit: runs }) => rateLimitVerdict(runs, 'boundary'),
});
