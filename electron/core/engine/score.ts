/**
 * The readiness score: 0–100 from check results weighted by severity. A pass earns full credit,
 * a warn half, a fail nothing, and skipped/error ("unknown") nothing either — an unknown is
 * never a pass. The verdict is a launch gate, not just a line on the score: any failing check
 * at or above the profile's blocking severity (medium by default) caps the score one point
 * below the ready line, so a known defect of that weight is never "ready" however many other
 * checks pass; a failing low check and any warn only cost points. A critical check that could
 * not be judged (skipped, error) keeps the verdict at not_ready: "ready" is said only when every
 * critical check was verified. This file is the one place that rule lives.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { CategoryScore, PointsLost } from '../../../shared/schemas/readiness';

type CheckSeverity = CheckResult['severity'];

const SEVERITY_WEIGHT = { critical: 10, high: 5, medium: 3, low: 1 } as const;
const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** The profile's `score` section: the ready line and the lowest severity whose failure blocks READY. */
export interface ScorePolicy {
  readyAt: number;
  blockingSeverity: CheckSeverity;
}

/** Whether a failing check of this severity blocks READY under the policy. */
const failureBlocks = (severity: CheckSeverity, policy: Pick<ScorePolicy, 'blockingSeverity'>): boolean => SEVERITY_RANK[severity] >= SEVERITY_RANK[policy.blockingSeverity];
const CREDIT = { pass: 1, warn: 0.5, fail: 0, error: 0, skipped: 0 } as const;

export interface Score {
  score: number;
  verdict: 'ready' | 'not_ready';
  uncappedScore: number | null;
  /** Failing checks at or above the blocking severity: each caps the score below the ready line. */
  cappedBy: string[];
  /** Critical checks that were skipped or errored: the verdict cannot be ready while any is unknown. */
  unverified: string[];
  pointsLost: PointsLost[];
  categories: CategoryScore[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function raw(results: CheckResult[]): number {
  const total = results.reduce((s, r) => s + SEVERITY_WEIGHT[r.severity], 0);
  if (total === 0) return 0;
  return (100 * results.reduce((s, r) => s + SEVERITY_WEIGHT[r.severity] * CREDIT[r.status], 0)) / total;
}

export function scoreResults(results: CheckResult[], policy: ScorePolicy): Score {
  const { readyAt } = policy;
  const total = results.reduce((s, r) => s + SEVERITY_WEIGHT[r.severity], 0);
  const uncapped = Math.round(raw(results));
  const cappedBy = results.filter((r) => r.status === 'fail' && failureBlocks(r.severity, policy)).map((r) => r.id);
  const score = cappedBy.length ? Math.min(uncapped, readyAt - 1) : uncapped;
  const unverified = results.filter((r) => r.severity === 'critical' && (r.status === 'skipped' || r.status === 'error')).map((r) => r.id);
  const pointsLost: PointsLost[] = results
    .filter((r) => r.status !== 'pass')
    .map((r) => ({
      id: r.id,
      severity: r.severity,
      status: r.status,
      reason: r.status === 'fail' ? ('fail' as const) : r.status === 'warn' ? ('warn' as const) : ('unknown' as const),
      points: total ? round1((100 * SEVERITY_WEIGHT[r.severity] * (1 - CREDIT[r.status])) / total) : 0,
    }))
    .sort((a, b) => b.points - a.points || a.id.localeCompare(b.id));
  const categories = (['security', 'infrastructure', 'performance'] as const)
    .map((category) => {
      const rs = results.filter((r) => r.category === category);
      const count = (f: (r: CheckResult) => boolean) => rs.filter(f).length;
      return {
        category,
        score: Math.round(raw(rs)),
        pass: count((r) => r.status === 'pass'),
        warn: count((r) => r.status === 'warn'),
        fail: count((r) => r.status === 'fail'),
        unknown: count((r) => r.status === 'skipped' || r.status === 'error'),
      };
    })
    .filter((c) => c.pass + c.warn + c.fail + c.unknown > 0);
  const verdict = results.length > 0 && score >= readyAt && cappedBy.length === 0 && unverified.length === 0 ? 'ready' : 'not_ready';
  return { score, verdict, uncappedScore: cappedBy.length && uncapped !== score ? uncapped : null, cappedBy, unverified, pointsLost, categories };
}
