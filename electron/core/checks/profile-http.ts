/**
 * The profile's `expectations.http` turned into what the HTTP probes and checks take: the
 * passive run's paths and origins, and the health bodies as zod schemas. Pure, so the probe
 * runner and the checks read the very same expectations.
 */
import { z } from 'zod';
import { HttpExpectations } from '../../../shared/schemas/http';
import { isProductionEnvironment } from '../consent/production';
import type { Environment } from '../profile/fields';
import type { HealthExpectation, PassiveHttpExpectations } from './http/expectations';
import { STARTINSIGHT_BODIES, type HealthBodySchemas } from './http-bodies';

/** The part of a profile's expectations the passive HTTP run reads (the whole profile's fits). */
type Expectations = { http?: PassiveHttpExpectations };
type Health = HealthExpectation;

export function httpExpectationsFor(expectations: Expectations, environment: Pick<Environment, 'kind'> & { name?: string }): HttpExpectations {
  const http = expectations.http;
  const health = (id: Health['id'], fallback: string) => http?.health.find((h) => h.id === id)?.path ?? fallback;
  const healthPath = health('basic', '/health');
  const status = (id: Health['id']) => http?.health.find((h) => h.id === id)?.status;
  return HttpExpectations.parse({
    allowedOrigins: http?.cors?.allowedOrigins ?? [],
    // Production HTTP rules by the one "is production" rule, unless the profile says otherwise.
    production: http?.production ?? isProductionEnvironment({ name: environment.name ?? '', kind: environment.kind }),
    ...(http?.cors ? { httpsOnly: http.cors.httpsOnly } : {}),
    foreignOrigin: http?.cors?.refusedOrigin ?? 'https://evil.example',
    ...(http?.requestId ? { requestId: { header: http.requestId.header, format: http.requestId.format, echo: http.requestId.echo } } : {}),
    ...(http?.webhook ? { webhook: { signatureHeader: http.webhook.signatureHeader, rejectStatus: http.webhook.rejectStatus ?? null } } : {}),
    statuses: {
      health: status('basic'),
      live: status('live'),
      ready: status('ready'),
      readyUnhealthy: http?.health.find((h) => h.id === 'ready')?.whenUnhealthy?.status,
    },
    forbiddenPatterns: http?.errors?.forbiddenPatterns ?? [],
    paths: {
      health: healthPath,
      live: health('live', '/health/live'),
      ready: health('ready', '/health/ready'),
      cors: http?.cors?.path ?? healthPath,
      // Not a rate-limited route: the passive run must not spend the limiter's budget that
      // ratelimit.* measures right after it.
      securityHeaders: healthPath,
      validation: http?.errors?.probePaths[0] ?? '/api/insights/not-a-number',
      // Each call of a test-error endpoint is an error-tracker event: only when the profile names it.
      testError: http?.errors?.testErrorPath ?? null,
      webhook: http?.webhook?.path ?? null,
      requestId: http?.requestId?.path ?? healthPath,
    },
    // Health endpoints are pollable anyway; other paths only when the profile marks them.
    pollPaths: [http?.requestId?.poll ? http.requestId.path : undefined, http?.cors?.poll ? http.cors.path : undefined].filter((p): p is string => !!p),
  });
}

/** A JSON value: objects must contain these fields (others may be present), leaves must be equal. */
function containing(value: unknown): z.ZodType {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return z.looseObject(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, containing(v)])));
  }
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return z.literal(value as string | number | boolean | null);
  return z.custom((v) => JSON.stringify(v) === JSON.stringify(value), `expected ${JSON.stringify(value)}`);
}

function unhealthyShape(h: Health): z.ZodType | null {
  const u = h.whenUnhealthy;
  if (!u?.bodyStatus) return null;
  const state = u.checkPattern ? z.union([z.literal('healthy'), z.string().regex(new RegExp(u.checkPattern))]) : z.string();
  return z.looseObject({ status: z.literal(u.bodyStatus), checks: z.record(z.string(), state) });
}

/** Health bodies from the profile; ids the profile does not describe keep StartInsight's. */
export function healthSchemasFor(expectations: Expectations): HealthBodySchemas {
  const list = expectations.http?.health ?? [];
  const pick = (id: Health['id']): z.ZodType | null => {
    const h = list.find((x) => x.id === id);
    if (!h?.body) return null;
    const good = containing(h.body);
    const bad = unhealthyShape(h);
    return bad ? z.union([good, bad]) : good;
  };
  return {
    health: pick('basic') ?? STARTINSIGHT_BODIES.health,
    live: pick('live') ?? STARTINSIGHT_BODIES.live,
    ready: pick('ready') ?? STARTINSIGHT_BODIES.ready,
  };
}
