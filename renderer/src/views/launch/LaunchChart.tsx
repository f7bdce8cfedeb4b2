/**
 * One launch-watch series as SVG: the store's min/max-decimated points (about 2 per pixel, so
 * a one-sample spike stays visible at 24 h), the line broken at gaps (null points) with the gap
 * shaded grey, alert spans shaded red, deploy markers in blue, the threshold dashed, and axes
 * with the unit and UTC times.
 */
import type { LaunchSeries } from '../../../../shared/contracts/launch';
import { linePath } from '../../../../shared/line-path';

type Series = LaunchSeries['series'][number];

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export function LaunchChart(props: { series: Series; from: number; to: number; width: number; alerts: LaunchSeries['alerts']; gaps: LaunchSeries['gaps']; markers: LaunchSeries['markers'] }) {
  const { series: s, from, to, width } = props;
  const H = 150;
  const L = 52;
  const R = 8;
  const T = 8;
  const B = 20;
  const values = s.points.filter((p) => p[1] !== null).map((p) => p[1] as number);
  if (s.threshold !== null) values.push(s.threshold);
  const lo = Math.min(0, ...values);
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) hi = lo + 1;
  const x = (t: number) => L + ((t - from) / Math.max(1, to - from)) * (width - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const d = linePath(s.points, x, y);
  const clampX = (t: number) => x(Math.max(from, Math.min(to, t)));
  const target = s.name.split('.')[0];
  const gaps = props.gaps.filter((g) => g.target === null || g.target === ({ pg: 'postgres', redis: 'redis', http: 'api', sentry: 'sentry', checks: 'checks' } as Record<string, string>)[target ?? '']);
  return (
    <figure className="chart launch-chart" data-testid={`launch-chart-${s.name}`} data-points={s.points.length} data-raw={s.rawCount}>
      <figcaption>
        {s.name} <span className="subtle">({s.unit}; {s.rawCount} samples in range, {s.points.length} points drawn)</span>
      </figcaption>
      <svg width={width} height={H} viewBox={`0 0 ${width} ${H}`} role="img" aria-label={`${s.name} in ${s.unit}`}>
        {gaps.map((g, i) => (
          <rect key={`g${i}`} className="launch-gap" x={clampX(g.from)} y={T} width={Math.max(1, clampX(g.to ?? to) - clampX(g.from))} height={H - T - B} fill="#4b5563" opacity={0.35}>
            <title>gap: {g.cause}</title>
          </rect>
        ))}
        {props.alerts
          .filter((a) => a.metric === s.name)
          .map((a, i) => (
            <rect key={`a${i}`} className="launch-alert-span" x={clampX(a.from)} y={T} width={Math.max(1, clampX(a.to ?? to) - clampX(a.from))} height={H - T - B} fill="#b91c1c" opacity={0.3}>
              <title>{a.rule} firing</title>
            </rect>
          ))}
        <line x1={L} x2={width - R} y1={H - B} y2={H - B} stroke="#6b7280" />
        <line x1={L} x2={L} y1={T} y2={H - B} stroke="#6b7280" />
        <text x={L - 4} y={T + 8} fontSize={10} textAnchor="end" fill="currentColor">{fmt(hi)}</text>
        <text x={L - 4} y={H - B} fontSize={10} textAnchor="end" fill="currentColor">{fmt(lo)}</text>
        {[from, (from + to) / 2, to].map((t, i) => (
          <text key={t} x={x(t)} y={H - 6} fontSize={10} textAnchor={(['start', 'middle', 'end'] as const)[i]} fill="currentColor">{hhmm(t)} UTC</text>
        ))}
        {s.threshold !== null ? <line x1={L} x2={width - R} y1={y(s.threshold)} y2={y(s.threshold)} stroke="#ef4444" strokeDasharray="4 3"><title>alert threshold {fmt(s.threshold)} {s.unit}</title></line> : null}
        {props.markers.map((m, i) => (
          <line key={`m${i}`} className="launch-marker" x1={clampX(m.at)} x2={clampX(m.at)} y1={T} y2={H - B} stroke="#3b82f6" strokeWidth={2}>
            <title>{m.label}</title>
          </line>
        ))}
        {d ? <path d={d} fill="none" stroke="#e5e7eb" strokeWidth={1.2} /> : <text x={width / 2} y={H / 2} textAnchor="middle" fill="currentColor" fontSize={11}>no value in this range (target down, or too little traffic to judge)</text>}
      </svg>
    </figure>
  );
}
