/**
 * Turns the profile's `alerts:` into rules the evaluator runs: each names a metric of the
 * registry (metrics.ts); a metric a check judges takes that check's threshold from the profile's
 * expectations, so an alert and its check can never disagree. Problems come back with the
 * field path so the profile loader reports them as file:line like any other profile error.
 */
import type { AlertRule, Profile } from '../profile/schema';
import { METRIC_BY_NAME, METRICS, type Op } from './metrics';

export interface ResolvedRule {
  id: string;
  title: string;
  metric: string;
  unit: string;
  op: Op;
  value: number;
  /** A firing alert resolves once the value is back past this. */
  clearValue: number;
  forSeconds: number;
  severity: AlertRule['severity'];
  /** Where the threshold comes from: the check and its profile field, or the rule itself. */
  thresholdFrom: string;
}

export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

export function holds(op: Op, value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

export function resolveAlertRules(profile: Profile): { rules: ResolvedRule[]; problems: RuleProblem[] } {
  const rules: ResolvedRule[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  profile.alerts.forEach((rule, i) => {
    if (seen.has(rule.id)) problems.push({ path: ['alerts', i, 'id'], message: `duplicate alert id "${rule.id}"` });
    seen.add(rule.id);
    const metric = METRIC_BY_NAME.get(rule.metric);
    if (!metric) {
      problems.push({ path: ['alerts', i, 'metric'], message: `unknown metric "${rule.metric}" (known: ${METRICS.map((m) => m.name).join(', ')})` });
      return;
    }
    const fromCheck = metric.threshold?.(profile.expectations, rule.threshold) ?? null;
    if (fromCheck && rule.value !== undefined) {
      problems.push({
        path: ['alerts', i, 'value'],
        message: `${rule.metric} is judged by check ${metric.check}, whose threshold is ${fromCheck.field} (${fromCheck.op} ${fromCheck.value}): remove "op" and "value" here and change it there, so the alert and the check cannot disagree`,
      });
      return;
    }
    if (!fromCheck && (rule.op === undefined || rule.value === undefined)) {
      const why = metric.check ? `the profile sets no threshold for check ${metric.check} (see docs/monitoring.md)` : 'no check judges this metric';
      problems.push({ path: ['alerts', i, 'op'], message: `give "op" and "value": ${why}` });
      return;
    }
    const op = fromCheck?.op ?? rule.op!;
    const value = fromCheck?.value ?? rule.value!;
    const above = op === '>' || op === '>=';
    if (rule.clearValue !== undefined && (above ? rule.clearValue > value : rule.clearValue < value)) {
      problems.push({ path: ['alerts', i, 'clearValue'], message: `must be on the healthy side of the threshold (${above ? '≤' : '≥'} ${value})` });
      return;
    }
    rules.push({
      id: rule.id,
      title: rule.title,
      metric: rule.metric,
      unit: rule.unit ?? metric.unit,
      op,
      value,
      clearValue: rule.clearValue ?? (above ? value - metric.hysteresis : value + metric.hysteresis),
      forSeconds: rule.forSeconds,
      severity: rule.severity,
      thresholdFrom: fromCheck ? `check ${metric.check} (${fromCheck.field})` : `alert ${rule.id}`,
    });
  });
  const ids = new Set(profile.alerts.map((r) => r.id));
  (profile.checklist?.phases ?? []).forEach((phase, pi) =>
    phase.steps.forEach((step, si) =>
      step.watch.forEach((id, wi) => {
        if (!ids.has(id)) problems.push({ path: ['checklist', 'phases', pi, 'steps', si, 'watch', wi], message: `names alert "${id}", which "alerts" does not define` });
      }),
    ),
  );
  profile.environments.forEach((env, ei) => {
    const sentry = env.targets.sentry?.token.secret;
    if (sentry && !(sentry in env.secrets)) problems.push({ path: ['environments', ei, 'targets', 'sentry', 'token', 'secret'], message: `names secret "${sentry}", which this environment's "secrets" does not define` });
    const hook = env.notify?.webhook?.secret;
    if (hook && !(hook in env.secrets)) problems.push({ path: ['environments', ei, 'notify', 'webhook', 'secret'], message: `names secret "${hook}", which this environment's "secrets" does not define` });
  });
  return { rules, problems };
}
