/** The static probes' runners: the environment's env file, its repo checkout, and the secret baseline of the walkthrough. */
import { profilePath } from '../../profile/paths';
import type { ProbeRunner } from '../runner';
import { observeEnvFile } from './env-file';
import { observeRepo } from './repo-scan';

export const envFileRunner: ProbeRunner<'envFile'> = {
  name: 'envFile',
  active: false,
  timeoutMs: 2000,
  notApplicable: (ctx) => (ctx.environment.envFile ? null : `environment "${ctx.environment.name}" names no envFile`),
  async run(ctx) {
    const exp = ctx.loaded.profile.expectations.envFile;
    const publicNames = [...Object.keys(exp?.equals ?? {}), exp?.corsVariable ?? 'CORS_ORIGINS'];
    return observeEnvFile(profilePath(ctx.loaded, ctx.environment.envFile!), publicNames);
  },
};

export const repoRunner: ProbeRunner<'repo'> = {
  name: 'repo',
  active: false,
  timeoutMs: 5000,
  notApplicable: (ctx) => (ctx.environment.repo ? null : `environment "${ctx.environment.name}" names no repo checkout`),
  async run(ctx) {
    return observeRepo(profilePath(ctx.loaded, ctx.environment.repo!), ctx.loaded.profile.expectations.repo?.rules ?? []);
  },
};

/** The secret fingerprints taken when the checklist walkthrough started (from the store). */
export const secretsBaselineRunner: ProbeRunner<'secretsBaseline'> = {
  name: 'secretsBaseline',
  active: false,
  timeoutMs: 1000,
  notApplicable: (ctx) => (ctx.environment.envFile ? null : `environment "${ctx.environment.name}" names no envFile`),
  async run(ctx) {
    const w = ctx.store?.currentWalkthrough(ctx.loaded.profile.name, ctx.environment.name) ?? null;
    return { walkthroughId: w?.id ?? null, startedAt: w?.startedAt ?? null, baseline: w ? ctx.store!.secretBaseline(w.id) : [] };
  },
};
