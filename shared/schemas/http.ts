import { z } from 'zod';

function validRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

/** One request Preflight made and what came back (headers and body already masked). */
export const HttpExchange = z.object({
  /** Which probe made it, e.g. `ready`, `cors.preflight https://evil.example`. */
  name: z.string(),
  method: z.string(),
  path: z.string(),
  at: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  /** null when the target did not answer (see `error`). */
  status: z.number().int().nullable(),
  /** Request sent → body fully read, in milliseconds; null when there was no answer. */
  latencyMs: z.number().nullable(),
  headers: z.record(z.string(), z.string()),
  /** The first 64 KiB of the body, masked (pretty-printed when JSON). */
  body: z.string(),
  bodyTruncated: z.boolean(),
  /** Bytes the body had (counted up to 8 MiB, past which the connection is closed); only the first 64 KiB are examined. */
  bodyBytes: z.number().int().nonnegative().optional(),
  error: z.string().nullable(),
});
export type HttpExchange = z.infer<typeof HttpExchange>;

/** Preflight's own direct probe of a backing service, taken beside /health/ready. */
export const DirectProbe = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().nullable() });
export type DirectProbe = z.infer<typeof DirectProbe>;

export const TlsObservation = z.object({
  host: z.string(),
  validTo: z.string().nullable(),
  daysToExpiry: z.number().nullable(),
  authorized: z.boolean(),
  authorizationError: z.string().nullable(),
  error: z.string().nullable(),
});
export type TlsObservation = z.infer<typeof TlsObservation>;

const HttpPaths = z.object({
  health: z.string().default('/health'),
  live: z.string().default('/health/live'),
  ready: z.string().default('/health/ready'),
  cors: z.string().default('/health'),
  /** A health path by default: a rate-limited or database-backed route must not be probed for headers (the watcher would poll it). */
  securityHeaders: z.string().default('/health'),
  notFound: z.string().default('/preflight-probe/not-found'),
  validation: z.string().default('/api/insights/not-a-number'),
  testError: z.string().nullable().default('/api/test-sentry'),
  webhook: z.string().nullable().default('/api/payments/webhook'),
  /** Where the request-id probes call: two calls without an id, one with ours. */
  requestId: z.string().default('/health'),
});

/** The request-id convention: which header, what a generated id looks like, whether ours is echoed. */
const RequestIdExpectation = z.object({
  header: z.string().min(1).default('X-Request-ID'),
  format: z.enum(['uuid', 'any']).default('uuid'),
  /** False when the API deliberately ignores a caller's id: request-id.echoed is then skipped and its request not sent. */
  echo: z.boolean().default(true),
});

const WebhookExpectation = z.object({
  /** The header carrying the signature; the forged attempt sends a random value in it. */
  signatureHeader: z.string().min(1).default('stripe-signature'),
  /** The exact status a missing or forged signature must get; null accepts any 4xx. */
  rejectStatus: z.number().int().min(400).max(499).nullable().default(null),
});

/** Status codes the health endpoints must answer with (readyUnhealthy: /health/ready while a dependency is down). */
const HealthStatuses = z.object({
  health: z.number().int().default(200),
  live: z.number().int().default(200),
  ready: z.number().int().default(200),
  readyUnhealthy: z.number().int().default(503),
});

/** What the passive HTTP probes expect of a target (a profile will fill this later). */
export const HttpExpectations = z.object({
  allowedOrigins: z.array(z.string().url()).default([]),
  /** Whether allowed origins are expected to get Access-Control-Allow-Credentials: true. */
  credentials: z.boolean().default(true),
  production: z.boolean().default(false),
  /** Every allowed origin must be https://; unset: the same as `production`. */
  httpsOnly: z.boolean().optional(),
  foreignOrigin: z.string().url().default('https://evil.example'),
  paths: HttpPaths.default(HttpPaths.parse({})),
  /**
   * Paths a scheduled watcher may poll beside the health endpoints (a profile's `poll: true`).
   * Everything else — rate-limited, database-backed, webhook and error routes — runs only in
   * one-shot runs (`preflight http`, `preflight check`), never on a schedule.
   */
  pollPaths: z.array(z.string().startsWith('/')).default([]),
  timeoutMs: z.number().int().min(100).max(30_000).default(2000),
  requestId: RequestIdExpectation.default(RequestIdExpectation.parse({})),
  webhook: WebhookExpectation.default(WebhookExpectation.parse({})),
  statuses: HealthStatuses.default(HealthStatuses.parse({})),
  /** Extra regular expressions (case-insensitive) no error body may match, beside the built-in leak detectors. */
  forbiddenPatterns: z.array(z.string().refine(validRegExp, 'a valid regular expression')).default([]),
});
export type HttpExpectationsInput = z.input<typeof HttpExpectations>;
export type HttpExpectations = z.output<typeof HttpExpectations>;

export const HttpObservation = z.object({
  baseUrl: z.string(),
  startedAt: z.string(),
  /** Wall time of the whole passive run, in milliseconds. */
  durationMs: z.number(),
  sentRequestId: z.string(),
  exchanges: z.array(HttpExchange),
  direct: z.object({ database: DirectProbe.nullable(), redis: DirectProbe.nullable() }),
  tls: TlsObservation.nullable(),
  /** Requests a scheduled run left out because their path may not be polled, with the reason. */
  withheld: z.array(z.object({ name: z.string(), method: z.string(), path: z.string(), reason: z.string() })).optional(),
});
export type HttpObservation = z.infer<typeof HttpObservation>;
