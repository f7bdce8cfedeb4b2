/**
 * A sortable table with a filter box under every column header (TanStack Table). Rows can
 * expand to show a detail panel (long query text, evidence).
 */
import {
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type SortingState,
} from '@tanstack/react-table';
import { Fragment, useState, type ReactNode } from 'react';

export function DataTable<T>(props: {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  getRowId: (row: T) => string;
  renderDetail?: (row: T) => ReactNode;
  initialSorting?: SortingState;
  testId?: string;
  emptyText?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>(props.initialSorting ?? []);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [expanded, setExpanded] = useState({});
  const table = useReactTable({
    data: props.data,
    columns: props.columns,
    state: { sorting, columnFilters, expanded },
    getRowId: props.getRowId,
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onExpandedChange: setExpanded,
    getRowCanExpand: () => Boolean(props.renderDetail),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    autoResetExpanded: false,
  });
  const rows = table.getRowModel().rows;
  const columnCount = table.getVisibleLeafColumns().length;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={props.testId}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()} disabled={!header.column.getCanSort()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className="sort-mark">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                    </button>
                    {header.column.getCanFilter() ? (
                      <input
                        className="column-filter"
                        aria-label={`Filter ${String(header.column.columnDef.header)}`}
                        placeholder="filter"
                        value={(header.column.getFilterValue() as string | undefined) ?? ''}
                        onChange={(e) => header.column.setFilterValue(e.target.value || undefined)}
                      />
                    ) : null}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="empty-row">
                {props.emptyText ?? 'No rows.'}
              </td>
            </tr>
          ) : null}
          {rows.map((row) => (
            <Fragment key={row.id}>
              <tr className={row.getIsExpanded() ? 'expanded' : undefined} onClick={row.getCanExpand() ? row.getToggleExpandedHandler() : undefined} data-testid="table-row">
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
              {row.getIsExpanded() && props.renderDetail ? (
                <tr className="detail-row">
                  <td colSpan={columnCount}>{props.renderDetail(row.original)}</td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      <div className="table-footer">
        {rows.length} of {props.data.length} rows
      </div>
    </div>
  );
}

/** Filters a column by substring of its displayed text; numbers by prefix comparison like `>5`. */
export function textOrNumberFilter(row: { getValue: (id: string) => unknown }, columnId: string, filter: string): boolean {
  const value = row.getValue(columnId);
  const f = filter.trim();
  const cmp = /^([<>]=?)\s*(-?\d+(\.\d+)?)$/.exec(f);
  if (cmp && typeof value === 'number') {
    const n = Number(cmp[2]);
    switch (cmp[1]) {
      case '>':
        return value > n;
      case '>=':
        return value >= n;
      case '<':
        return value < n;
      default:
        return value <= n;
    }
  }
  return String(value ?? '').toLowerCase().includes(f.toLowerCase());
}
