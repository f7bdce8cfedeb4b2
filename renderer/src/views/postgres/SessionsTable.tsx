import type { ColumnDef } from '@tanstack/react-table';
import { memo, useState } from 'react';
import { client } from '../../api/client';
import type { SessionRow } from '../../../../shared/schemas/postgres';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';
import { formatSeconds } from '../../format';

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
function QueryDetail(props: { targetId: string; row: SessionRow }) {
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
export const SessionsTable = memo(function SessionsTable(props: { sessions: SessionRow[]; targetId: string }) {
  return (
    <DataTable
      testId="sessions-table"
      data={props.sessions}
      columns={columns}
      getRowId={(r) => String(r.pid)}
      initialSorting={[{ id: 'transactionAgeSeconds', desc: true }]}
      emptyText="No client sessions besides Preflight's own."
      renderDetail={(r) => <QueryDetail key={r.pid} targetId={props.targetId} row={r} />}
    />
  );
});
