/**
 * The profile format (docs/profiles.md): one YAML file that describes a stack — its
 * environments and where their secrets live (never the values), what to expect of it, the
 * launch checklist and the alert rules. Objects are strict so a misspelt key is reported
 * with its line instead of being ignored.
 */
import { z } from 'zod';
import { CheckCategory, CheckSeverity } from '../../../shared/schemas/check';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case id: letters, digits, ".", "_" or "-"');
const EnvVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as DATABASE_URL');
const Ratio = z.number().min(0).max(1);
const Seconds = z.number().nonnegative();

/** Where a secret comes from: an environment variable or an OS keychain entry — never the value. */
export const SecretSource = z.union([
  z.strictObject({ env: EnvVarName }),
  z.strictObject({ keychain: z.strictObject({ service: z.string().min(1), account: z.string().min(1) }) }),
]);
export type SecretSource = z.infer<typeof SecretSource>;

/** A connection URL given either literally (no password in it, please) or as a secret's name. */
const UrlRef = z.union([z.string().min(1), z.strictObject({ secret: Id })]);
export type UrlRef = z.infer<typeof UrlRef>;

export const Environment = z.strictObject({
  name: Id,
  kind: z.enum(['production', 'staging', 'dev']),
  description: z.string().optional(),
  secrets: z.record(Id, SecretSource).default({}),
  targets: z
    .strictObject({
      postgres: z.strictObject({ url: UrlRef }).optional(),
      redis: z.strictObject({ url: UrlRef }).optional(),
      api: z.strictObject({ baseUrl: z.url({ protocol: /^https?$/ }) }).optional(),
      /** Sentry's web API, read by the launch watch for sentry.errors_per_hour (docs/monitoring.md). */
      sentry: z
        .strictObject({
          baseUrl: z.url({ protocol: /^https?$/ }).default('https://sentry.io'),
          organization: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'an organisation slug'),
          projects: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a project slug')).min(1),
          /** An auth token with project:read, named like a target URL's secret — never the token itself. */
          token: z.strictObject({ secret: Id }),
        })
        .optional(),
    })
    .default({}),
  /** Where a launch watch sends alert notifications besides the app: a Slack-compatible webhook URL kept in a secret. */
  notify: z.strictObject({ webhook: z.strictObject({ secret: Id }).optional() }).optional(),
  /** Backend .env file to inspect statically (relative paths are relative to the profile). */
  envFile: z.string().min(1).optional(),
  /** Local checkout of the app's repository, for the repo pattern rules. */
  repo: z.string().min(1).optional(),
});
export type Environment = z.infer<typeof Environment>;

const Band = z.strictObject({ warn: z.number().nonnegative(), fail: z.number().nonnegative() }).refine((b) => b.warn <= b.fail, 'warn must not be above fail');

const IndexExpectation = z.strictObject({
  name: z.string().min(1),
  table: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
  unique: z.boolean().default(false),
  /** Partial-index predicate, e.g. `deleted_at IS NULL` (matched by definition, like the columns). */
  where: z.string().min(1).optional(),
  /** Access method; btree unless said otherwise. */
  method: z.string().min(1).default('btree'),
  /** Listed by the team but not required (for example a column that does not exist). */
  optional: z.boolean().default(false),
  note: z.string().optional(),
});

const HealthExpectation = z.strictObject({
  id: z.enum(['basic', 'live', 'ready']),
  path: z.string().startsWith('/'),
  status: z.number().int().min(100).max(599),
  /** Fields the JSON body must contain with exactly these values (others may be present). */
  body: z.record(z.string(), z.unknown()).optional(),
  /** For readiness: the status and body it must return when a dependency is down. */
  whenUnhealthy: z.strictObject({ status: z.number().int(), bodyStatus: z.string().optional(), checkPattern: z.string().optional() }).optional(),
});

const RateLimitExpectation = z.strictObject({
  id: Id,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  path: z.string().startsWith('/'),
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
  /** Try to dodge the limit with a forged X-Forwarded-For per request. */
  tryForwardedForBypass: z.boolean().default(false),
  /** False for limits recorded for the record but not probed (e.g. the exact path is unknown). */
  probe: z.boolean().default(true),
  /**
   * Who the burst is sent as: anonymous (the default), or a bearer token named like a target
   * URL's secret — `{ bearer: { secret: name } }`, a key of each environment's `secrets`
   * (an environment variable or a keychain entry), never the token itself.
   */
  identity: z.union([z.literal('anonymous'), z.strictObject({ bearer: z.strictObject({ secret: Id }) })]).default('anonymous'),
  note: z.string().optional(),
});
export type RateLimitExpectation = z.infer<typeof RateLimitExpectation>;

