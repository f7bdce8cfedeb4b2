/**
 * A profile environment as the pages' form presets: the same rate-limit bursts and SSE hold a
 * check run would plan (probes/active/runner.ts), the profile's expected indexes and its migrations
 * folder. The demo hands these to the engine so every page opens on the demo stack.
 */
import { relative } from 'node:path';
import { stringify } from 'yaml';
import type { FormPresets } from '../../../shared/schemas/presets';
import type { LoadedProfile } from '../profile/load';
import { rateLimitRequests, sseRequest } from '../probes/active/runner';
import { profilePath } from '../profile/paths';
import { findEnvironment } from './run-checks';
import { HTTP_DEFAULT_INTERVAL_MS } from '../../../shared/contracts/http';
import { httpExpectationsFor } from '../profile/http-expectations';

export async function formPresetsFromProfile(loaded: LoadedProfile, environmentName: string, env: NodeJS.ProcessEnv = process.env): Promise<FormPresets> {
  const environment = findEnvironment(loaded, environmentName);
  const ctx = { loaded, environment, env };
  const source = `${relative(process.cwd(), loaded.file) || loaded.file}, environment ${environment.name}`;
  const hasApi = !!environment.targets.api;
  const burst = hasApi ? rateLimitRequests(ctx)[0]?.req : undefined;
  const sse = hasApi && loaded.profile.expectations.http?.sse ? await sseRequest(ctx) : null;
  const indexes = loaded.profile.expectations.postgres?.indexes ?? [];
  const migrations = loaded.profile.expectations.postgres?.migrations;
  const api = environment.targets.api;
  const httpExpectations = api ? httpExpectationsFor(loaded.profile.expectations, environment) : null;
  return {
    source,
    http: api && httpExpectations ? { baseUrl: api.baseUrl, allowedOrigins: httpExpectations.allowedOrigins, intervalMs: HTTP_DEFAULT_INTERVAL_MS, production: httpExpectations.production } : null,
    rateLimit: burst ? { url: burst.url, limit: burst.limit, windowSeconds: burst.windowSeconds, xffCheck: burst.xffCheck, environment: burst.environment } : null,
    sse: sse ? { url: sse.url, pgUrl: sse.pgUrl, applicationName: sse.applicationName ?? null, clientAddress: sse.clientAddress ?? null, streams: sse.streams, seconds: sse.seconds, environment: sse.environment } : null,
    indexes: indexes.length ? { yaml: stringify(indexes), source } : null,
    migrations: migrations?.dir ? { dir: profilePath(loaded, migrations.dir), environment: environment.name } : null,
  };
}
