import { CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { BurstObservation } from '../../../../shared/schemas/active';

type Point = { index: number; status: number; latencyMs: number | null };

const SERIES = [
  { name: '2xx', color: '#30a46c', test: (s: number) => s >= 200 && s < 300 },
  { name: '429 refused', color: '#f5a524', test: (s: number) => s === 429 },
  { name: 'other / no response (0)', color: '#e5484d', test: (s: number) => !(s >= 200 && s < 300) && s !== 429 },
] as const;

/** Status of each request by its index; the expected boundary (limit N) is a vertical line. */
export function StatusByIndexChart(props: { burst: BurstObservation; limit: number }) {
  const points: Point[] = props.burst.requests.map((r) => ({ index: r.index, status: r.status ?? 0, latencyMs: r.receivedMs === null ? null : Number((r.receivedMs - r.sentMs).toFixed(1)) }));
  return (
    <div className="chart" data-testid="status-chart">
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 16, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="index" type="number" domain={[1, Math.max(props.burst.planned, 2)]} allowDecimals={false} stroke="#8a96a8" fontSize={11} label={{ value: 'request # (launch order)', position: 'insideBottomRight', offset: -4, fill: '#8a96a8', fontSize: 11 }} />
          <YAxis dataKey="status" type="number" domain={[0, 600]} ticks={[0, 200, 300, 429, 500]} stroke="#8a96a8" fontSize={11} label={{ value: 'HTTP status', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip cursor={{ strokeDasharray: '3 3' }} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} formatter={(value, name) => (name === 'latencyMs' ? [`${String(value)} ms`, 'latency'] : [String(value), String(name)])} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Scatter key={s.name} name={s.name} data={points.filter((p) => s.test(p.status))} fill={s.color} isAnimationActive={false} shape="circle" />
          ))}
          <ReferenceLine x={props.limit + 0.5} stroke="#4f9cf9" strokeDasharray="6 3" label={{ value: `limit ${props.limit}`, fill: '#4f9cf9', fontSize: 11, position: 'insideTopRight' }} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
