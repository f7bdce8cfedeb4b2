/**
 * A check is one module: `export default defineCheck({ id, title, category, severity, fix,
 * needs, expectations, evaluate })`. `needs` names probes (keys of ProbeOutputs) and evaluate
 * receives exactly their observations, typed; `expectations` is the check's part of the
 * profile (`expectations.<section>.<key>`, zod with defaults) and evaluate receives it parsed,
 * defaults filled in. evaluate is pure. The catalogue (catalogue.ts) is the list of these
 * modules; the profile schema, `check --list` and the docs table are derived from it.
 */
import { z } from 'zod';
import type { CheckResult } from '../../../shared/schemas/check';
import type { ProbeName, ProbeOutputs } from '../probes/outputs';
import type { Environment } from '../profile/fields';

export type { ProbeName, ProbeOutputs };

/** The profile's `expectations` sections a check (or a probe) can add keys to. */
export const SECTIONS = ['postgres', 'redis', 'http', 'envFile', 'repo'] as const;
export type Section = (typeof SECTIONS)[number];

/** Keys a check reads, by section: `{ postgres: { poolUtilization: Band.default(…) } }`. */
export type ExpectationShape = { [S in Section]?: z.ZodRawShape };

/** What evaluate receives: every declared section, parsed, with defaults filled in. */
export type ExpectationsOf<X extends ExpectationShape> = { [S in keyof X]-?: z.output<z.ZodObject<NonNullable<X[S]>>> };

export type Verdict = Pick<CheckResult, 'status' | 'summary' | 'evidence'>;

export interface CheckContext {
  /** The profile environment a check run judges; watchers and single-target commands have none. */
  environment?: Environment;
}

export interface CheckSpec<N extends ProbeName, X extends ExpectationShape> {
  /** Stable id, `<target>.<what>`; stored runs, checklists and CI gates refer to it. */
  id: string;
  title: string;
  category: CheckResult['category'];
  severity: CheckResult['severity'];
  /** The fix this check verifies, for any stack; a profile's `fixes` name its own. */
  fix: string;
  /** The probes whose observations the check reads; it is evaluated only when all are ok. */
  needs: readonly N[];
  expectations: X;
  /**
   * The keys (`section.key`) this check's verdict turns on, when narrower than `expectations`
   * (the passive HTTP checks share one shape); shown by --list and in the docs table.
   */
  reads?: readonly string[];
  /** Pure: the probes' observations and the check's expectations → a verdict. */
  evaluate(observation: Pick<ProbeOutputs, N>, expectations: ExpectationsOf<X>, ctx: CheckContext): Verdict;
  /** Why the check does not apply to this environment at all (left out of the score), or null. */
  notApplicable?(environment: Environment): string | null;
}

/** The defaults make any definition assignable to `CheckDefinition` (lists walk them without knowing their types). */
export interface CheckDefinition<N extends ProbeName = ProbeName, X extends ExpectationShape = Record<never, never>> extends CheckSpec<N, X> {
  /** Parses the profile's `expectations` into this check's part of it (unknown keys ignored, defaults filled). */
  readExpectations(profileExpectations: unknown): ExpectationsOf<X>;
}

export function defineCheck<N extends ProbeName, X extends ExpectationShape>(spec: CheckSpec<N, X>): CheckDefinition<N, X> {
  const schema = z.object(
    Object.fromEntries(Object.entries(spec.expectations).map(([section, shape]) => [section, z.object(shape as z.ZodRawShape).prefault({})])),
  );
  return {
    ...spec,
    readExpectations: (profileExpectations) => schema.parse(profileExpectations ?? {}) as ExpectationsOf<X>,
  };
}

/** Runs one check over observations it is known to have (the engine checks the probes were ok). */
export function evaluateDefinition<N extends ProbeName, X extends ExpectationShape>(
  check: CheckDefinition<N, X>,
  observation: Pick<ProbeOutputs, N>,
  profileExpectations: unknown,
  ctx: CheckContext,
): Verdict {
  return check.evaluate(observation, check.readExpectations(profileExpectations), ctx);
}

export const pass = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'pass', summary, evidence });
export const warn = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'warn', summary, evidence });
export const fail = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'fail', summary, evidence });
export const skipped = (summary: string, evidence: Record<string, unknown> = {}): Verdict => ({ status: 'skipped', summary, evidence });
export const verdictOf = (r: Pick<CheckResult, 'status' | 'summary' | 'evidence'>): Verdict => ({ status: r.status, summary: r.summary, evidence: r.evidence });
