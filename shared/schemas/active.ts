/**
 * Active probes (rate-limit bursts, SSE holds): what they plan, what they observe and what a
 * run reports. Plain data shared by the engine, the CLI and the renderer.
 */
import { z } from 'zod';
import { CheckResult } from './check';
import { TypedConfirmation } from './confirmation';

/**
 * The active probes' ids: the same words as the engine's probe registry (`ProbeOutputs` keys),
 * the plans, the contract and the audit log's actions (`ratelimit.run`, `sse.run`).
 */
export const ActiveProbeKind = z.enum(['ratelimit', 'sse']);
export type ActiveProbeKind = z.infer<typeof ActiveProbeKind>;

/** What a person consents to: where traffic goes and how much of it. */
export const ActivePlan = z.object({
  kind: ActiveProbeKind,
  host: z.string(),
  endpoint: z.string(),
  requestCount: z.number().int().nonnegative(),
  maxConcurrency: z.number().int().positive(),
  /** How long streams stay open (SSE); null for bursts. */
  durationSeconds: z.number().nullable(),
  environment: z.string(),
  /** Production needs the environment's name typed back (DESIGN.md §3). */
  production: z.boolean(),
  /** What a dialog asks to be typed back (electron/core/consent/typed-confirmation.ts): the environment's name for production, else the host. */
  confirm: TypedConfirmation,
  /** One sentence: what will be sent where. */
  description: z.string(),
});
export type ActivePlan = z.infer<typeof ActivePlan>;

export const Consent = z.object({
  host: z.string(),
  endpoint: z.string(),
  requestCount: z.number().int().nonnegative(),
  environment: z.string(),
  typedEnvironment: z.string().optional(),
  /** Outside production the UI has the target host typed back, so a stray click never fires a burst. */
  typedHost: z.string().optional(),
});
export type Consent = z.infer<typeof Consent>;

export const StopReason = z.enum(['completed', 'cancelled', 'deadline', '5xx-threshold', 'request-cap']);
export type StopReason = z.infer<typeof StopReason>;

export const RequestRecord = z.object({
  /** 1-based, in launch order. */
  index: z.number().int().positive(),
  /** ms after the burst started, when the request got a connection and went out. */
  sentMs: z.number(),
  /** ms after the burst started, when the response headers arrived; null if none did. */
  receivedMs: z.number().nullable(),
  status: z.number().int().nullable(),
  /** Rate-limit headers only (RateLimit-*, X-RateLimit-*, Retry-After), names in lower case. */
  headers: z.record(z.string(), z.string()),
  /** Forged X-Forwarded-For value sent with this request (spoof burst only). */
  forwardedFor: z.string().nullable(),
  /** 'timeout', 'cancelled' or a connection error; null when a response arrived. */
  error: z.string().nullable(),
});
export type RequestRecord = z.infer<typeof RequestRecord>;

export const BurstObservation = z.object({
  label: z.enum(['identity', 'xff-spoof']),
  planned: z.number().int(),
  sent: z.number().int(),
  statuses: z.record(z.string(), z.number().int()),
  /** Responses the limiter did not refuse (any status but 429; errors excluded). */
  allowed: z.number().int(),
  refused: z.number().int(),
  /**
   * Position of the first refusal in the limiter's count: successes whose request went out
   * before the first 429 came back, plus one. Null when nothing was refused.
   */
  first429At: z.number().int().nullable(),
  /** First send to last response, ms. */
  burstMs: z.number(),
  /** First send to last send, ms. */
  sendSpreadMs: z.number(),
  retryAfter: z.string().nullable(),
  resetHeader: z.string().nullable(),
  /**
   * The limiter's own account of its budget, from its RateLimit-* / X-RateLimit-* / RateLimit
   * headers: `budgetAtStart` is how many requests it would still allow when the burst began
   * (0: every answer was a 429; null: no response said). Absent in older recordings.
   */
  limiter: z
    .object({ budgetAtStart: z.number().int().nullable(), advertisedLimit: z.number().int().nullable(), reset: z.string().nullable(), sources: z.array(z.string()) })
    .optional(),
  /** Requests sent before the first 429 arrived (all, when none did) that got no response: the limiter may or may not have counted them. */
  unansweredBeforeFirst429: z.number().int().optional(),
  requests: z.array(RequestRecord),
});
export type BurstObservation = z.infer<typeof BurstObservation>;

export const RateLimitObservation = z.object({
  url: z.string(),
  limit: z.number().int().positive(),
  windowSeconds: z.number().positive(),
  startedAt: z.string(),
  durationMs: z.number(),
  prewarmedConnections: z.number().int(),
  concurrency: z.number().int(),
  burst: BurstObservation,
  spoof: BurstObservation.nullable(),
  postReset: z
    .object({ waitedMs: z.number(), status: z.number().int().nullable(), error: z.string().nullable(), skippedBecause: z.string().nullable() })
    .nullable(),
  stoppedBy: StopReason,
  totalSent: z.number().int(),
});
export type RateLimitObservation = z.infer<typeof RateLimitObservation>;

