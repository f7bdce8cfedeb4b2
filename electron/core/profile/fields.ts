/**
 * The zod pieces a profile is made of that checks and probes declare their expectations with:
 * ids, ratios, warn/fail bands, environments, and the shapes of the HTTP section's entries.
 * A leaf module (zod only), so checks can use it and the profile schema can assemble them.
 */
import { z } from 'zod';

export const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case id: letters, digits, ".", "_" or "-"');
export const EnvVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as DATABASE_URL');
export const Ratio = z.number().min(0).max(1);
export const Seconds = z.number().nonnegative();
export const HeaderName = (example: string) => z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, `an HTTP header name such as ${example}`);

/** A warning line and a failing line, warn ≤ fail (ratios, seconds, counts). */
export const Band = z.strictObject({ warn: z.number().nonnegative(), fail: z.number().nonnegative() }).refine((b) => b.warn <= b.fail, 'warn must not be above fail');
export type Band = z.infer<typeof Band>;

export function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Where a secret comes from: an environment variable or an OS keychain entry — never the value. */
export const SecretSource = z.union([
  z.strictObject({ env: EnvVarName }),
  z.strictObject({ keychain: z.strictObject({ service: z.string().min(1), account: z.string().min(1) }) }),
]);
export type SecretSource = z.infer<typeof SecretSource>;

/** A connection URL given either literally (no password in it, please) or as a secret's name. */
export const UrlRef = z.union([z.string().min(1), z.strictObject({ secret: Id })]);
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

export const RateLimitExpectation = z.strictObject({
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

/** cors.allowlist and env.cors-origins: httpsOnly makes any http:// allowed origin a failure. */
export const CorsExpectation = z
  .strictObject({
    allowedOrigins: z.array(z.url({ protocol: /^https?$/ })).min(1),
    httpsOnly: z.boolean().default(true),
    path: z.string().default('/health'),
    refusedOrigin: z.string().default('https://evil.example'),
    /** As requestId.poll: a non-health path is polled only when marked. */
    poll: z.boolean().default(false),
  })
  .optional();
