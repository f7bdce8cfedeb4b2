import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useEffect, useState } from 'react';
import type { IndexTarget } from '../../../../shared/contracts/indexes';
import type { IndexReport, IndexStatus, IndexVerdict } from '../../../../shared/schemas/indexes';
import { client } from '../../api/client';
import { formatClock } from '../../format';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';
import { SecretUrlField } from '../../components/FormFields';
import { StateMessage } from '../../components/StateMessage';
import { Tile } from '../../components/Tile';
import { useFormAction } from '../../components/useFormAction';
import { useTargetStatus } from '../../components/useTargetStatus';
import { useCurrentTarget } from '../../components/useCurrentTarget';
import { targetName } from '../../components/WatchedTargets';

const indexStatus = (targetId: string) => client.call('indexes.status', { targetId });

const STATUSES: IndexStatus[] = ['present', 'present_other_name', 'missing', 'invalid', 'not_ready', 'not_applicable'];

const columns: ColumnDef<IndexVerdict, unknown>[] = [
  { accessorKey: 'name', header: 'expected name', filterFn: textOrNumberFilter, cell: (c) => String(c.getValue() ?? '—') },
  { accessorKey: 'table', header: 'table', filterFn: textOrNumberFilter },
  { id: 'columns', header: 'columns', accessorFn: (r) => `(${r.columns.join(', ')})${r.where ? ` WHERE ${r.where}` : ''}`, filterFn: textOrNumberFilter },
  { id: 'unique', header: 'unique', accessorFn: (r) => (r.unique ? 'unique' : ''), filterFn: textOrNumberFilter },
  { accessorKey: 'status', header: 'status', filterFn: textOrNumberFilter, cell: (c) => <span className={`chip idx-${String(c.getValue())}`} data-testid="index-status">{String(c.getValue()).replace(/_/g, ' ')}</span> },
  { accessorKey: 'foundAs', header: 'found as', filterFn: textOrNumberFilter, cell: (c) => String(c.getValue() ?? '—') },
  { id: 'reason', header: 'reason / notes', accessorFn: (r) => r.reason ?? r.notes.map((n) => `${n.kind}: ${n.message}`).join('; '), filterFn: textOrNumberFilter, cell: (c) => <span className="reason-cell">{String(c.getValue() || '—')}</span> },
];

function WatchForm(props: { onWatched: (t: IndexTarget) => void }) {
  const [url, setUrl] = useState('');
  const [yaml, setYaml] = useState('');
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    void client.call('indexes.defaultExpectations', {}).then(
      (d) => {
        setYaml((y) => y || d.yaml);
        setSource(d.source);
      },
      () => setSource(null),
    );
  }, []);
  const { busy, error, submit } = useFormAction(async () => {
    const t = await client.call('indexes.watch', { url: url.trim(), expectYaml: yaml });
    setUrl('');
    props.onWatched(t);
  });
  return (
    <form className="connect-form" onSubmit={(e) => void submit(e)} aria-label="Check expected indexes">
      <SecretUrlField label="Postgres URL" value={url} onChange={setUrl} placeholder="postgres://user:password@host:5432/db" testId="idx-url" />
      <label className="grow">
        Expected indexes (YAML list, or a profile with expectations.indexes){source ? ` — from ${source}` : ''}
        <textarea value={yaml} onChange={(e) => setYaml(e.target.value)} rows={6} spellCheck={false} data-testid="idx-yaml" />
      </label>
      <button type="submit" disabled={busy || !url.trim() || !yaml.trim()} data-testid="idx-watch">
        {busy ? 'Checking…' : 'Check'}
      </button>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
      <p className="hint">Read-only catalog queries (pg_index, pg_attribute, pg_stat_*), re-run every 5 minutes — never on every sample.</p>
    </form>
  );
}

