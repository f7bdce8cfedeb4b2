import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps, type TooltipValueType } from 'recharts';
import { memo, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { capPoints, pointsFor, useChartWidth } from '../../components/chart-points';
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

function HitRateTooltip(props: TooltipContentProps<TooltipValueType, string | number>) {
  const p = props.payload?.[0]?.payload as Point | undefined;
  if (!props.active || !p) return null;
  return (
    <div className="chart-tooltip" data-testid="hit-rate-tooltip">
      <div className="chart-tooltip-time">{formatClock(new Date(p.t).toISOString())}</div>
      <div>
        window: {p.hitRate === null ? 'no lookups' : `${p.hitRate.toFixed(1)} %`} · {p.lookups ?? 0} lookups
        {p.windowSeconds !== null ? ` in ${p.windowSeconds.toFixed(1)} s` : ''}
      </div>
      <div>
        5 min rolling: {p.rolling5m === null ? '—' : `${p.rolling5m.toFixed(1)} %`} · {p.rollingLookups ?? 0} lookups
        {p.rollingCovered > 0 && p.rollingCovered < 299 ? ` (covers ${p.rollingCovered.toFixed(0)} s so far)` : ''}
      </div>
      {p.reset ? <div className="chart-tooltip-warn">counters reset: window restarted</div> : null}
    </div>
  );
}

const SERIES = ['hitRate', 'rolling5m'] as const;
/** Dots only while they stay apart; hundreds of SVG circles per redraw cost more than the line. */
const MAX_DOTTED_POINTS = 90;

/** Re-drawn only when a tick arrives (memo + memoised points), capped at ~2 points per pixel. */
export const HitRateChart = memo(function HitRateChart(props: { ticks: RedisTick[]; threshold: number }) {
  const [ref, width] = useChartWidth();
  const points = useMemo(() => capPoints(toHitRatePoints(props.ticks), pointsFor(width), SERIES), [props.ticks, width]);
  const resets = useMemo(() => points.filter((p) => p.reset), [points]);
  return (
    <div className="chart" data-testid="hit-rate-chart" ref={ref}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={points} margin={{ top: 12, right: 24, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(new Date(t).toISOString())} stroke="#8a96a8" fontSize={11} />
          <YAxis domain={[0, 100]} unit=" %" stroke="#8a96a8" fontSize={11} label={{ value: 'hit rate', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip content={HitRateTooltip} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={props.threshold * 100} stroke="#f5a524" strokeDasharray="6 3" label={{ value: `threshold ${(props.threshold * 100).toFixed(0)} %`, fill: '#f5a524', fontSize: 11, position: 'insideBottomRight' }} />
          {resets.map((p) => (
              <ReferenceLine key={p.t} x={p.t} stroke="#e5484d" strokeDasharray="2 2" label={{ value: 'reset', fill: '#e5484d', fontSize: 10, position: 'insideTopLeft' }} />
            ))}
          <Line type="linear" dataKey="hitRate" name="hit rate per sample window" stroke="#4f9cf9" strokeWidth={2} dot={points.length <= MAX_DOTTED_POINTS ? { r: 2 } : false} isAnimationActive={false} connectNulls={false} />
          <Line type="linear" dataKey="rolling5m" name="5 min rolling" stroke="#30a46c" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
