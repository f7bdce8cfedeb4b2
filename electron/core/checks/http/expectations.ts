/**
 * `expectations.http` as the passive HTTP checks read it: health endpoints and bodies, request
 * ids, CORS, the webhook, production rules and error probes. One shape shared by the eleven
 * passive checks (they judge one observation of one run) and the HTTP probe (which plans its
 * requests from it through profile/http-expectations.ts).
 */
import { z } from 'zod';
import { CorsExpectation, HeaderName, validRegExp } from '../../profile/fields';

const HealthExpectation = z.strictObject({
  id: z.enum(['basic', 'live', 'ready']),
  path: z.string().startsWith('/'),
  status: z.number().int().min(100).max(599),
  /** Fields the JSON body must contain with exactly these values (others may be present). */
  body: z.record(z.string(), z.unknown()).optional(),
  /** For readiness: the status and body it must return when a dependency is down. */
  whenUnhealthy: z.strictObject({ status: z.number().int(), bodyStatus: z.string().optional(), checkPattern: z.string().optional() }).optional(),
});

export const PASSIVE_HTTP = {
  health: z.array(HealthExpectation).default([]),
  /** request-id.*: the header, what a generated id looks like, whether a caller's id is echoed, and where to call (default: the basic health path). */
  requestId: z
    .strictObject({
      header: HeaderName('X-Request-ID').default('X-Request-ID'),
      format: z.enum(['uuid', 'any']).default('uuid'),
      echo: z.boolean().default(true),
      path: z.string().startsWith('/').optional(),
      /** A path other than a health endpoint is polled by a watcher only when marked (never a rate-limited or database-backed route). */
      poll: z.boolean().default(false),
    })
    .optional(),
  cors: CorsExpectation,
  /** webhook.signature: the forged attempt sends `signatureHeader`; with rejectStatus both attempts must get exactly it, else any 4xx. */
  webhook: z
    .strictObject({
      path: z.string().startsWith('/'),
      signatureHeader: HeaderName('stripe-signature').default('stripe-signature'),
      rejectStatus: z.number().int().min(400).max(499).optional(),
    })
    .optional(),
  /** Production rules for CORS (https only, no credentials to others); default: the environment's kind. */
  production: z.boolean().optional(),
  errors: z
    .strictObject({
      probePaths: z.array(z.string().startsWith('/')).default([]),
      /** Called once per one-shot check run (never by the scheduled monitor): each call is an error-tracker event. */
      testErrorPath: z.string().startsWith('/').optional(),
      /** Extra regular expressions (case-insensitive) no error body may match, beside the built-in leak detectors. */
      forbiddenPatterns: z.array(z.string().min(1).refine(validRegExp, 'a valid regular expression')).default([]),
    })
    .optional(),
};

export type PassiveHttpExpectations = z.output<z.ZodObject<typeof PASSIVE_HTTP>>;
export type HealthExpectation = z.output<typeof HealthExpectation>;
