import { memo, useMemo } from 'react';
import type { EndpointRow } from '../../../../shared/contracts/http';
import { SvgChart, type SvgPoint, type SvgSeries, type SvgThreshold } from '../../components/SvgChart';
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

const LATENCY_SERIES: SvgSeries[] = [
  { key: 'latency', name: 'each request', color: '#5b6b82', kind: 'line', width: 1.5 },
  { key: 'p50', name: `p50 (last ${ROLLING_WINDOW} runs)`, color: '#4f9cf9', kind: 'line' },
  { key: 'p95', name: `p95 (last ${ROLLING_WINDOW} runs)`, color: '#f5a524', kind: 'line' },
];
const latencyTop = (max: number) => Math.max(max, 1);
const formatMs = (v: number) => v.toFixed(0);

/** Plain SVG (SvgChart), recomputed only when this endpoint's samples change. */
const LatencyChart = memo(function LatencyChart(props: { samples: EndpointRow['samples']; budgetMs: number }) {
  const points = useMemo(() => rollingPercentiles(props.samples, ROLLING_WINDOW) as unknown as SvgPoint[], [props.samples]);
  const thresholds = useMemo<SvgThreshold[]>(() => [{ y: props.budgetMs, label: `timeout ${props.budgetMs} ms`, color: '#e5484d' }], [props.budgetMs]);
  return <SvgChart points={points} series={LATENCY_SERIES} height={200} yTop={latencyTop} formatY={formatMs} unit="ms latency" thresholds={thresholds} testId="latency-chart" />;
});

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
      <LatencyChart samples={props.row.samples} budgetMs={props.timeoutMs} />
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
