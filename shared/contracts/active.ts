import { z } from 'zod';
import { ActiveProbeKind, ActivePlan, Consent, DEFAULT_SSE_HOLD_SECONDS, DEFAULT_SSE_STREAMS, RateLimitReport, SseReport, SseSample } from '../schemas/active';
import { HttpUrl, PostgresUrl } from '../schemas/urls';

const environment = z.string().trim().min(1).max(100);

/**
 * A bearer identity by reference: a secret of one environment of a profile. The engine resolves
 * it (environment variable or keychain) and sends it only to that environment's own API host;
 * the token never crosses the contract.
 */
export const BearerIdentityRef = z.object({
  profile: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a profile name from checks.profiles'),
  environment: z.string().min(1).max(100),
  secret: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a secret name from the environment\'s "secrets"').max(100),
});
export type BearerIdentityRef = z.infer<typeof BearerIdentityRef>;

const RateLimitRunInput = z.object({
  kind: z.literal('ratelimit'),
  url: HttpUrl,
  limit: z.number().int().positive().max(10_000),
  windowSeconds: z.number().positive().max(86_400).default(60),
  xffCheck: z.boolean().default(false),
  checkReset: z.boolean().default(false),
  /** Explicit total deadline; the reset check needs the window + 30 s (hard maximum 180 s). */
  deadlineSeconds: z.number().positive().max(180).optional(),
  /** Anonymous when null. */
  identity: BearerIdentityRef.nullable().default(null),
  environment,
});

const SseRunInput = z.object({
  kind: z.literal('sse'),
  url: HttpUrl,
  pgUrl: PostgresUrl,
  applicationName: z.string().max(200).nullable().default(null),
  clientAddress: z.string().max(100).nullable().default(null),
  streams: z.number().int().positive().max(50).default(DEFAULT_SSE_STREAMS),
  seconds: z.number().positive().max(120).default(DEFAULT_SSE_HOLD_SECONDS),
  environment,
});

export const ActiveRunRequest = z.discriminatedUnion('kind', [RateLimitRunInput, SseRunInput]);
export type ActiveRunRequest = z.infer<typeof ActiveRunRequest>;

export const ActiveProgress = z.object({
  runId: z.string(),
  kind: ActiveProbeKind,
  phase: z.string(),
  sent: z.number().int(),
  planned: z.number().int(),
  elapsedMs: z.number(),
  /** SSE runs: the latest open-streams / sessions sample. */
  sample: SseSample.nullable(),
});
export type ActiveProgress = z.infer<typeof ActiveProgress>;

export const ActiveRunState = z.object({
  runId: z.string(),
  kind: ActiveProbeKind,
  plan: ActivePlan,
  status: z.enum(['running', 'finished', 'failed']),
  startedAt: z.string(),
  progress: ActiveProgress.nullable(),
  samples: z.array(SseSample),
  rateLimit: RateLimitReport.nullable(),
  sse: SseReport.nullable(),
  error: z.string().nullable(),
});
export type ActiveRunState = z.infer<typeof ActiveRunState>;

const RunRef = z.object({ runId: z.string().min(1).max(100) });

export const activeCalls = {
  /** What a run would send where; the UI shows it in the consent dialog. Sends nothing. */
  'active.plan': { input: ActiveRunRequest, output: ActivePlan },
  /** Starts a run after consent; progress and the result arrive as events. */
  'active.start': { input: z.object({ request: ActiveRunRequest, consent: Consent }), output: ActiveRunState },
  'active.cancel': { input: RunRef, output: z.object({ cancelled: z.boolean() }) },
  'active.runs': { input: z.object({}), output: z.array(ActiveRunState) },
} as const;

export const activeEvents = {
  'active.progress': ActiveProgress,
  'active.finished': ActiveRunState,
} as const;
