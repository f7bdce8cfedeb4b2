/**
 * What a launch watch found, computed from the store: per metric peak and p95, every alert
 * episode with its duration, every gap with its cause, one verdict line per first-24-hours
 * step ("held for 23 h 52 m, broken 14:05–14:13"), and the hour after the deploy marker
 * against the hour before. The Markdown/HTML reports and the `end` event render this.
 */
import type { Profile } from '../profile/schema';
import type { GapRecord, MarkerRow, WatchSessionRow, WatchStore } from '../store/watch-store';
import { holds, resolveAlertRules, type ResolvedRule } from '../watch/alert-rules';
import { METRIC_BY_NAME } from '../watch/metrics';
import { percentile } from '../../../shared/percentile';

export interface MetricStats {
  name: string;
  unit: string;
  samples: number;
  min: number | null;
  avg: number | null;
  p95: number | null;
  peak: number | null;
  peakAt: number | null;
}
export interface AlertEpisode {
  rule: string;
  title: string;
  severity: string;
  firedAt: number;
  resolvedAt: number | null;
  durationMs: number;
  message: string;
}
export interface ItemVerdict {
  stepId: string;
  title: string;
  rules: string[];
  /** True only when no rule's condition held at any sample and the watch covered its planned span. */
  held: boolean;
  heldMs: number;
  broken: { from: number; to: number }[];
  line: string;
}
export interface DeployRow {
  metric: string;
  unit: string;
  before: { avg: number | null; p95: number | null; samples: number };
  after: { avg: number | null; p95: number | null; samples: number };
  regression: boolean;
}
export interface WatchSummary {
  session: WatchSessionRow;
  observedMs: number;
  plannedMs: number;
  metrics: MetricStats[];
  alerts: AlertEpisode[];
  gaps: (GapRecord & { durationMs: number })[];
  markers: MarkerRow[];
  items: ItemVerdict[];
  deploy: { marker: MarkerRow; rows: DeployRow[] } | null;
  checkRuns: { at: number; score: number; failing: string[] }[];
  verdict: 'healthy' | 'alerts fired';
}

const HOUR = 3_600_000;

export function formatDuration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (m < 60) return `${m} m`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}
export const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);

function values(store: WatchStore, sessionId: string, name: string, from?: number, to?: number): { t: number; v: number | null }[] {
  return [...store.points(sessionId, name, from, to)];
}

function stats(name: string, unit: string, pts: { t: number; v: number | null }[]): MetricStats {
  const good = pts.filter((p) => p.v !== null) as { t: number; v: number }[];
  const sorted = good.map((p) => p.v).sort((a, b) => a - b);
  let peak: { t: number; v: number } | null = null;
  for (const p of good) if (!peak || p.v > peak.v) peak = p;
  return { name, unit, samples: good.length, min: sorted[0] ?? null, avg: good.length ? sorted.reduce((a, b) => a + b, 0) / good.length : null, p95: percentile(sorted, 95), peak: peak?.v ?? null, peakAt: peak?.t ?? null };
}

