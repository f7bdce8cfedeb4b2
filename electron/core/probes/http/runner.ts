/** The passive HTTP probe's runner: one passive run, cross-checked against the environment's own Postgres and Redis. */
import type { HttpObservation } from '../../../../shared/schemas/http';
import { httpExpectationsFor } from '../../profile/http-expectations';
import { resolveUrl } from '../../profile/secrets';
import { needsTarget, type ProbeRunContext, type ProbeRunner } from '../runner';
import { runPassiveProbes } from './index';

async function optionalUrl(ref: Parameters<typeof resolveUrl>[0] | undefined, ctx: ProbeRunContext): Promise<string | undefined> {
  if (!ref) return undefined;
  // runChecks has already made sure every secret resolves (else a config error, exit 2).
  return resolveUrl(ref, ctx.environment, ctx.env);
}

/** One passive HTTP run, cross-checked against the environment's own Postgres and Redis. */
async function runHttpProbe(ctx: ProbeRunContext): Promise<HttpObservation> {
  const expectations = httpExpectationsFor(ctx.loaded.profile.expectations, ctx.environment);
  const [pgUrl, redisUrl] = await Promise.all([optionalUrl(ctx.environment.targets.postgres?.url, ctx), optionalUrl(ctx.environment.targets.redis?.url, ctx)]);
  return runPassiveProbes(ctx.environment.targets.api!.baseUrl, { expectations, pgUrl, redisUrl });
}

// The readiness cross-check probes the environment's Postgres and Redis directly.
export const httpRunner: ProbeRunner<'http'> = { name: 'http', targets: ['postgres', 'redis'], active: false, timeoutMs: 5000, notApplicable: needsTarget('api'), run: runHttpProbe };
