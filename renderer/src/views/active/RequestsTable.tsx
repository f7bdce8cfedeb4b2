import type { ColumnDef } from '@tanstack/react-table';
import type { RequestRecord } from '../../../../shared/schemas/active';
import { DataTable, textOrNumberFilter } from '../../components/DataTable';

type Row = RequestRecord & { burst: string; latencyMs: number | null; limitHeaders: string };

const columns: ColumnDef<Row, unknown>[] = [
  { accessorKey: 'burst', header: 'burst', filterFn: textOrNumberFilter },
  { accessorKey: 'index', header: 'index', filterFn: textOrNumberFilter },
  { accessorKey: 'status', header: 'status', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() as number | null) ?? '—' },
  { accessorKey: 'sentMs', header: 'sent (ms)', filterFn: textOrNumberFilter },
  { accessorKey: 'latencyMs', header: 'latency (ms)', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() as number | null) ?? '—' },
  { accessorKey: 'limitHeaders', header: 'rate-limit headers', filterFn: textOrNumberFilter },
  { accessorKey: 'forwardedFor', header: 'forged X-Forwarded-For', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() as string | null) ?? '—' },
  { accessorKey: 'error', header: 'error', filterFn: textOrNumberFilter, cell: (c) => (c.getValue() as string | null) ?? '' },
];

/** Every request with its timing and the rate-limit headers it got back. */
export function RequestsTable(props: { bursts: { label: string; requests: RequestRecord[] }[] }) {
  const rows: Row[] = props.bursts.flatMap((b) =>
    b.requests.map((r) => ({
      ...r,
      burst: b.label,
      latencyMs: r.receivedMs === null ? null : Number((r.receivedMs - r.sentMs).toFixed(1)),
      limitHeaders: Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('; '),
    })),
  );
  return <DataTable data={rows} columns={columns} getRowId={(r) => `${r.burst}-${r.index}`} testId="requests-table" initialSorting={[{ id: 'index', desc: false }]} />;
}
