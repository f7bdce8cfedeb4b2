import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { EndpointRow, HttpTarget } from '../../../../shared/contracts/http';
import type { CheckResult } from '../../../../shared/schemas/check';
import { client } from '../../api/client';
import { TargetListStates, TargetPicker, useWatchedTargets } from '../../components/WatchedTargets';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';
import { StateMessage } from '../../components/StateMessage';
import { formatClock } from '../../format';
import { EndpointDetail } from './EndpointDetail';
import { percentile } from '../../../../shared/percentile';
import { answeredLatencies, statusTone } from './latency';
import { ProbeForm } from './ProbeForm';
import { useHttpTarget } from './useHttpTarget';
import { useTargetStatus } from '../../components/useTargetStatus';

const TIMEOUT_MS = 2000;
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} ms`);

interface Row {
  name: string;
  request: string;
  status: number | null;
  latencyMs: number | null;
  p50: number | null;
  p95: number | null;
  runs: number;
  source: EndpointRow;
}

const columns: ColumnDef<Row, unknown>[] = [
  { accessorKey: 'name', header: 'probe', filterFn: textOrNumberFilter },
  { accessorKey: 'request', header: 'request', filterFn: textOrNumberFilter },
  {
    accessorKey: 'status',
    header: 'status',
    filterFn: textOrNumberFilter,
    cell: (c) => {
      const row = c.row.original;
      return <span className={`chip status-${statusTone(row.status)}`}>{row.status ?? 'down'}</span>;
    },
  },
  { accessorKey: 'latencyMs', header: 'latency', filterFn: textOrNumberFilter, cell: (c) => ms(c.getValue() as number | null) },
  { accessorKey: 'p50', header: 'p50', filterFn: textOrNumberFilter, cell: (c) => ms(c.getValue() as number | null) },
  { accessorKey: 'p95', header: 'p95', filterFn: textOrNumberFilter, cell: (c) => ms(c.getValue() as number | null) },
  { accessorKey: 'runs', header: 'runs', filterFn: textOrNumberFilter },
];

function ChecksTable(props: { results: CheckResult[] }) {
  return (
    <table className="data-table checks-table" data-testid="http-checks">
      <tbody>
        {props.results.map((r) => (
          <tr key={r.id}>
            <td>
              <span className={`chip check-${r.status}`}>{r.status}</span>
            </td>
            <td className="check-id">{r.id}</td>
            <td className="check-summary">{r.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const listHttpTargets = () => client.call('http.targets', {});
const unwatchHttp = (targetId: string) => client.call('http.unwatch', { targetId });
const httpStatus = (targetId: string) => client.call('http.status', { targetId });

export function EndpointsPage() {
  const { targets, selected, setSelected, loadError, stop, adopt } = useWatchedTargets<HttpTarget>(listHttpTargets, unwatchHttp);
  const { view, error } = useHttpTarget(selected);

  const rows = useMemo<Row[]>(
    () =>
      (view?.endpoints ?? []).map((e) => {
        const latencies = answeredLatencies(e.samples);
        return { name: e.name, request: `${e.last.method} ${e.last.path}`, status: e.last.status, latencyMs: e.last.latencyMs, p50: percentile(latencies, 50), p95: percentile(latencies, 95), runs: e.samples.length, source: e };
      }),
    [view],
  );
  const { target: current } = useTargetStatus(httpStatus, selected, view?.lastRun?.at);
  const target = current ?? view?.target ?? targets?.find((t) => t.targetId === selected) ?? null;
  const runFailed = current?.status.state === 'down' ? current.status.lastError : null;
  const windowMin = target && rows[0] ? (rows[0].runs * target.intervalMs) / 60_000 : 0;
  return (
    <section className="page" aria-labelledby="endpoints-title">
      <header className="page-header">
        <h1 id="endpoints-title">API endpoints</h1>
        <TargetPicker targets={targets} selected={selected} onSelect={setSelected} onStop={() => void stop()} label="Probed API" stopText="Stop probing" />
      </header>
      <ProbeForm onStarted={adopt} selected={target} />
      <TargetListStates targets={targets} loadError={loadError} emptyTitle="No API probed yet" emptyText="Enter the API's base URL above. `npx preflight demo` prints one you can try." />
      {error ? <StateMessage kind="error" title="Could not load the endpoints">{error}</StateMessage> : null}
      {runFailed ? <StateMessage kind="error" title="The last probe run failed">{runFailed.message} (at {formatClock(runFailed.at)}) — retrying every {target ? target.intervalMs / 1000 : '?'} s.</StateMessage> : null}
      {target && !view?.lastRun && !error && !runFailed ? <StateMessage kind="loading" title="Running the first probe…" /> : null}
      {target && view?.lastRun ? (
        <>
          <h2>
            Checks <span className="subtle">last run {formatClock(view.lastRun.at)} · {view.lastRun.requests} requests in {view.lastRun.durationMs.toFixed(0)} ms · run every {target.intervalMs / 1000} s · {target.runs} runs, {target.skippedRuns} skipped</span>
          </h2>
          <ChecksTable results={view.lastRun.results} />
          <h2>
            Endpoints <span className="subtle">p50/p95 over the last {rows[0]?.runs ?? 0} runs (~{windowMin.toFixed(1)} min) · click a row for its timeline, latency chart, headers and body</span>
          </h2>
          <DataTable data={rows} columns={columns} getRowId={(r) => r.name} testId="endpoints-table" renderDetail={(r) => <EndpointDetail row={r.source} intervalMs={target.intervalMs} timeoutMs={TIMEOUT_MS} />} />
        </>
      ) : null}
    </section>
  );
}
