/**
 * The probe runners the engine knows, by name. A runner says whether it applies to an
 * environment (its target or file is configured), whether it is active (needs
 * --allow-active), its timeout, and how to produce its observation. The other features'
 * probes are driven from feature-probes.ts.
 */
import type { Consent } from '../../../shared/schemas/active';
import type { ProbeName, ProbeOutputs } from '../probes/outputs';
import type { LoadedProfile } from '../profile/load';
import type { Environment } from '../profile/schema';
import { resolveUrl } from '../profile/secrets';
import { ProbeClient, sampleActivity } from '../probes/postgres';
import { observeEnvFile } from '../probes/static/env-file';
import { observeRepo } from '../probes/static/repo-scan';
import type { ChecksStore } from '../store/checks-store';
import type { ManualTrigger } from '../probes/active/guardrails';
import { runHttpProbe, runPostgresCatalogProbe, runRateLimitProbes, runRedisProbe, runSseHoldProbe } from './feature-probes';
import { profilePath } from './paths';

export { profilePath };

export interface ProbeRunContext {
  loaded: LoadedProfile;
  environment: Environment;
  store: ChecksStore | null;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Who asked for the run (active probes record it in the audit log). */
  activeSource: ManualTrigger['source'];
  /** The environment name typed back: required before active probes touch a production environment. */
  confirmEnvironment?: string;
  /** From the UI: the typed consents (one per planned active probe) the person gave in the dialog. */
  consents?: Consent[];
}

export interface ProbeRunner<N extends ProbeName = ProbeName> {
  name: N;
  /** Needs --allow-active (sends load to the target). */
  active: boolean;
  timeoutMs: number;
  /** A timeout that depends on the profile (e.g. a sampling window); else timeoutMs. */
  timeoutFor?(ctx: Pick<ProbeRunContext, 'loaded' | 'environment'>): number;
  /** Targets whose URL (and so its secret) the probe resolves: checked before the run starts. */
  targets?: ('postgres' | 'redis')[];
  /** Null when the probe applies to this environment, else why not (e.g. no redis target). */
  notApplicable(ctx: Pick<ProbeRunContext, 'loaded' | 'environment'>): string | null;
  run(ctx: ProbeRunContext): Promise<ProbeOutputs[N]>;
}

/** One runner per probe id, each producing that id's ProbeOutputs entry. */
export type ProbeRegistry = { [N in ProbeName]: ProbeRunner<N> };

const needsTarget = (target: 'postgres' | 'redis' | 'api') => (ctx: Pick<ProbeRunContext, 'environment'>) =>
  ctx.environment.targets[target] ? null : `environment "${ctx.environment.name}" has no ${target} target`;

export const PROBES: ProbeRegistry = {
  postgres: {
    name: 'postgres',
    targets: ['postgres'],
    active: false,
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
    timeoutMs: 5000,
    notApplicable: (ctx) => (ctx.environment.repo ? null : `environment "${ctx.environment.name}" names no repo checkout`),
    async run(ctx) {
      return observeRepo(profilePath(ctx.loaded, ctx.environment.repo!), ctx.loaded.profile.expectations.repo?.rules ?? []);
    },
  },
  secretsBaseline: {
    name: 'secretsBaseline',
    active: false,
    timeoutMs: 1000,
    notApplicable: (ctx) => (ctx.environment.envFile ? null : `environment "${ctx.environment.name}" names no envFile`),
    async run(ctx) {
      const w = ctx.store?.currentWalkthrough(ctx.loaded.profile.name, ctx.environment.name) ?? null;
      return { walkthroughId: w?.id ?? null, startedAt: w?.startedAt ?? null, baseline: w ? ctx.store!.secretBaseline(w.id) : [] };
    },
  },
  postgresCatalog: { name: 'postgresCatalog', targets: ['postgres'], active: false, timeoutMs: 5000, notApplicable: needsTarget('postgres'), run: runPostgresCatalogProbe },
  redis: {
    name: 'redis',
    targets: ['redis'],
    active: false,
    notApplicable: needsTarget('redis'),
    timeoutMs: 3000,
    // Two samples a window apart, plus room for each round trip.
    timeoutFor: (ctx) => 3000 + (ctx.loaded.profile.expectations.redis?.windowSeconds ?? 1) * 1000,
    run: runRedisProbe,
  },
  // The readiness cross-check probes the environment's Postgres and Redis directly.
  http: { name: 'http', targets: ['postgres', 'redis'], active: false, timeoutMs: 5000, notApplicable: needsTarget('api'), run: runHttpProbe },
  ratelimit: { name: 'ratelimit', active: true, timeoutMs: 30_000, notApplicable: needsTarget('api'), run: runRateLimitProbes },
  sse: {
    name: 'sse',
    targets: ['postgres'],
    active: true,
    timeoutMs: 45_000,
    // Past the guard's own deadline (hold + 5 s settle + 15 s), so the guard stops it first.
    timeoutFor: (ctx) => 25_000 + (ctx.loaded.profile.expectations.http?.sse?.holdSeconds ?? 5) * 1000,
    notApplicable: needsTarget('api'),
    run: runSseHoldProbe,
  },
};
