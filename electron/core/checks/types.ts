/**
 * The seam between probes and checks. A probe (I/O) produces one observation under its name;
 * a check is a pure function of the observations and the profile's expectations.
 * Probes owned by other features plug in by adding their name to `ProbeName` and a runner in
 * engine/probes.ts; their checks read `observations[name]`.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { Environment, Expectations } from '../profile/schema';

export type ProbeName = 'postgres' | 'postgresCatalog' | 'redis' | 'http' | 'rateLimit' | 'sse' | 'envFile' | 'repo' | 'secretsBaseline';

/** What a probe left behind: its data, or why there is none. */
export type ProbeOutcome<T = unknown> =
  | { status: 'ok'; data: T; at: string; durationMs: number }
  | { status: 'error'; error: string; at: string; durationMs: number }
  | { status: 'skipped'; reason: string };

export type Observations = Partial<Record<ProbeName, ProbeOutcome>>;

/** The `data` of every ok observation, by probe name. */
export type ProbeData = Partial<Record<ProbeName, unknown>>;

export interface CheckContext {
  expectations: Expectations;
  environment: Environment;
}

export type Verdict = Pick<CheckResult, 'status' | 'summary' | 'evidence'>;

export interface CheckDefinition {
  id: string;
  title: string;
  category: CheckResult['category'];
  severity: CheckResult['severity'];
  /** The fix this check verifies. */
  fix: string;
  /** The probes whose observations the check reads; it is evaluated only when all are ok. */
  needs: ProbeName[];
  /** Pure: the probes' data (each known to be ok) and the expectations → a verdict. */
  evaluate(data: ProbeData, ctx: CheckContext): Verdict;
  /** Why the check does not apply to this environment at all (left out of the score), or null. */
  notApplicable?(environment: Environment): string | null;
}

export const pass = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'pass', summary, evidence });
export const warn = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'warn', summary, evidence });
export const fail = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'fail', summary, evidence });
export const skipped = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'skipped', summary, evidence });