/** Stretches where the rule's condition held, from samples (its forSeconds does not apply: a verdict is about the condition). */
function brokenIntervals(rule: ResolvedRule, pts: { t: number; v: number | null }[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let open: number | null = null;
  let lastBad = 0;
  for (const p of pts) {
    if (p.v === null) continue;
    const bad = holds(rule.op, p.v, rule.value);
    if (bad && open === null) open = p.t;
    if (bad) lastBad = p.t;
    if (!bad && open !== null) {
      out.push({ from: open, to: p.t });
      open = null;
    }
  }
  if (open !== null) out.push({ from: open, to: lastBad });
  return out;
}

function merge(intervals: { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}

const DEPLOY_METRICS: { name: string; worse: 'up' | 'down' }[] = [
  { name: 'pg.connections', worse: 'up' },
  { name: 'redis.hit_rate', worse: 'down' },
  { name: 'http.health_latency_ms', worse: 'up' },
  { name: 'pg.lock_wait_max_seconds', worse: 'up' },
  { name: 'http.5xx_per_hour', worse: 'up' },
  { name: 'sentry.errors_per_hour', worse: 'up' },
];

export function summarizeWatch(store: WatchStore, profile: Profile, sessionId: string): WatchSummary {
  const session = store.session(sessionId);
  if (!session) throw new Error(`no watch session "${sessionId}" in ${store.path}`);
  const end = session.endedAt ?? session.lastTickAt ?? session.startedAt;
  const { rules } = resolveAlertRules(profile);
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const series = store.series(sessionId);
  const cache = new Map<string, { t: number; v: number | null }[]>();
  const pts = (name: string) => cache.get(name) ?? (cache.set(name, values(store, sessionId, name)), cache.get(name)!);

  const metrics = series.map((s) => stats(s.name, s.unit, pts(s.name)));
  const transitions = store.alerts(sessionId);
  const alerts: AlertEpisode[] = [];
  for (const [i, t] of transitions.entries()) {
    if (t.state !== 'firing') continue;
    const resolved = transitions.slice(i + 1).find((x) => x.rule === t.rule && x.state === 'resolved');
    const rule = ruleById.get(t.rule);
    alerts.push({ rule: t.rule, title: rule?.title ?? t.message, severity: rule?.severity ?? 'critical', firedAt: t.at, resolvedAt: resolved?.at ?? null, durationMs: (resolved?.at ?? end) - t.at, message: t.message });
  }
  const gaps = store.gaps(sessionId).map((g) => ({ ...g, durationMs: (g.to ?? end) - g.from }));
  const globalGaps = merge(gaps.filter((g) => g.target === null).map((g) => ({ from: g.from, to: g.to ?? end })));
  const unobserved = globalGaps.reduce((a, g) => a + (g.to - g.from), 0);
  const plannedMs = session.plannedEnd - session.startedAt;
  const observedMs = Math.max(0, end - session.startedAt - unobserved);
  const completed = session.status === 'completed' && end >= session.plannedEnd;

  const steps = profile.checklist?.phases.find((p) => p.id === 'first-24h')?.steps ?? [];
  const items: ItemVerdict[] = steps.map((step) => {
    const stepRules = step.watch.map((id) => ruleById.get(id)).filter((r): r is ResolvedRule => !!r);
    if (!stepRules.length) return { stepId: step.id, title: step.title, rules: [], held: false, heldMs: 0, broken: [], line: `${step.title}: not watched (no alert names it; ${step.checks.length ? `checks ${step.checks.join(', ')}` : 'a person signs it'})` };
    const broken = merge(stepRules.flatMap((r) => brokenIntervals(r, pts(r.metric))));
    const brokenMs = broken.reduce((a, b) => a + (b.to - b.from), 0);
    const seen = stepRules.some((r) => pts(r.metric).some((p) => p.v !== null));
    const heldMs = Math.max(0, observedMs - brokenMs);
    const held = seen && broken.length === 0 && completed && observedMs >= plannedMs * 0.95;
    const why = !seen ? 'never observed (no value for its metric)' : broken.length ? `held for ${formatDuration(heldMs)}, broken ${broken.map((b) => `${hhmmss(b.from)}–${hhmmss(b.to)}`).join(', ')} UTC` : `held for ${formatDuration(heldMs)}${completed ? '' : ` of ${formatDuration(plannedMs)} planned (watch not finished)`}${unobserved ? `; ${formatDuration(unobserved)} unobserved (gaps)` : ''}`;
    return { stepId: step.id, title: step.title, rules: stepRules.map((r) => r.id), held, heldMs, broken, line: `${step.title}: ${why}` };
  });

  const markers = store.markers(session.profile, session.environment, session.startedAt - HOUR, end);
  const deployMarker = [...markers].reverse().find((m) => m.at >= session.startedAt && m.at <= end) ?? markers[markers.length - 1] ?? null;
  let deploy: WatchSummary['deploy'] = null;
  if (deployMarker) {
    const rows: DeployRow[] = [];
    for (const m of DEPLOY_METRICS) {
      if (!series.some((s) => s.name === m.name)) continue;
      const before = stats(m.name, '', values(store, sessionId, m.name, deployMarker.at - HOUR, deployMarker.at - 1));
      const after = stats(m.name, '', values(store, sessionId, m.name, deployMarker.at, deployMarker.at + HOUR));
      const b = m.name === 'http.health_latency_ms' ? before.p95 : before.avg;
      const a = m.name === 'http.health_latency_ms' ? after.p95 : after.avg;
      const regression = a !== null && b !== null && (m.worse === 'up' ? a > b * 1.1 && a - b > 1e-9 : a < b * 0.95);
      rows.push({ metric: m.name, unit: METRIC_BY_NAME.get(m.name)?.unit ?? '', before: { avg: before.avg, p95: before.p95, samples: before.samples }, after: { avg: after.avg, p95: after.p95, samples: after.samples }, regression });
    }
    deploy = { marker: deployMarker, rows };
  }
  const checkRuns = store.checkRuns(sessionId).map((r) => ({ at: r.at, score: r.score, failing: r.failing }));
  return { session, observedMs, plannedMs, metrics, alerts, gaps, markers, items, deploy, checkRuns, verdict: alerts.length ? 'alerts fired' : 'healthy' };
}
