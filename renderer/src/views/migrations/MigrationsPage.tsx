import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MigrationTarget } from '../../../../shared/contracts/migrations';
import type { MigrationPlan, MigrationStatus, MigrationStatusRow, VerifyResult } from '../../../../shared/schemas/migrations';
import { client } from '../../api/client';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';
import { StateMessage } from '../../components/StateMessage';
import { useFormPresets } from '../../components/useFormPresets';
import { ConfirmApplyDialog } from './ConfirmApplyDialog';
import { PlanPreview } from './PlanPreview';
import { RunLog } from './RunLog';
import { useMigrationRun } from './useMigrationRun';

function checksumText(r: MigrationStatusRow): string {
  const short = (hex: string | null) => `${hex?.slice(0, 12) ?? ''}…`;
  if (r.state === 'checksum_mismatch') return `changed: ${short(r.appliedSha256)} → ${short(r.sha256)}`;
  if (r.state === 'different_migration') return `applied ${r.version}_${r.appliedName}: ${short(r.appliedSha256)}; folder: ${short(r.sha256)}`;
  return (r.sha256 ?? r.appliedSha256 ?? '').slice(0, 12);
}

const statusColumns: ColumnDef<MigrationStatusRow, unknown>[] = [
  { accessorKey: 'version', header: 'version', filterFn: textOrNumberFilter },
  { accessorKey: 'name', header: 'name', filterFn: textOrNumberFilter },
  { accessorKey: 'state', header: 'state', filterFn: textOrNumberFilter, cell: (c) => <span className={`chip mig-${String(c.getValue())}`} data-testid="migration-state">{String(c.getValue()).replace(/_/g, ' ')}</span> },
  { id: 'checksum', header: 'checksum (sha256)', accessorFn: checksumText, filterFn: textOrNumberFilter },
  { accessorKey: 'appliedAt', header: 'applied at', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() ? new Date(String(c.getValue())).toLocaleString() : '—') },
  { accessorKey: 'appliedBy', header: 'applied by', filterFn: textOrNumberFilter, cell: (c) => String(c.getValue() ?? '—') },
  { accessorKey: 'durationMs', header: 'duration', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() === null ? '—' : `${(Number(c.getValue()) / 1000).toFixed(2)} s`) },
];