const Expectations = z.strictObject({
  postgres: z
    .strictObject({
      /** max_connections the plan must give (StartInsight: Supabase Pro, 500). */
      maxConnectionsAtLeast: z.number().int().positive().optional(),
      /** Connections the app may use in total (pool_size + max_overflow per instance × instances). */
      connectionBudget: z.number().int().positive().optional(),
      poolUtilization: Band.default({ warn: 0.5, fail: 0.8 }),
      idleInTransactionSeconds: Band.default({ warn: 5, fail: 30 }),
      lockWaitSeconds: Band.default({ warn: 1, fail: 10 }),
      indexes: z.array(IndexExpectation).default([]),
      indexCount: z.strictObject({ like: z.string(), expected: z.number().int().nonnegative() }).optional(),
      migrations: z
        .strictObject({
          tool: z.enum(['alembic', 'preflight']).default('preflight'),
          /** The revision (alembic) or migration file (preflight, e.g. 0001_production_indexes) the database must be at. */
          head: z.string().min(1).optional(),
          /** Folder of Preflight migration files (relative to the profile): every one applied, checksums intact. */
          dir: z.string().min(1).optional(),
          table: z.string().optional(),
        })
        .refine((m) => m.head !== undefined || m.dir !== undefined, 'give "head", "dir" or both')
        .optional(),
    })
    .optional(),
  redis: z
    .strictObject({
      hitRateAtLeast: Ratio.default(0.8),
      memoryUsedRatio: Band.default({ warn: 0.75, fail: 0.9 }),
      evictionsPerMinuteAtMost: z.number().nonnegative().default(0),
      /** Seconds between the check run's two INFO samples (the window rates are computed over). */
      windowSeconds: z.number().positive().max(60).default(1),
      /** Fewer cache lookups than this in the window and redis.hit-rate does not judge (skipped). */
      minLookups: z.number().int().positive().default(100),
      /** Managed Redis (Upstash) answers only part of INFO. */
      partialInfo: z.boolean().default(false),
    })
    .optional(),
  http: z
    .strictObject({
      health: z.array(HealthExpectation).default([]),
      /** request-id.*: the header, what a generated id looks like, whether a caller's id is echoed, and where to call (default: the basic health path). */
      requestId: z
        .strictObject({
          header: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name such as X-Request-ID').default('X-Request-ID'),
          format: z.enum(['uuid', 'any']).default('uuid'),
          echo: z.boolean().default(true),
          path: z.string().startsWith('/').optional(),
        })
        .optional(),
      /** cors.allowlist (and env.cors-origins): httpsOnly makes any http:// allowed origin a failure. */
      cors: z.strictObject({ allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).min(1), httpsOnly: z.boolean().default(true), path: z.string().default('/health'), refusedOrigin: z.string().default('https://evil.example') }).optional(),
      /** webhook.signature: the forged attempt sends `signatureHeader`; with rejectStatus both attempts must get exactly it, else any 4xx. */
      webhook: z
        .strictObject({
          path: z.string().startsWith('/'),
          signatureHeader: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name such as stripe-signature').default('stripe-signature'),
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
      rateLimits: z.array(RateLimitExpectation).default([]),
      sse: z
        .strictObject({
          path: z.string().startsWith('/'),
          streams: z.number().int().positive().max(200),
          holdSeconds: z.number().positive().default(5),
          maxDbConnections: z.number().int().positive(),
          /** Which database sessions are the app's: its application_name, or its client address. */
          applicationName: z.string().min(1).optional(),
          clientAddress: z.string().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  envFile: z
    .strictObject({
      required: z.array(EnvVarName).default([]),
      /** Secret variables and their minimum length in characters (and an optional format). */
      secrets: z.record(EnvVarName, z.strictObject({ minLength: z.number().int().positive(), format: z.enum(['hex', 'any']).default('any') })).default({}),
      /** Variables that must have exactly this value (non-secret, e.g. ENVIRONMENT=production). */
      equals: z.record(EnvVarName, z.string()).default({}),
      /** The variable holding the comma-separated CORS origins, checked against http.cors. */
      corsVariable: EnvVarName.optional(),
      /** Secrets that must differ from their fingerprint at checklist start (secrets.rotated). */
      rotate: z.array(EnvVarName).default([]),
    })
    .optional(),
  repo: z
    .strictObject({
      rules: z
        .array(
          z.strictObject({
            id: Id,
            description: z.string(),
            under: z.string().min(1),
            extensions: z.array(z.string().startsWith('.')).min(1),
            /** A JavaScript regular expression; any match (outside comments, if asked) is a finding. */
            pattern: z.string().min(1).refine(validRegExp, 'a valid regular expression'),
            ignoreComments: z.boolean().default(true),
          }),
        )
        .default([]),
    })
    .optional(),
});
export type Expectations = z.infer<typeof Expectations>;

function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const PhaseId = z.enum(['pre-deploy', 'deploy', 'first-24h']);
export type PhaseId = z.infer<typeof PhaseId>;

const ChecklistStep = z
  .strictObject({
    id: Id,
    title: z.string().min(1),
    detail: z.string().optional(),
    /** Bound check ids: the step ticks itself when all pass with evidence newer than the phase start. */
    checks: z.array(z.string().min(1)).default([]),
    /** A person signs it off (name, UTC time, note). Steps without checks are always manual. */
    manual: z.boolean().default(false),
    /** Where the team's write-up lists this item, e.g. "pre-deploy 1" or "verification 3". */
    source: z.string().optional(),
    /**
     * Alert rule ids whose conditions this step is (first-24h steps): it ticks from a finished
     * launch watch only when none of them held at any moment of the whole watch.
     */
    watch: z.array(Id).default([]),
  })
  .refine((s) => s.checks.length > 0 || s.manual, { message: 'a step needs "checks" (automated) or "manual: true"', path: ['manual'] });
export type ChecklistStep = z.infer<typeof ChecklistStep>;

const ChecklistPhase = z.strictObject({ id: PhaseId, title: z.string().min(1), steps: z.array(ChecklistStep).min(1) });

const AlertRule = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** A metric name the launch watch publishes (electron/core/watch/metrics.ts), e.g. pg.utilization, http.5xx_per_hour. */
  metric: z.string().min(1),
  /**
   * For a metric no check judges (http.5xx_per_hour, sentry.errors_per_hour, …): the condition.
   * A metric a check judges takes the check's threshold from `expectations` instead (no copy).
   */
  op: z.enum(['>', '>=', '<', '<=']).optional(),
  value: z.number().optional(),
  /** Which of the check's bands the rule uses, for metrics with a warn/fail band. */
  threshold: z.enum(['warn', 'fail']).default('fail'),
  unit: z.string().optional(),
  /** The condition must hold this long before the alert fires. */
  forSeconds: Seconds.default(0),
  /** A firing alert resolves only once the value is back past this (default: the threshold less the metric's hysteresis). */
  clearValue: z.number().optional(),
  severity: CheckSeverity,
}).refine((r) => (r.op === undefined) === (r.value === undefined), { message: 'give "op" and "value" together', path: ['value'] });
export type AlertRule = z.infer<typeof AlertRule>;

const FixRecord = z.strictObject({
  id: Id,
  title: z.string().min(1),
  category: CheckCategory,
  severity: CheckSeverity,
  /** Check ids that verify this fix; empty when only a person can verify it (then say how in `manual`). */
  verifiedBy: z.array(z.string()).default([]),
  manual: z.string().optional(),
});

export const Profile = z.strictObject({
  version: z.literal(1),
  name: Id,
  description: z.string().optional(),
  environments: z.array(Environment).min(1),
  expectations: Expectations.default({}),
  score: z.strictObject({ readyAt: z.number().int().min(1).max(100).default(80) }).default({ readyAt: 80 }),
  /** The fixes the team made, each bound to the checks that prove it (documentation + coverage). */
  fixes: z.array(FixRecord).default([]),
  checklist: z.strictObject({ phases: z.array(ChecklistPhase).min(1) }).optional(),
  alerts: z.array(AlertRule).default([]),
});
export type Profile = z.infer<typeof Profile>;
