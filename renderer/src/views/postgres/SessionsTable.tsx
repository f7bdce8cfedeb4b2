import type { ColumnDef } from '@tanstack/react-table';
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

export function SessionsTable(props: { sessions: SessionRow[] }) {
  return (
    <DataTable
      testId="sessions-table"
      data={props.sessions}
      columns={columns}
      getRowId={(r) => String(r.pid)}
      initialSorting={[{ id: 'transactionAgeSeconds', desc: true }]}
      emptyText="No client sessions besides Preflight's own."
      renderDetail={(r) => (
        <div className="query-detail">
          <div>
            pid {r.pid} · {r.state} for {formatSeconds(r.stateAgeSeconds)}
            {r.queryTruncated ? ' · query text cut at 2,000 characters' : ''}
          </div>
          {r.note ? <div>note: {r.note}</div> : null}
          <pre>{r.query || '(no query yet)'}</pre>
        </div>
      )}
    />
  );
}
