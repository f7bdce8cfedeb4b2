/**
 * What the runner reads from the target before deciding: history, tables and columns, indexes
 * by definition, open transactions, the Alembic revision. Read-only queries that work on the
 * probe's connection or the migrating one.
 */
import type pg from 'pg';
import type { LintContext } from './lint';
import { quoteIdent, type QualifiedName } from './sql-shapes';
import { normalizeSql } from '../util/sql-normalize';

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export const HISTORY_TABLE = 'preflight.schema_migrations';

export interface HistoryRow {
  id: number;
  version: string;
  name: string;
  sha256: string;
  appliedAt: string;
  appliedBy: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  details: Record<string, unknown> | null;
}

export async function historyExists(db: Queryable): Promise<boolean> {
  const r = await db.query<{ t: string | null }>(`SELECT to_regclass('${HISTORY_TABLE}')::text AS t`);
  return r.rows[0]?.t != null;
}

export async function readHistory(db: Queryable): Promise<HistoryRow[]> {
  if (!(await historyExists(db))) return [];
  const r = await db.query<{ id: string; version: string; name: string; sha256: string; applied_at: Date; applied_by: string; duration_ms: number; outcome: 'succeeded' | 'failed'; details: Record<string, unknown> | null }>(
    `SELECT id, version, name, sha256, applied_at, applied_by, duration_ms, outcome, details FROM ${HISTORY_TABLE} ORDER BY id`,
  );
  return r.rows.map((x) => ({ id: Number(x.id), version: x.version, name: x.name, sha256: x.sha256, appliedAt: x.applied_at.toISOString(), appliedBy: x.applied_by, durationMs: x.duration_ms, outcome: x.outcome, details: x.details }));
}

export async function alembicRevision(db: Queryable): Promise<string | null> {
  const t = await db.query<{ t: string | null }>(`SELECT to_regclass('alembic_version')::text AS t`);
  if (!t.rows[0]?.t) return null;
  const r = await db.query<{ v: string }>(`SELECT version_num AS v FROM alembic_version LIMIT 1`);
  return r.rows[0]?.v ?? null;
}

export interface TableColumns {
  /** `schema.table` → its column names. */
  tables: Map<string, string[]>;
}

export async function readTableColumns(db: Queryable): Promise<TableColumns> {
  const r = await db.query<{ key: string; columns: string[] }>(
    `SELECT n.nspname || '.' || c.relname AS key,
            ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  return { tables: new Map(r.rows.map((x) => [x.key, x.columns])) };
}

/** Lint needs to know which tables exist and whether they hold rows (from the planner's estimate, then a one-row probe). */
export async function readLintContext(db: Queryable, columns: TableColumns, tablesOfInterest: QualifiedName[]): Promise<LintContext> {
  const tables: LintContext['tables'] = new Map([...columns.tables.keys()].map((k) => [k, { populated: null }]));
  for (const t of tablesOfInterest) {
    const key = `${t.schema}.${t.name}`;
    if (!tables.has(key)) continue;
    const est = await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass`, [`${quoteIdent(t.schema)}.${quoteIdent(t.name)}`]);
    const n = est.rows[0]?.n ?? -1;
    if (n > 0) tables.set(key, { populated: true });
    else {
      // Never analysed (-1) or empty-looking (0): look at one row; a lock wait ends at the session's lock_timeout.
      const any = await db.query<{ x: number }>(`SELECT 1 AS x FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)} LIMIT 1`).catch(() => null);
      tables.set(key, { populated: any ? any.rows.length > 0 : null });
    }
  }
  return { tables };
}

export interface IndexState {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
  valid: boolean;
  ready: boolean;
  method: string;
  predicate: string | null;
}

export async function readIndexStates(db: Queryable): Promise<IndexState[]> {
  const r = await db.query<IndexState>(
    `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
            ARRAY(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) ELSE a.attname::text END
                    FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                   WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) AS columns,
            x.indisunique AS unique, x.indisvalid AS valid, x.indisready AS ready, am.amname AS method,
            pg_get_expr(x.indpred, x.indrelid, true) AS predicate
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  return r.rows;
}

export interface OpenTransaction {
  pid: number;
  application: string;
  state: string;
  ageSeconds: number;
  query: string;
}

/** Transactions in this database a CREATE INDEX CONCURRENTLY would wait for (all of them older than its start). */
export async function readOpenTransactions(db: Queryable): Promise<OpenTransaction[]> {
  const r = await db.query<{ pid: number; application: string; state: string; age: number; query: string }>(
    `SELECT pid, application_name AS application, COALESCE(state, '') AS state,
            EXTRACT(EPOCH FROM clock_timestamp() - xact_start)::float8 AS age, left(query, 200) AS query
       FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
        AND backend_type = 'client backend'
      ORDER BY xact_start`,
  );
  // Query text can carry secrets in any literal: shown normalised (literals → $n), like pg sessions.
  return r.rows.map((x) => ({ pid: x.pid, application: x.application, state: x.state, ageSeconds: x.age, query: normalizeSql(x.query) }));
}
