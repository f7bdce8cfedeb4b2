import type { ColumnDef } from '@tanstack/react-table';
import { memo, useCallback, useState } from 'react';
import { client } from '../../api/client';
import type { BackendAction, BackendPlan, SessionRow } from '../../../../shared/schemas/postgres';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';
import { formatSeconds } from '../../format';
import { SignalBackendDialog } from './SignalBackendDialog';

const age = (v: unknown) => formatSeconds(v as number | null);

const columns: ColumnDef<SessionRow, unknown>[] = [
  { accessorKey: 'pid', header: 'pid', filterFn: textOrNumberFilter },
  { accessorKey: 'user', header: 'user', filterFn: textOrNumberFilter },
  {
    accessorKey: 'application',
    header: 'application',
    filterFn: textOrNumberFilter,
    // Another process using Preflight's name is counted like any session; say so beside it.
    cell: (c) => (
      <>
        {String(c.getValue())}
        {c.row.original.note ? (
          <span className="chip state-note" title={c.row.original.note} data-testid="session-note">
            not this Preflight
          </span>
        ) : null}
      </>
    ),
  },
  { accessorKey: 'client', header: 'client', filterFn: textOrNumberFilter },
  { accessorKey: 'database', header: 'database', filterFn: textOrNumberFilter },
  {
    accessorKey: 'state',
    header: 'state',
    filterFn: textOrNumberFilter,
    cell: (c) => <span className={`chip state-${String(c.getValue()).replace(/[^a-z]+/g, '-')}`}>{String(c.getValue())}</span>,
  },
  {
    id: 'wait',
    header: 'wait event',
    accessorFn: (r) => (r.waitEventType ? `${r.waitEventType}: ${r.waitEvent ?? ''}` : ''),
    filterFn: textOrNumberFilter,
  },
  { accessorKey: 'blockedBy', header: 'blocked by', accessorFn: (r) => r.blockedBy.join(', '), filterFn: textOrNumberFilter },
  { accessorKey: 'queryAgeSeconds', header: 'query age', cell: (c) => age(c.getValue()), filterFn: textOrNumberFilter, sortUndefined: 'last' },
  { accessorKey: 'transactionAgeSeconds', header: 'transaction age', cell: (c) => age(c.getValue()), filterFn: textOrNumberFilter, sortUndefined: 'last' },
  {
    accessorKey: 'query',
    header: 'query',
    filterFn: textOrNumberFilter,
    cell: (c) => <code className="query-cell">{String(c.getValue()).slice(0, 80) || '—'}</code>,
  },
];

/**
 * The query of one session: normalised (literals are `$n`, comments dropped) unless the person
 * asks for the raw text of this one row, which is fetched on demand and kept only in this view.
 */
/** Cancel / terminate this session: the engine reads what the dialog names, then signals after the typed confirmation. */
function SessionActions(props: { targetId: string; pid: number; onSignalled: (message: string) => void }) {
  const [plan, setPlan] = useState<BackendPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const open = async (action: BackendAction) => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setPlan(await client.call('pg.backendPlan', { targetId: props.targetId, pid: props.pid, action }));
    } catch (err) {
      setOutcome(`Not possible: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (typed: string) => {
    if (!plan) return;
    setBusy(true);
    setError(null);
    try {
      const result = await client.call('pg.signalBackend', { targetId: props.targetId, pid: plan.pid, action: plan.action, backendStart: plan.backendStart, confirm: typed });
      setPlan(null);
      // Said above the table: a terminated session's row (and this panel) leaves with the refresh.
      props.onSignalled(result.message);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="session-actions">
      <button type="button" className="secondary small" disabled={busy} onClick={() => void open('cancel')} data-testid="session-cancel">
        Cancel query…
      </button>{' '}
      <button type="button" className="danger small" disabled={busy} onClick={() => void open('terminate')} data-testid="session-terminate">
        Terminate session…
      </button>{' '}
      {outcome ? (
        <span className="subtle" role="status" data-testid="session-signal-outcome">
          {outcome}
        </span>
      ) : null}
      {plan ? <SignalBackendDialog plan={plan} busy={busy} error={error} onConfirm={(typed) => void confirm(typed)} onClose={() => setPlan(null)} /> : null}
    </div>
  );
}

function QueryDetail(props: { targetId: string; row: SessionRow; onSignalled: (message: string) => void }) {
  const { row } = props;
  const [raw, setRaw] = useState<{ query: string; queryTruncated: boolean } | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'gone' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const reveal = async () => {
    setState('loading');
    try {
      const found = await client.call('pg.sessionQuery', { targetId: props.targetId, pid: row.pid });
      setRaw(found);
      setState(found ? 'idle' : 'gone');
    } catch (err) {
      setError((err as Error).message);
      setState('error');
    }
  };
  return (
    <div className="query-detail">
      <div>
        pid {row.pid} · {row.state} for {formatSeconds(row.stateAgeSeconds)}
        {row.queryTruncated ? ' · query text cut at 2,000 characters' : ''}
      </div>
      {row.note ? <div>note: {row.note}</div> : null}
      <SessionActions targetId={props.targetId} pid={row.pid} onSignalled={props.onSignalled} />
      <div className="subtle">Normalised: every literal shown as $n, comments removed (docs/security.md).</div>
      <pre data-testid="session-query">{row.query || '(no query yet)'}</pre>
      {raw ? (
        <div data-testid="session-raw-query">
          <div className="subtle">
            Raw text as the server has it now — it may contain passwords or tokens. It is not stored, exported or logged.{' '}
            <button type="button" className="secondary small" onClick={() => setRaw(null)} data-testid="session-raw-hide">
              Hide
            </button>
          </div>
          <pre>{raw.query || '(no query)'}</pre>
        </div>
      ) : (
        <div>
          <button type="button" className="secondary small" disabled={state === 'loading'} onClick={() => void reveal()} data-testid="session-raw-reveal">
            {state === 'loading' ? 'Reading…' : 'Reveal raw text'}
          </button>{' '}
          {state === 'gone' ? <span className="subtle">That session has ended.</span> : null}
          {state === 'error' ? <span className="form-error">Could not read it: {error}</span> : null}
        </div>
      )}
    </div>
  );
}

/** Re-rendered only when a new listing arrives, not on every tick of the page. */
export const SessionsTable = memo(function SessionsTable(props: { sessions: SessionRow[]; targetId: string; refresh: () => Promise<void> }) {
  const { refresh } = props;
  const [notice, setNotice] = useState<string | null>(null);
  const onSignalled = useCallback(
    (message: string) => {
      setNotice(message);
      void refresh();
    },
    [refresh],
  );
  return (
    <>
      {notice ? (
        <div className="notice" role="status" data-testid="session-signal-notice">
          {notice}{' '}
          <button type="button" className="secondary small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <DataTable
        testId="sessions-table"
        data={props.sessions}
        columns={columns}
        getRowId={(r) => String(r.pid)}
        initialSorting={[{ id: 'transactionAgeSeconds', desc: true }]}
        emptyText="No client sessions besides Preflight's own."
        renderDetail={(r) => <QueryDetail key={r.pid} targetId={props.targetId} row={r} onSignalled={onSignalled} />}
      />
    </>
  );
});
