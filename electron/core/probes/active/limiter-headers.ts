/**
 * What a rate limiter says about its own budget, from the headers it answers with:
 * `RateLimit-Limit/-Remaining/-Reset` (IETF draft ≤ 06), `X-RateLimit-*` (GitHub, nginx,
 * slowapi…), the combined `RateLimit` structured field (`limit=100, remaining=87, reset=19`
 * in draft 07, `"default";r=87;t=19` with `RateLimit-Policy: "default";q=100;w=60` from
 * draft 08) and `Retry-After`. Pure, linear-time, and bounded: header values are short.
 */
import type { RequestRecord } from '../../../../shared/schemas/active';

export interface LimiterState {
  limit: number | null;
  remaining: number | null;
  /** The reset as sent (seconds to wait, or a Unix time), for retryDelayMs. */
  reset: string | null;
  retryAfter: string | null;
  /** Which headers the numbers came from, for the evidence. */
  sources: string[];
}

const MAX_VALUE = 512;

function int(value: string | undefined): number | null {
  if (!value) return null;
  const m = /^\s*(\d{1,12})/.exec(value.slice(0, MAX_VALUE));
  return m ? Number(m[1]) : null;
}

/** `key=123` (draft 07, `limit=`/`remaining=`/`reset=`) or `;k=123` (draft 08 parameters). */
function param(value: string | undefined, ...keys: string[]): number | null {
  if (!value) return null;
  const text = value.slice(0, MAX_VALUE);
  for (const key of keys) {
    const m = new RegExp(`(?:^|[\\s,;])${key}=(\\d{1,12})`, 'i').exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

function readLimiterHeaders(h: Record<string, string>): LimiterState {
  const sources: string[] = [];
  const pick = <T>(candidates: [string, T | null][]): T | null => {
    for (const [name, v] of candidates) {
      if (v !== null && v !== undefined) {
        sources.push(name);
        return v;
      }
    }
    return null;
  };
  const combined = h['ratelimit'];
  const policy = h['ratelimit-policy'] ?? h['x-ratelimit-policy'];
  const limit = pick<number>([
    ['ratelimit-limit', int(h['ratelimit-limit'])],
    ['x-ratelimit-limit', int(h['x-ratelimit-limit'])],
    ['ratelimit', param(combined, 'limit')],
    ['ratelimit-policy', param(policy, 'q') ?? int(policy)],
  ]);
  const remaining = pick<number>([
    ['ratelimit-remaining', int(h['ratelimit-remaining'])],
    ['x-ratelimit-remaining', int(h['x-ratelimit-remaining'])],
    ['ratelimit', param(combined, 'remaining', 'r')],
  ]);
  const resetNumber = param(combined, 'reset', 't');
  const reset = pick<string>([
    ['ratelimit-reset', h['ratelimit-reset'] ?? null],
    ['x-ratelimit-reset', h['x-ratelimit-reset'] ?? null],
    ['ratelimit', resetNumber === null ? null : String(resetNumber)],
  ]);
  const retryAfter = h['retry-after'] ?? null;
  if (retryAfter) sources.push('retry-after');
  return { limit, remaining, reset, retryAfter, sources };
}

export interface BurstBudget {
  /**
   * Requests the limiter would still allow when the burst began: the highest remaining count
   * any allowed response reported, plus the request that response spent; 0 when every
   * answer was a 429. Null when no response said how much was left.
   */
  budgetAtStart: number | null;
  /** The limit the limiter advertises, when it does. */
  advertisedLimit: number | null;
  /** The first refusal's reset hint (RateLimit-Reset, X-RateLimit-Reset or the combined field). */
  reset: string | null;
  /** Header names the figures came from. */
  sources: string[];
}

/** Pure: the limiter's budget as the burst's answers reported it. */
export function burstBudget(records: RequestRecord[]): BurstBudget {
  const answered = records.filter((r) => r.status !== null);
  const states = answered.map((r) => ({ r, s: readLimiterHeaders(r.headers) }));
  const allowed = states.filter(({ r }) => r.status !== 429);
  const remainings = allowed.map(({ s }) => s.remaining).filter((n): n is number => n !== null);
  const refused = states.filter(({ r }) => r.status === 429);
  let budgetAtStart: number | null = null;
  if (remainings.length) budgetAtStart = Math.max(...remainings) + 1;
  else if (answered.length && !allowed.length) budgetAtStart = 0;
  const limits = states.map(({ s }) => s.limit).filter((n): n is number => n !== null);
  const firstRefused = refused.sort((a, b) => (a.r.receivedMs ?? 0) - (b.r.receivedMs ?? 0))[0]?.s ?? null;
  return {
    budgetAtStart,
    advertisedLimit: limits.length ? Math.max(...limits) : null,
    reset: firstRefused?.reset ?? null,
    sources: [...new Set(states.flatMap(({ s }) => s.sources))],
  };
}

/** Above this a bare number is a Unix time in seconds (2001-09-09), not seconds to wait. */
const EPOCH_SECONDS_FLOOR = 1e9;
/** Above this it is a Unix time in milliseconds. */
const EPOCH_MS_FLOOR = 1e12;

/**
 * How long until the limiter resets, from Retry-After (seconds or an HTTP date) or a reset
 * header (seconds to wait, or, as some X-RateLimit-Reset send, a Unix time in s or ms).
 */
export function retryDelayMs(retryAfter: string | null, resetHeader: string | null, now = Date.now()): number | null {
  for (const value of [retryAfter, resetHeader]) {
    if (!value) continue;
    const n = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(n)) {
      if (n > EPOCH_MS_FLOOR) return Math.max(0, n - now);
      if (n > EPOCH_SECONDS_FLOOR) return Math.max(0, n * 1000 - now);
      return Math.max(0, n * 1000);
    }
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return null;
}