function OpenForm(props: { onOpened: (t: MigrationTarget) => void }) {
  const [url, setUrl] = useState('');
  const [dir, setDir] = useState('migrations');
  const [environment, setEnvironment] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The demo suggests its own migrations folder and environment (profiles/demo.yaml).
  const preset = useFormPresets()?.migrations ?? null;
  useEffect(() => {
    if (!preset) return;
    setDir((d) => (d === 'migrations' ? preset.dir : d));
    setEnvironment((v) => v || preset.environment);
  }, [preset]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const t = await client.call('migrations.open', { url: url.trim(), dir, environment: environment.trim() || undefined });
      setUrl('');
      props.onOpened(t);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form className="connect-form" onSubmit={(e) => void submit(e)} aria-label="Open a migration target">
      <label>
        Postgres URL
        <input type="password" autoComplete="off" spellCheck={false} placeholder="postgres://user:password@host:5432/db" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="mig-url" required />
      </label>
      <label>
        Migrations directory
        <input value={dir} onChange={(e) => setDir(e.target.value)} data-testid="mig-dir" />
      </label>
      <label>
        Environment *
        <input value={environment} onChange={(e) => setEnvironment(e.target.value)} placeholder="e.g. staging, production" data-testid="mig-env" required />
      </label>
      <button type="submit" disabled={!url.trim() || !environment.trim()} data-testid="mig-open">Open</button>
      {error ? <div className="form-error" role="alert">{error}</div> : null}
      <p className="hint">Status, plan and verify read through the read-only probe; apply uses its own writer connection after a typed confirmation (the environment's name for production, the host otherwise).</p>
    </form>
  );
}

export function MigrationsPage() {
  const [targets, setTargets] = useState<MigrationTarget[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [status, setStatus] = useState<MigrationStatus | null>(null);
  const [plan, setPlan] = useState<MigrationPlan | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acked, setAcked] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const run = useMigrationRun(selected);
  const target = targets.find((t) => t.targetId === selected) ?? null;

  const reload = useCallback(async () => {
    const list = await client.call('migrations.targets', {});
    setTargets(list);
    setSelected((s) => (s && list.some((t) => t.targetId === s) ? s : (list[0]?.targetId ?? null)));
  }, []);
  useEffect(() => void reload().catch((e: Error) => setError(e.message)), [reload]);

  const refresh = useCallback(async () => {
    if (!selected) return;
    setError(null);
    try {
      setStatus(await client.call('migrations.status', { targetId: selected }));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [selected]);
  useEffect(() => {
    setStatus(null);
    setPlan(null);
    setVerify(null);
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (run.result) {
      setRunId(null);
      setPlan(null);
      void refresh();
    }
  }, [run.result, refresh]);

  const preview = async () => {
    if (!selected) return;
    setError(null);
    try {
      setPlan(await client.call('migrations.plan', { targetId: selected }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const doVerify = async () => {
    if (!selected) return;
    try {
      setVerify(await client.call('migrations.verify', { targetId: selected }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const apply = async (typed: string) => {
    if (!selected) return;
    setConfirming(false);
    run.reset();
    try {
      const started = await client.call('migrations.apply', { targetId: selected, confirm: typed, ackLint: acked });
      setRunId(started.runId);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const cancel = async () => {
    if (runId) await client.call('migrations.cancel', { runId });
  };
  const unacked = plan ? plan.lint.filter((l) => !acked.includes(l.rule)) : [];
  const pendingCount = plan?.files.length ?? status?.pending ?? 0;

  return (
    <section className="page" aria-labelledby="mig-title">
      <header className="page-header">
        <h1 id="mig-title">Migrations</h1>
        {targets.length ? (
          <div className="target-picker">
            <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)} aria-label="Migration target">
              {targets.map((t) => <option key={t.targetId} value={t.targetId}>{t.label} · {t.dir}</option>)}
            </select>
            <button type="button" className="secondary" onClick={() => void refresh()}>Refresh</button>
          </div>
        ) : null}
      </header>
      <OpenForm onOpened={(t) => { setSelected(t.targetId); void reload(); }} />
      {error ? <StateMessage kind="error" title="Migration command failed">{error}</StateMessage> : null}
      {!targets.length ? <StateMessage kind="empty" title="No target open">Paste a Postgres URL and the migrations directory above.</StateMessage> : null}
      {target && status ? (
        <>
          <h2>
            Status <span className="subtle">history in {status.historyTable}{status.historyExists ? '' : ' (not created yet)'} · Alembic revision: {status.alembicRevision ?? 'no alembic_version table'} · {status.pending} pending</span>
          </h2>
          {status.outOfOrder.length ? (
            <div className="lint-box" role="note" data-testid="mig-out-of-order">
              <strong>Out of order: {status.outOfOrder.join(', ')}</strong>
              <span>Pending but numbered below a migration already applied (added after a newer one ran). Apply runs {status.outOfOrder.length > 1 ? 'them' : 'it'} now, after the newer ones: check {status.outOfOrder.length > 1 ? 'they do' : 'it does'} not depend on running earlier.</span>
            </div>
          ) : null}
          {status.mismatches.length ? (
            <div className="lint-box" role="note" data-testid="mig-mismatches">
              <strong>{status.mismatches.some((m) => m.kind === 'different_migration') ? 'The folder does not match what the database applied' : 'Applied migration edited after it ran'}</strong>
              {status.mismatches.map((m) => (
                <span key={m.version} data-testid="mig-mismatch" data-kind={m.kind}>{m.message}</span>
              ))}
              <span>Plan and apply stop until this is resolved: {status.mismatches.some((m) => m.kind === 'different_migration') ? 'give a new migration a version of its own, or open the folder the applied migrations came from' : 'restore the file as applied and put the change in a new migration'}.</span>
            </div>
          ) : null}
          <DataTable testId="migrations-table" data={status.migrations} columns={statusColumns} getRowId={(r) => r.version} emptyText="No migration files." />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void preview()} data-testid="mig-plan" disabled={!!runId}>Preview plan</button>
            <button type="button" onClick={() => setConfirming(true)} disabled={!plan || !plan.files.length || unacked.length > 0 || !!runId} data-testid="mig-apply" title={!plan ? 'Preview the plan first' : unacked.length ? 'Acknowledge the lint findings first' : undefined}>
              Apply…
            </button>
            <button type="button" className="secondary" onClick={() => void doVerify()} data-testid="mig-verify" disabled={!!runId}>Verify</button>
            {runId ? <button type="button" className="danger" onClick={() => void cancel()} data-testid="mig-cancel">Cancel run</button> : null}
          </div>
          {verify ? (
            <StateMessage kind={verify.ok ? 'empty' : 'error'} title={verify.ok ? `Verified: ${verify.checkedIndexes} indexes from applied migrations exist and are valid` : `${verify.problems.length} problem(s)`}>
              {verify.problems.map((p) => <div key={p.message}>{p.kind}: {p.message}</div>)}
            </StateMessage>
          ) : null}
          {plan ? <PlanPreview plan={plan} acked={acked} onAck={(rule, on) => setAcked((a) => (on ? [...a, rule] : a.filter((r) => r !== rule)))} /> : null}
          {run.events.length || run.result ? <RunLog events={run.events} result={run.result} plan={plan} /> : null}
          {confirming ? <ConfirmApplyDialog target={target} pending={pendingCount} lintAcked={acked} onClose={() => setConfirming(false)} onConfirm={(t) => void apply(t)} /> : null}
        </>
      ) : null}
    </section>
  );
}
