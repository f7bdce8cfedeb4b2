import { z } from 'zod';

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
  body: z.string(),
  bodyTruncated: z.boolean(),
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

export const HttpPaths = z.object({
  health: z.string().default('/health'),
  live: z.string().default('/health/live'),
  ready: z.string().default('/health/ready'),
  cors: z.string().default('/health'),
  securityHeaders: z.string().default('/api/insights?limit=1'),
  notFound: z.string().default('/preflight-probe/not-found'),
  validation: z.string().default('/api/insights/not-a-number'),
  testError: z.string().nullable().default('/api/test-sentry'),
  webhook: z.string().nullable().default('/api/payments/webhook'),
});

/** What the passive HTTP probes expect of a target (a profile will fill this later). */
export const HttpExpectations = z.object({
  allowedOrigins: z.array(z.string().url()).default([]),
  /** Whether allowed origins are expected to get Access-Control-Allow-Credentials: true. */
  credentials: z.boolean().default(true),
  production: z.boolean().default(false),
  foreignOrigin: z.string().url().default('https://evil.example'),
  paths: HttpPaths.default(HttpPaths.parse({})),
  timeoutMs: z.number().int().min(100).max(30_000).default(2000),
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
});
export type HttpObservation = z.infer<typeof HttpObservation>;
