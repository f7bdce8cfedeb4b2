import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { memo, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { capPoints, pointsFor, useChartWidth } from '../../components/chart-points';
import { formatClock } from '../../format';

const MIB = 1024 * 1024;

const SERIES = ['used', 'rss'] as const;

export const MemoryChart = memo(function MemoryChart(props: { ticks: RedisTick[]; maxMemoryBytes: number | null; limit: number }) {
  const [ref, width] = useChartWidth();
  const points = useMemo(
    () =>
      capPoints(
        props.ticks
          .filter((t) => t.status !== 'skipped')
          .map((t) => ({
            t: Date.parse(t.at),
            used: t.sample?.usedMemoryBytes != null ? t.sample.usedMemoryBytes / MIB : null,
            rss: t.sample?.usedMemoryRssBytes != null ? t.sample.usedMemoryRssBytes / MIB : null,
          })),
        pointsFor(width),
        SERIES,
      ),
    [props.ticks, width],
  );
  const max = props.maxMemoryBytes ? props.maxMemoryBytes / MIB : null;
  return (
    <div className="chart" data-testid="memory-chart" ref={ref}>
      <ResponsiveContainer width="100%" height={220}>
        <AreaChart data={points} margin={{ top: 12, right: 24, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(new Date(t).toISOString())} stroke="#8a96a8" fontSize={11} />
          <YAxis unit=" MiB" stroke="#8a96a8" fontSize={11} width={70} domain={[0, (m: number) => Math.max(m, max ?? 0) * 1.05 || 1]} tickFormatter={(v: number) => v.toFixed(1)} />
          <Tooltip labelFormatter={(t) => formatClock(new Date(Number(t)).toISOString())} formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)} MiB` : '—')} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area type="monotone" dataKey="used" name="used_memory" stroke="#4f9cf9" fill="#4f9cf9" fillOpacity={0.35} isAnimationActive={false} connectNulls={false} />
          <Area type="monotone" dataKey="rss" name="RSS" stroke="#9b7bd4" fill="none" isAnimationActive={false} connectNulls={false} />
          {max ? <ReferenceLine y={max} stroke="#e5484d" strokeDasharray="6 3" label={{ value: `maxmemory ${max.toFixed(0)} MiB`, fill: '#e5484d', fontSize: 11, position: 'insideTopRight' }} /> : null}
          {max ? <ReferenceLine y={max * props.limit} stroke="#f5a524" strokeDasharray="6 3" label={{ value: `${(props.limit * 100).toFixed(0)} % limit`, fill: '#f5a524', fontSize: 11, position: 'insideBottomRight' }} /> : null}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});
