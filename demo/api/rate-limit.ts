/**
 * A sliding-window-log rate limiter in Redis (one sorted set per client and route, trimmed and
 * counted atomically in Lua). Exact at any window boundary, so "request 101 within a minute
 * gets 429" holds no matter when the burst starts. Rejected requests are not counted.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';

const SLIDING_WINDOW = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {1, limit - count - 1, tonumber(oldest[2]) + window - now}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
`;

export interface RateLimitRule {
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until a slot frees up (the oldest counted request leaves the window). */
  resetMs: number;
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async hit(rule: RateLimitRule, client: string): Promise<RateLimitDecision> {
    const key = `${this.keyPrefix}:${rule.name}:${client}`;
    const now = Date.now();
    const reply = (await this.redis.eval(SLIDING_WINDOW, 1, key, now, rule.windowMs, rule.limit, `${now}-${randomUUID()}`)) as number[];
    return { allowed: reply[0] === 1, limit: rule.limit, remaining: Number(reply[1]), resetMs: Math.max(0, Number(reply[2])) };
  }
}

/** Who the limit counts against: the socket's address, or (the twin) a forgeable header. */
export function clientKey(req: IncomingMessage, trustForwardedFor: boolean): string {
  if (trustForwardedFor) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const resetSeconds = String(Math.ceil(d.resetMs / 1000));
  return {
    'ratelimit-limit': String(d.limit),
    'ratelimit-remaining': String(d.remaining),
    'ratelimit-reset': resetSeconds,
    ...(d.allowed ? {} : { 'retry-after': resetSeconds }),
  };
}
