/**
 * The probe runners the engine knows, by name. A runner says whether it applies to an
 * environment (its target or file is configured), whether it is active (needs
 * --allow-active), its timeout, and how to produce its observation. Probes owned by other
 * features (redis, http, postgresCatalog, rateLimit, sse) are listed with `available: false`
 * until they land: add `run` and set `available: true` here, and their checks start evaluating.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ProbeName } from '../checks/types';
import type { LoadedProfile } from '../profile/load';
import type { Environment } from '../profile/schema';
import { resolveUrl } from '../profile/secrets';
import { ProbeClient, sampleActivity } from '../probes/postgres';
import { observeEnvFile } from '../probes/static/env-file';
import { observeRepo } from '../probes/static/repo-scan';
import type { ChecksStore } from '../store/checks-store';

export interface ProbeRunContext {
  loaded: LoadedProfile;
  environment: Environment;
  store: ChecksStore | null;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

export interface ProbeRunner {
  name: ProbeName;
  /** Needs --allow-active (sends load to the target). */
  active: boolean;
  /** False while the probe is owned by a feature that has not landed. */
  available: boolean;
  timeoutMs: number;
  /** Null when the probe applies to this environment, else why not (e.g. no redis target). */
  notApplicable(ctx: Pick<ProbeRunContext, 'loaded' | 'environment'>): string | null;
  run?(ctx: ProbeRunContext): Promise<unknown>;
}

export function profilePath(loaded: LoadedProfile, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(loaded.file), path);
}

const needsTarget = (target: 'postgres' | 'redis' | 'api') => (ctx: Pick<ProbeRunContext, 'environment'>) =>
  ctx.environment.targets[target] ? null : `environment "${ctx.environment.name}" has no ${target} target`;

export const PROBES: Record<ProbeName, ProbeRunner> = {
  postgres: {
    name: 'postgres',
    active: false,
    available: true,
    timeoutMs: 5000,
    notApplicable: needsTarget('postgres'),
    async run(ctx) {
      const url = await resolveUrl(ctx.environment.targets.postgres!.url, ctx.environment, ctx.env);
      const client = new ProbeClient(url, { connectTimeoutMs: 4000 });
      const abort = () => void client.close();
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        return await sampleActivity(client, { budget: ctx.loaded.profile.expectations.postgres?.connectionBudget ?? null });
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        await client.close();
      }
    },
  },
  envFile: {
    name: 'envFile',
    active: false,
    available: true,
    timeoutMs: 2000,
    notApplicable: (ctx) => (ctx.environment.envFile ? null : `environment "${ctx.environment.name}" names no envFile`),
    async run(ctx) {
      const exp = ctx.loaded.profile.expectations.envFile;
      const publicNames = [...Object.keys(exp?.equals ?? {}), exp?.corsVariable ?? 'CORS_ORIGINS'];
      return observeEnvFile(profilePath(ctx.loaded, ctx.environment.envFile!), publicNames);
    },
  },
  repo: {
    name: 'repo',
    active: false,
    available: true,
    timeoutMs: 5000,
    notApplicable: (ctx) => (ctx.environment.repo ? null : `environment "${ctx.environment.name}" names no repo checkout`),
    async run(ctx) {
      return observeRepo(profilePath(ctx.loaded, ctx.environment.repo!), ctx.loaded.profile.expectations.repo?.rules ?? []);
    },
  },
  secretsBaseline: {
    name: 'secretsBaseline',
    active: false,
    available: true,
    timeoutMs: 1000,
    notApplicable: (ctx) => (ctx.environment.envFile ? null : `environment "${ctx.environment.name}" names no envFile`),
    async run(ctx) {
      const w = ctx.store?.currentWalkthrough(ctx.loaded.profile.name, ctx.environment.name) ?? null;
      return { walkthroughId: w?.id ?? null, startedAt: w?.startedAt ?? null, baseline: w ? ctx.store!.secretBaseline(w.id) : [] };
    },
  },
  postgresCatalog: { name: 'postgresCatalog', active: false, available: false, timeoutMs: 5000, notApplicable: needsTarget('postgres') },
  redis: { name: 'redis', active: false, available: false, timeoutMs: 3000, notApplicable: needsTarget('redis') },
  http: { name: 'http', active: false, available: false, timeoutMs: 5000, notApplicable: needsTarget('api') },
  rateLimit: { name: 'rateLimit', active: true, available: false, timeoutMs: 30_000, notApplicable: needsTarget('api') },
  sse: { name: 'sse', active: true, available: false, timeoutMs: 30_000, notApplicable: needsTarget('api') },
};
