import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SseSample } from '../../../../shared/schemas/active';

/** Open streams against the app's database sessions over the probe's seconds. */
export function SseChart(props: { samples: SseSample[]; baseline: number | null; totalLimit: number }) {
  const points = props.samples.map((s) => ({ t: Number((s.atMs / 1000).toFixed(2)), streams: s.openStreams, sessions: s.sessions, busy: s.busySessions }));
  return (
    <div className="chart" data-testid="sse-chart">
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={points} margin={{ top: 16, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => `${t} s`} stroke="#8a96a8" fontSize={11} label={{ value: 'seconds since start', position: 'insideBottomRight', offset: -4, fill: '#8a96a8', fontSize: 11 }} />
          <YAxis allowDecimals={false} stroke="#8a96a8" fontSize={11} domain={[0, (max: number) => Math.max(max + 2, props.totalLimit + 5)]} label={{ value: 'count', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} labelFormatter={(t) => `${String(t)} s`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="stepAfter" dataKey="streams" name="open streams" stroke="#4f9cf9" strokeWidth={5} strokeOpacity={0.6} dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="sessions" name="app DB sessions" stroke="#f5a524" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="busy" name="of which busy" stroke="#9b7bd4" strokeDasharray="4 2" dot={false} isAnimationActive={false} />
          {props.baseline !== null ? <ReferenceLine y={props.baseline} stroke="#30a46c" strokeDasharray="6 3" label={{ value: `baseline ${props.baseline}`, fill: '#30a46c', fontSize: 11, position: 'insideBottomRight' }} /> : null}
          <ReferenceLine y={props.totalLimit} stroke="#e5484d" strokeDasharray="6 3" label={{ value: `limit ${props.totalLimit}`, fill: '#e5484d', fontSize: 11, position: 'insideTopRight' }} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
