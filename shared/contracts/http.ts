import { z } from 'zod';
import { CheckResult } from '../schemas/check';
import { HttpExchange, HttpExpectations } from '../schemas/http';
import { TargetStatus } from '../schemas/target-status';
import { HttpUrl, PostgresUrl, RedisUrl } from '../schemas/urls';

const TargetRef = z.object({ targetId: z.string().min(1).max(100) });

export const HttpTarget = z.object({
  targetId: z.string(),
  /** Base URL with any credentials masked. */
  label: z.string(),
  intervalMs: z.number().int(),
  runs: z.number().int(),
  skippedRuns: z.number().int(),
  status: TargetStatus,
});
export type HttpTarget = z.infer<typeof HttpTarget>;

export const EndpointSample = z.object({ at: z.string(), status: z.number().int().nullable(), latencyMs: z.number().nullable(), error: z.string().nullable() });
export type EndpointSample = z.infer<typeof EndpointSample>;

/** One probed endpoint: its latest exchange and its recent history (oldest first). */
export const EndpointRow = z.object({ name: z.string(), last: HttpExchange, samples: z.array(EndpointSample) });
export type EndpointRow = z.infer<typeof EndpointRow>;

export const HttpRunSummary = z.object({ at: z.string(), durationMs: z.number(), requests: z.number().int(), results: z.array(CheckResult) });
export type HttpRunSummary = z.infer<typeof HttpRunSummary>;

/** How often a watched API is probed unless told otherwise: the contract's default and the probe form's. */
export const HTTP_DEFAULT_INTERVAL_MS = 15_000;

export const httpCalls = {
  'http.watch': {
    input: z.object({
      baseUrl: HttpUrl,
      intervalMs: z.number().int().min(2000).max(3_600_000).default(HTTP_DEFAULT_INTERVAL_MS),
      expectations: HttpExpectations.default(HttpExpectations.parse({})),
      /** Optional direct probes for the readiness cross-check (never sent back). */
      pgUrl: PostgresUrl.optional(),
      redisUrl: RedisUrl.optional(),
    }),
    output: HttpTarget,
  },
  'http.unwatch': { input: TargetRef, output: z.object({ stopped: z.boolean() }) },
  'http.targets': { input: z.object({}), output: z.array(HttpTarget) },
  /** One target with its current state and last error: what the page reads on mount. */
  'http.status': { input: TargetRef, output: HttpTarget },
  'http.endpoints': {
    input: TargetRef,
    output: z.object({ target: HttpTarget, lastRun: HttpRunSummary.nullable(), endpoints: z.array(EndpointRow) }),
  },
} as const;

export const httpEvents = {
  'http.run': z.object({ targetId: z.string(), at: z.string(), durationMs: z.number(), failing: z.number().int() }),
} as const;
