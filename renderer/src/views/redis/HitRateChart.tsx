import { memo, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { SvgChart, type SvgMarker, type SvgPoint, type SvgSeries, type SvgThreshold } from '../../components/SvgChart';
import { formatClock } from '../../format';

interface Point {
  t: number;
  /** Percent over the sample window; null = no lookups, no window, or down (a gap). */
  hitRate: number | null;
  rolling5m: number | null;
  lookups: number | null;
  windowSeconds: number | null;
  rollingLookups: number | null;
  /** Seconds of the 5 min window the samples since the last reset actually cover. */
  rollingCovered: number;
  reset: boolean;
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 100);

export function toHitRatePoints(ticks: RedisTick[]): Point[] {
  return ticks
    .filter((t) => t.status !== 'skipped')
    .map((tick) => {
      const s = tick.sample;
      return {
        t: Date.parse(tick.at),
        hitRate: pct(s?.hitRate ?? null),
        rolling5m: pct(s?.rolling['5m'].hitRate ?? null),
        lookups: s?.lookups ?? null,
        windowSeconds: s?.windowSeconds ?? null,
        rollingLookups: s?.rolling['5m'].lookups ?? null,
        rollingCovered: s?.rolling['5m'].coveredSeconds ?? 0,
        reset: s?.reset ?? false,
      };
    });
}

/** The hover read-out: the lookups behind the point, so a rate over 3 lookups is not read as a trend. */
function hitRateReadout(sp: SvgPoint) {
  const p = sp as unknown as Point;
  return (
    <span className="chart-tooltip" data-testid="hit-rate-tooltip">
      <span className="chart-tooltip-time">{formatClock(new Date(p.t).toISOString())}</span>
      {' · '}window: {p.hitRate === null ? 'no lookups' : `${p.hitRate.toFixed(1)} %`} · {p.lookups ?? 0} lookups
      {p.windowSeconds !== null ? ` in ${p.windowSeconds.toFixed(1)} s` : ''}
      {' · '}5 min rolling: {p.rolling5m === null ? '—' : `${p.rolling5m.toFixed(1)} %`} · {p.rollingLookups ?? 0} lookups
      {p.rollingCovered > 0 && p.rollingCovered < 299 ? ` (covers ${p.rollingCovered.toFixed(0)} s so far)` : ''}
      {p.reset ? <span className="chart-tooltip-warn"> · counters reset: window restarted</span> : null}
    </span>
  );
}

const SERIES: SvgSeries[] = [
  { key: 'hitRate', name: 'hit rate per sample window', color: '#4f9cf9', kind: 'line', dots: true },
  { key: 'rolling5m', name: '5 min rolling', color: '#30a46c', kind: 'line', width: 1.5 },
];
const yTop = () => 100;
const formatPct = (v: number) => v.toFixed(0);

/** Plain SVG (SvgChart), re-drawn only when a tick arrives: two path strings and at most 90 dots. */
export const HitRateChart = memo(function HitRateChart(props: { ticks: RedisTick[]; threshold: number }) {
  const points = useMemo(() => toHitRatePoints(props.ticks), [props.ticks]);
  const markers = useMemo<SvgMarker[]>(() => points.filter((p) => p.reset).map((p) => ({ t: p.t, label: 'reset', color: '#e5484d' })), [points]);
  const thresholds = useMemo<SvgThreshold[]>(() => [{ y: props.threshold * 100, label: `threshold ${(props.threshold * 100).toFixed(0)} %`, color: '#f5a524' }], [props.threshold]);
  return (
    <SvgChart
      points={points as unknown as SvgPoint[]}
      series={SERIES}
      height={260}
      yTop={yTop}
      formatY={formatPct}
      unit="% hit rate"
      thresholds={thresholds}
      markers={markers}
      readout={hitRateReadout}
      testId="hit-rate-chart"
    />
  );
});
