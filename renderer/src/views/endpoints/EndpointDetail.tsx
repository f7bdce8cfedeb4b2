import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EndpointRow } from '../../../../shared/contracts/http';
import { formatClock } from '../../format';
import { rollingPercentiles, statusTone } from './latency';

const ROLLING_WINDOW = 10;

/** A strip of one cell per run: 2xx green, 4xx blue, 5xx red, no answer dark red. */
function StatusTimeline(props: { row: EndpointRow }) {
  return (
    <div className="status-timeline" data-testid="status-timeline" aria-label={`Status timeline of ${props.row.name}`}>
      {props.row.samples.map((s) => (
        <span key={s.at} className={`tl-cell tl-${statusTone(s.status)}`} title={`${formatClock(s.at)} · ${s.status ?? `down: ${s.error}`}${s.latencyMs !== null ? ` · ${s.latencyMs.toFixed(1)} ms` : ''}`} />
      ))}
    </div>
  );
}

function LatencyChart(props: { row: EndpointRow; budgetMs: number }) {
  const points = rollingPercentiles(props.row.samples, ROLLING_WINDOW);
  return (
    <div className="chart" data-testid="latency-chart">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={points} margin={{ top: 10, right: 24, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(new Date(t).toISOString())} stroke="#8a96a8" fontSize={11} />
          <YAxis stroke="#8a96a8" fontSize={11} tickFormatter={(v: number) => v.toFixed(0)} domain={[0, (max: number) => Math.max(max, 1)]} label={{ value: 'latency (ms)', angle: -90, position: 'insideLeft', fill: '#8a96a8', fontSize: 11 }} />
          <Tooltip labelFormatter={(t) => formatClock(new Date(Number(t)).toISOString())} formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)} ms` : '—')} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="linear" dataKey="latency" name="each request" stroke="#5b6b82" dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="linear" dataKey="p50" name={`p50 (last ${ROLLING_WINDOW} runs)`} stroke="#4f9cf9" dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="linear" dataKey="p95" name={`p95 (last ${ROLLING_WINDOW} runs)`} stroke="#f5a524" dot={false} isAnimationActive={false} connectNulls={false} />
          <ReferenceLine y={props.budgetMs} stroke="#e5484d" strokeDasharray="6 3" label={{ value: `timeout ${props.budgetMs} ms`, fill: '#e5484d', fontSize: 11, position: 'insideTopRight' }} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function EndpointDetail(props: { row: EndpointRow; intervalMs: number; timeoutMs: number }) {
  const { last } = props.row;
  const minutes = (props.row.samples.length * props.intervalMs) / 60_000;
  return (
    <div className="endpoint-detail" data-testid="endpoint-detail">
      <h3>
        Status timeline <span className="subtle">one cell per run, every {props.intervalMs / 1000} s · last {props.row.samples.length} runs (~{minutes.toFixed(1)} min)</span>
      </h3>
      <StatusTimeline row={props.row} />
      <h3>
        Latency <span className="subtle">ms, request sent → body read · same window · the red line is the per-request timeout (drawn once latencies reach its scale)</span>
      </h3>
      <LatencyChart row={props.row} budgetMs={props.timeoutMs} />
      <div className="exchange-panels">
        <div>
          <h3>
            Last response headers <span className="subtle">{formatClock(last.at)} · secrets masked</span>
          </h3>
          {last.error ? <p className="form-error">No answer: {last.error}</p> : null}
          <KeyValueTable entries={last.headers} />
          {Object.keys(last.requestHeaders).length ? (
            <>
              <h3>Request headers sent</h3>
              <KeyValueTable entries={last.requestHeaders} />
            </>
          ) : null}
        </div>
        <div>
          <h3>
            Last body <span className="subtle">{last.bodyTruncated ? `first 64 KiB of ${last.bodyBytes === undefined ? 'more' : `${(last.bodyBytes / 1024).toFixed(0)} KiB${last.bodyBytes >= 8 * 1024 * 1024 ? '+' : ''}`} · ` : ''}pretty-printed · secrets masked</span>
          </h3>
          <pre className="body-view" data-testid="endpoint-body">{last.body || '(empty)'}</pre>
        </div>
      </div>
    </div>
  );
}

function KeyValueTable(props: { entries: Record<string, string> }) {
  return (
    <table className="kv-table">
      <tbody>
        {Object.entries(props.entries).map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
