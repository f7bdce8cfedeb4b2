/**
 * The profile's `expectations.http` turned into what the passive HTTP probe, its runner, the
 * launch watch's poll policy and the HTTP checks take: paths, origins, statuses. Pure, so every
 * reader sees the very same expectations. (The health bodies as zod schemas: checks/profile-http.ts.)
 */
import { HttpExpectations } from '../../../shared/schemas/http';
import type { HealthExpectation, PassiveHttpExpectations } from '../checks/http/expectations';
import { isProductionEnvironment } from '../consent/production';
import type { Environment } from './fields';

/** The part of a profile's expectations the passive HTTP run reads (the whole profile's fits). */
type Expectations = { http?: PassiveHttpExpectations };

export function httpExpectationsFor(expectations: Expectations, environment: Pick<Environment, 'kind'> & { name?: string }): HttpExpectations {
  const http = expectations.http;
  const health = (id: HealthExpectation['id'], fallback: string) => http?.health.find((h) => h.id === id)?.path ?? fallback;
  const healthPath = health('basic', '/health');
  const status = (id: HealthExpectation['id']) => http?.health.find((h) => h.id === id)?.status;
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
