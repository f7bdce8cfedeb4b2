/**
 * What a probe runner is: the registry (probes/registry.ts) holds one per probe id, each beside
 * its probe (probes/<target>/runner.ts). A runner says whether it applies to an environment (its
 * target or file is configured), whether it is active (needs --allow-active), its timeout, and
 * how to produce its observation (`ProbeOutputs[id]`).
 */
import type { Consent, RateLimitObservation, SseObservation, Verdict } from '../../../shared/schemas/active';
import type { LoadedProfile } from '../profile/load';
import type { Environment } from '../profile/schema';
import type { ChecksStore } from '../store/checks-store';
import type { ManualTrigger } from './active/guardrails';
import type { ProbeName, ProbeOutputs } from './outputs';

/**
 * The checks that judge an active run for its audit entry. Probes never import checks: the
 * engine hands them in (engine/run-checks.ts).
 */
export interface ActiveJudges {
  ratelimit(obs: RateLimitObservation): { verdict: Verdict; xffBypass: boolean | null };
  sse(obs: SseObservation, maxDbConnections: number | null): { verdict: Verdict };
}

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
  /** The verdicts recorded with active runs in the audit log. */
  judges?: ActiveJudges;
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

export const needsTarget = (target: 'postgres' | 'redis' | 'api') => (ctx: Pick<ProbeRunContext, 'environment'>) =>
  ctx.environment.targets[target] ? null : `environment "${ctx.environment.name}" has no ${target} target`;

/** Closes what a probe opened when the run's signal aborts; returns the detach. */
export function abortable(signal: AbortSignal, close: () => unknown): () => void {
  const onAbort = () => void close();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