export function IndexesPage() {
  const [targets, setTargets] = useState<IndexTarget[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [report, setReport] = useState<IndexReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<IndexStatus | 'all'>('all');
  const [liveKey, setLiveKey] = useState('');
  // Replies for a database the user already switched away from are dropped.
  const forTarget = useCurrentTarget(selected);

  const reload = useCallback(async () => {
    const list = await client.call('indexes.targets', {});
    setTargets(list);
    setSelected((s) => (s && list.some((t) => t.targetId === s) ? s : (list[0]?.targetId ?? null)));
  }, []);
  useEffect(() => void reload().catch((e: Error) => setError(e.message)), [reload]);

  useEffect(() => {
    setReport(null);
    if (!selected) return;
    void client.call('indexes.report', { targetId: selected }).then(
      forTarget(selected, (r: IndexReport | null) => r && setReport(r)),
      forTarget(selected, (e: Error) => setError(e.message)),
    );
    const offReport = client.on('indexes.report', (r) => {
      if (r.targetId !== selected) return;
      setReport(r);
      setError(null);
      setLiveKey(r.checkedAt);
    });
    // A failure is also read on mount from indexes.status; the event only makes it show sooner.
    const offFailed = client.on('indexes.failed', (f) => {
      if (f.targetId === selected) setLiveKey(f.at);
    });
    return () => {
      offReport();
      offFailed();
    };
  }, [selected, forTarget]);

  const refresh = async () => {
    if (!selected) return;
    await client.call('indexes.refresh', { targetId: selected }).then(
      forTarget(selected, (r: IndexReport) => {
        setReport(r);
        setError(null);
      }),
      forTarget(selected, (e: Error) => setError(e.message)),
    );
  };
  const rows = report ? report.indexes.filter((v) => status === 'all' || v.status === status) : [];
  const { target: current } = useTargetStatus(indexStatus, selected, liveKey);
  const target = current ?? targets.find((t) => t.targetId === selected);
  const failing = current && (current.status.state === 'down' || current.status.state === 'auth_failed') ? current.status : null;
  const shownError = error ?? (failing?.lastError ? `The catalog read at ${formatClock(failing.lastError.at)} failed: ${failing.lastError.message}` : null);

  return (
    <section className="page" aria-labelledby="idx-title">
      <header className="page-header">
        <h1 id="idx-title">Expected indexes</h1>
        {targets.length ? (
          <div className="target-picker">
            <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)} aria-label="Checked database">
              {targets.map((t) => (
                <option key={t.targetId} value={t.targetId}>{targetName(t)}</option>
              ))}
            </select>
            <button type="button" className="secondary" onClick={() => void refresh()} data-testid="idx-refresh">Re-check now</button>
          </div>
        ) : null}
      </header>
      <WatchForm onWatched={(t) => { setSelected(t.targetId); void reload(); }} />
      {shownError ? (
        <StateMessage kind="error" title={failing?.state === 'auth_failed' ? 'Authentication failed — stopped' : 'Index check failed'}>
          {shownError}
          {report ? ` The report below is stale: it was read at ${formatClock(report.checkedAt)}.` : ''}
        </StateMessage>
      ) : null}
      {!targets.length ? <StateMessage kind="empty" title="No database checked yet">Paste a Postgres URL and the expected indexes above.</StateMessage> : null}
      {target && !report && !shownError ? <StateMessage kind="loading" title="Reading the index catalog…" /> : null}
      {report ? (
        <>
          <div className="tiles">
            <Tile label="usable" value={`${report.counts.present + report.counts.present_other_name} of ${report.indexes.length - report.counts.not_applicable}`} detail={`applicable expected indexes; ${report.counts.present_other_name} under another name`} tone={report.counts.missing + report.counts.invalid + report.counts.not_ready ? 'bad' : 'ok'} testId="idx-usable" />
            <Tile label="missing / invalid / not ready" value={`${report.counts.missing} / ${report.counts.invalid} / ${report.counts.not_ready}`} tone={report.counts.missing + report.counts.invalid + report.counts.not_ready ? 'bad' : 'ok'} />
            <Tile label="not applicable" value={report.counts.not_applicable} detail="table or column does not exist" />
            <Tile label="INVALID indexes in the database" value={report.invalid.length} tone={report.invalid.length ? 'warn' : 'ok'} />
            <Tile label="seq-scan suspects" value={report.seqScanSuspects.length} detail={`since ${report.statsResetAt ?? 'stats were created'}`} tone={report.seqScanSuspects.length ? 'warn' : 'ok'} />
          </div>
          <h2>
            Expected vs found <span className="subtle">checked {new Date(report.checkedAt).toLocaleTimeString()} · catalog read {report.catalogMs.toFixed(0)} ms · next in {target ? target.intervalMs / 60_000 : 5} min</span>
          </h2>
          <div className="chip-filter" role="group" aria-label="Filter by status">
            {(['all', ...STATUSES] as const).map((s) => (
              <button key={s} type="button" className={`chip-button${status === s ? ' active' : ''}`} onClick={() => setStatus(s)} data-testid={`idx-filter-${s}`}>
                {s.replace(/_/g, ' ')} {s === 'all' ? report.indexes.length : report.counts[s]}
              </button>
            ))}
          </div>
          <DataTable testId="indexes-table" data={rows} columns={columns} getRowId={(r) => `${r.table}|${r.columns.join(',')}|${r.name ?? ''}|${r.where ?? ''}`} emptyText="No expected index with this status." renderDetail={(r) => (
            <div className="query-detail">
              <div>{r.reason ?? 'Present with the expected definition.'}</div>
              {r.notes.map((n) => <div key={n.message}>{n.kind}: {n.message}</div>)}
            </div>
          )} />
          {report.invalid.length ? (
            <>
              <h2>INVALID indexes (left by failed concurrent builds)</h2>
              <DataTable testId="invalid-table" data={report.invalid} getRowId={(r) => `${r.schema}.${r.name}`} columns={[
                { accessorKey: 'name', header: 'index', filterFn: textOrNumberFilter },
                { id: 't', header: 'table', accessorFn: (r) => `${r.schema}.${r.table}`, filterFn: textOrNumberFilter },
                { id: 'c', header: 'columns', accessorFn: (r) => r.columns.join(', '), filterFn: textOrNumberFilter },
                { accessorKey: 'fix', header: 'fix', filterFn: textOrNumberFilter },
              ]} />
            </>
          ) : null}
          {report.seqScanSuspects.length ? (
            <>
              <h2>Tables with heavy sequential scans <span className="subtle">counters since {report.statsResetAt ?? 'the statistics were created'}</span></h2>
              <DataTable testId="seqscan-table" data={report.seqScanSuspects} getRowId={(r) => `${r.schema}.${r.table}`} columns={[
                { id: 't', header: 'table', accessorFn: (r) => `${r.schema}.${r.table}`, filterFn: textOrNumberFilter },
                { accessorKey: 'seqScans', header: 'seq scans', filterFn: textOrNumberFilter },
                { accessorKey: 'seqRowsRead', header: 'rows read by seq scans', filterFn: textOrNumberFilter },
                { accessorKey: 'rowsPerSeqScan', header: 'rows / seq scan', filterFn: textOrNumberFilter },
                { id: 'share', header: 'index scan share', accessorFn: (r) => `${(r.indexScanShare * 100).toFixed(1)} %`, filterFn: textOrNumberFilter },
                { accessorKey: 'liveRows', header: 'live rows', filterFn: textOrNumberFilter },
              ]} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