export const Verdict = z.enum(['pass', 'fail', 'inconclusive']);
export type Verdict = z.infer<typeof Verdict>;

/** The CLI's --json document and the UI's result for a rate-limit run. */
export const RateLimitReport = z.object({
  url: z.string(),
  limit: z.number().int(),
  windowSeconds: z.number(),
  sent: z.number().int(),
  first429At: z.number().int().nullable(),
  statuses: z.record(z.string(), z.number().int()),
  burstMs: z.number(),
  sendSpreadMs: z.number(),
  retryAfter: z.string().nullable(),
  xffBypass: z.boolean().nullable(),
  postResetStatus: z.number().int().nullable(),
  stoppedBy: StopReason,
  verdict: Verdict,
  summary: z.string(),
  checks: z.array(CheckResult),
  observation: RateLimitObservation,
});
export type RateLimitReport = z.infer<typeof RateLimitReport>;

/**
 * The SSE probe's defaults, one value for the UI, the CLI, the contract and profiles (the UI
 * said 10 s, the demo profile 3 s, profiles 5 s: the same stack got different verdicts).
 * Here in shared because the renderer may import only shared; core re-exports them.
 */
export const DEFAULT_SSE_STREAMS = 20;
export const DEFAULT_SSE_HOLD_SECONDS = 5;

export const SseStreamRecord = z.object({
  index: z.number().int().positive(),
  status: z.number().int().nullable(),
  /** A refused stream's Retry-After (or RateLimit-Reset): when the API's own stream limit lets it try again. */
  retryAfter: z.string().nullable().optional(),
  outcome: z.enum(['opened', 'refused', 'failed']),
  events: z.number().int(),
  openedMs: z.number().nullable(),
  /** ms after start when the stream ended before we closed it; null if it stayed open. */
  endedEarlyMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type SseStreamRecord = z.infer<typeof SseStreamRecord>;

export const SseSample = z.object({
  /** ms after the probe started. */
  atMs: z.number(),
  phase: z.enum(['baseline', 'open', 'after']),
  openStreams: z.number().int(),
  /** The app's sessions in pg_stat_activity (matched by application name or client address). */
  sessions: z.number().int(),
  /** Of those, sessions not idle (active or idle in transaction). */
  busySessions: z.number().int(),
});
export type SseSample = z.infer<typeof SseSample>;

export const SseObservation = z.object({
  url: z.string(),
  database: z.string(),
  match: z.object({ applicationName: z.string().nullable(), clientAddress: z.string().nullable() }),
  startedAt: z.string(),
  durationMs: z.number(),
  seconds: z.number(),
  streamsRequested: z.number().int(),
  streamsOpened: z.number().int(),
  streamsRefused: z.number().int(),
  streamsFailed: z.number().int(),
  baselineConnections: z.number().int(),
  peakConnections: z.number().int(),
  /**
   * Median of the app's sessions over the samples taken while every opened stream was open:
   * what the streams hold, as opposed to a momentary spike of short-lived poll sessions.
   */
  sustainedConnections: z.number(),
  /**
   * Sessions that went away when the streams closed: the median while open minus the lowest
   * count in the first second after closing. A pool keeping idle sessions does not count.
   */
  heldByStreams: z.number(),
  /**
   * Which new sessions the streams held, by pid (baseline sampled just before opening): a
   * session counts when it appeared after the baseline, lived through the hold, was used
   * while the streams were open and closed with them. The app's pool sessions (in the
   * baseline, or opened once and left idle) and per-poll sessions (gone within a poll) do not.
   * Absent in older recordings (then heldByStreams is the count-based estimate).
   */
  attribution: z
    .object({
      held: z.array(z.object({ pid: z.number().int(), firstSeenMs: z.number(), goneMs: z.number().nullable(), uses: z.number().int() })),
      /** Held through the hold and used, but still open when the settle wait ended. */
      stillOpen: z.number().int(),
      /** New sessions that lived through the hold without being used again (a pool's idle connections). */
      idlePool: z.number().int(),
      /** New sessions seen only briefly (a poll's own session). */
      shortLived: z.number().int(),
      baselinePids: z.number().int(),
    })
    .optional(),
  afterConnections: z.number().int(),
  /** How long after closing the streams the sessions took to settle (or the wait gave up), ms. */
  settleMs: z.number(),
  samples: z.array(SseSample),
  skippedSamples: z.number().int(),
  streams: z.array(SseStreamRecord),
  stoppedBy: StopReason,
});
export type SseObservation = z.infer<typeof SseObservation>;

export const SseReport = SseObservation.pick({
  url: true,
  streamsOpened: true,
  streamsRefused: true,
  streamsFailed: true,
  baselineConnections: true,
  peakConnections: true,
  sustainedConnections: true,
  afterConnections: true,
  stoppedBy: true,
}).extend({
  /** Sessions released when the streams closed (see SseObservation.heldByStreams). */
  heldConnections: z.number(),
  verdict: Verdict,
  summary: z.string(),
  checks: z.array(CheckResult),
  observation: SseObservation,
});
export type SseReport = z.infer<typeof SseReport>;
