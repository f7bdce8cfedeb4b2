import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { memo, useMemo } from 'react';
import type { PgTick } from '../../../../shared/schemas/postgres';
import { capPoints, pointsFor, useChartWidth } from '../../components/chart-points';
import { formatClock } from '../../format';

const STATES = [
  { key: 'active', label: 'active', color: '#4f9cf9' },
  { key: 'idle in transaction', label: 'idle in transaction', color: '#f5a524' },
  { key: 'idle in transaction (aborted)', label: 'idle in tx (aborted)', color: '#e5484d' },
  { key: 'idle', label: 'idle', color: '#5b6b82' },
  { key: 'other', label: 'other', color: '#9b7bd4' },
] as const;
const KNOWN = new Set<string>(STATES.map((s) => s.key));

type Point = { t: number } & Partial<Record<(typeof STATES)[number]['key'], number | null>>;

function toPoints(ticks: PgTick[]): Point[] {
  return ticks
    .filter((t) => t.status !== 'skipped')
    .map((tick) => {
      const t = Date.parse(tick.at);
      // A down tick is a gap in the chart, not a drop to zero.
      if (!tick.sample) return { t, active: null, idle: null, 'idle in transaction': null, 'idle in transaction (aborted)': null, other: null };
      const by = tick.sample.byState;
      const other = Object.entries(by).reduce((sum, [k, v]) => (KNOWN.has(k) ? sum : sum + v), 0);
      return {
        t,
        active: by.active ?? 0,
        idle: by.idle ?? 0,
        'idle in transaction': by['idle in transaction'] ?? 0,
        'idle in transaction (aborted)': by['idle in transaction (aborted)'] ?? 0,
        other,
      };
    });
}

const SERIES = STATES.map((s) => s.key);

export const ConnectionsChart = memo(function ConnectionsChart(props: { ticks: PgTick[]; budget: number | null; planLimit: number | null; maxConnections: number | null }) {
  const [ref, width] = useChartWidth();
  const points = useMemo(() => capPoints(toPoints(props.ticks), pointsFor(width), SERIES), [props.ticks, width]);
  return (
    <div className="chart" data-testid="connections-chart" ref={ref}>
      <ResponsiveContainer width="100%" height={280}>
        <AreaChart data={points} margin={{ top: 12, right: 24, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(new Date(t).toISOString())} stroke="#8a96a8" fontSize={11} />
          <YAxis allowDecimals={false} stroke="#8a96a8" fontSize={11} domain={[0, (max: number) => Math.max(max, props.budget ?? 0, 1)]} label={{ value: 'connections', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip labelFormatter={(t) => formatClock(new Date(Number(t)).toISOString())} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {STATES.map((s) => (
            <Area key={s.key} type="stepAfter" dataKey={s.key} name={s.label} stackId="state" stroke={s.color} fill={s.color} fillOpacity={0.55} isAnimationActive={false} connectNulls={false} />
          ))}
          {props.budget ? <ReferenceLine y={props.budget} stroke="#f5a524" strokeDasharray="6 3" label={{ value: `budget ${props.budget}`, fill: '#f5a524', fontSize: 11, position: 'insideTopRight' }} /> : null}
          {props.planLimit ? <ReferenceLine y={props.planLimit} stroke="#9b7bd4" strokeDasharray="2 4" label={{ value: `plan limit ${props.planLimit}`, fill: '#9b7bd4', fontSize: 11, position: 'insideBottomRight' }} /> : null}
          {props.maxConnections ? <ReferenceLine y={props.maxConnections} stroke="#e5484d" strokeDasharray="6 3" label={{ value: `max_connections ${props.maxConnections}`, fill: '#e5484d', fontSize: 11, position: 'insideTopRight' }} /> : null}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});
