/**
 * The profile format (docs/profiles.md): one YAML file that describes a stack — its
 * environments and where their secrets live (never the values), what to expect of it, the
 * launch checklist and the alert rules. Objects are strict so a misspelt key is reported
 * with its line instead of being ignored.
 */
import { z } from 'zod';
import { CheckCategory, CheckSeverity } from '../../../shared/schemas/check';
import { Expectations } from './expectations';
import { Environment, Id, Seconds } from './fields';

export { Environment, Expectations };
export { SecretSource, UrlRef, type RateLimitExpectation } from './fields';

const PhaseId = z.enum(['pre-deploy', 'deploy', 'first-24h']);
type PhaseId = z.infer<typeof PhaseId>;

const ChecklistStep = z
  .strictObject({
    id: Id,
    title: z.string().min(1),
    detail: z.string().optional(),
    /** Bound check ids: the step ticks itself when all pass with evidence newer than the phase start. */
    checks: z.array(z.string().min(1)).default([]),
    /** A person signs it off (name, UTC time, note). Steps without checks are always manual. */
    manual: z.boolean().default(false),
    /** Where the team's write-up lists this item, e.g. "pre-deploy 1" or "verification 3". */
    source: z.string().optional(),
    /**
     * Alert rule ids whose conditions this step is (first-24h steps): it ticks from a finished
     * launch watch only when none of them held at any moment of the whole watch.
     */
    watch: z.array(Id).default([]),
  })
  .refine((s) => s.checks.length > 0 || s.manual, { message: 'a step needs "checks" (automated) or "manual: true"', path: ['manual'] });
export type ChecklistStep = z.infer<typeof ChecklistStep>;

const ChecklistPhase = z.strictObject({ id: PhaseId, title: z.string().min(1), steps: z.array(ChecklistStep).min(1) });

const AlertRule = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** A metric name the launch watch publishes (electron/core/watch/metrics.ts), e.g. pg.utilization, http.5xx_per_hour. */
  metric: z.string().min(1),
  /**
   * For a metric no check judges (http.5xx_per_hour, sentry.errors_per_hour, …): the condition.
   * A metric a check judges takes the check's threshold from `expectations` instead (no copy).
   */
  op: z.enum(['>', '>=', '<', '<=']).optional(),
  value: z.number().optional(),
  /** Which of the check's bands the rule uses, for metrics with a warn/fail band. */
  threshold: z.enum(['warn', 'fail']).default('fail'),
  unit: z.string().optional(),
  /** The condition must hold this long before the alert fires. */
  forSeconds: Seconds.default(0),
  /** A firing alert resolves only once the value is back past this (default: the threshold less the metric's hysteresis). */
  clearValue: z.number().optional(),
  severity: CheckSeverity,
}).refine((r) => (r.op === undefined) === (r.value === undefined), { message: 'give "op" and "value" together', path: ['value'] });
export type AlertRule = z.infer<typeof AlertRule>;

const FixRecord = z.strictObject({
  id: Id,
  title: z.string().min(1),
  category: CheckCategory,
  severity: CheckSeverity,
  /** Check ids that verify this fix; empty when only a person can verify it (then say how in `manual`). */
  verifiedBy: z.array(z.string()).default([]),
  manual: z.string().optional(),
});

export const Profile = z.strictObject({
  version: z.literal(1),
  name: Id,
  description: z.string().optional(),
  environments: z.array(Environment).min(1),
  expectations: Expectations.default({}),
  /** The ready line, and the lowest severity whose failing check blocks READY (engine/score.ts applies both). */
  score: z
    .strictObject({ readyAt: z.number().int().min(1).max(100).default(80), blockingSeverity: CheckSeverity.default('medium') })
    .default({ readyAt: 80, blockingSeverity: 'medium' }),
  /** The fixes the team made, each bound to the checks that prove it (documentation + coverage). */
  fixes: z.array(FixRecord).default([]),
  checklist: z.strictObject({ phases: z.array(ChecklistPhase).min(1) }).optional(),
  alerts: z.array(AlertRule).default([]),
});
export type Profile = z.infer<typeof Profile>;
