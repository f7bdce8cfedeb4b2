/**
 * The sentences that explain a readiness verdict, in one place so the CLI, the exports and the
 * window say them in the same words (the rule itself lives in electron/core/engine/score.ts).
 */
import type { CheckResult } from './schemas/check';

type CheckSeverity = CheckResult['severity'];

/** The label in front of the fix a check verifies. */
export const FIX_LABEL = 'Verifies the fix';

const AND_ABOVE: Record<CheckSeverity, string> = { critical: 'critical severity', high: 'high or critical severity', medium: 'medium severity or above', low: 'any severity' };

interface CapFacts {
  score: number;
  readyAt: number;
  uncappedScore: number | null;
  cappedBy: string[];
  blockingSeverity: CheckSeverity;
  results: Pick<CheckResult, 'id' | 'severity'>[];
}

/** Why the score sits below the ready line although the rest would be above it; null when nothing capped it. */
export function capSentence(r: CapFacts): string | null {
  if (!r.cappedBy.length) return null;
  const sev = new Map(r.results.map((x) => [x.id, x.severity]));
  const from = r.uncappedScore !== null ? ` (from ${r.uncappedScore})` : '';
  return `Capped below ${r.readyAt}${from}: a failing check of ${AND_ABOVE[r.blockingSeverity]} blocks READY — ${r.cappedBy.map((id) => `${id} (${sev.get(id) ?? '?'})`).join(', ')}`;
}

/** Critical checks that could not be judged; null when every critical check was verified. */
export function unverifiedSentence(r: { unverified: string[] }): string | null {
  return r.unverified.length ? `Not ready while critical checks are unknown (skipped or errored): ${r.unverified.join(', ')}` : null;
}
