import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { memo, useMemo } from 'react';
import type { RedisTick } from '../../../../shared/schemas/redis';
import { capPoints, pointsFor, useChartWidth } from '../../components/chart-points';
import { formatClock } from '../../format';

const SERIES = ['connected', 'blocked'] as const;

export const ClientsChart = memo(function ClientsChart(props: { ticks: RedisTick[] }) {
  const [ref, width] = useChartWidth();
  const points = useMemo(
    () =>
      capPoints(
        props.ticks.filter((t) => t.status !== 'skipped').map((t) => ({ t: Date.parse(t.at), connected: t.sample?.connectedClients ?? null, blocked: t.sample?.blockedClients ?? null })),
        pointsFor(width),
        SERIES,
      ),
    [props.ticks, width],
  );
  return (
    <div className="chart" data-testid="clients-chart" ref={ref}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 12, right: 24, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(new Date(t).toISOString())} stroke="#8a96a8" fontSize={11} />
          <YAxis allowDecimals={false} stroke="#8a96a8" fontSize={11} domain={[0, (m: number) => Math.max(m, 1)]} label={{ value: 'clients', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip labelFormatter={(t) => formatClock(new Date(Number(t)).toISOString())} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="stepAfter" dataKey="connected" name="connected" stroke="#4f9cf9" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="stepAfter" dataKey="blocked" name="blocked" stroke="#f5a524" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
