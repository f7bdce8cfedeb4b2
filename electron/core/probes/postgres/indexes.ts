/**
 * Index catalog probe: every index with its key columns, flags and scan counter, and every
 * table with its columns and scan counters. It reads pg_catalog and pg_stat_* only, in one
 * round trip per query, and takes no lock on user tables. These queries cost more than an
 * activity sample, so callers run them on a slow loop (minutes), never every sample.
 */
import type { ProbeClient } from './client';

export interface CatalogIndex {
  schema: string;
  table: string;
  name: string;
  /** Key columns in order; an expression column appears as its SQL text. */
  columns: string[];
  unique: boolean;
  primary: boolean;
  valid: boolean;
  ready: boolean;
  /** A CREATE INDEX CONCURRENTLY / REINDEX is building it right now (pg_stat_progress_create_index). */
  building: boolean;
  method: string;
  /** Partial-index predicate as the server prints it, or null. */
  predicate: string | null;
  /** The constraint backed by this index (primary key, unique, exclusion), or null. */
  constraintName: string | null;
  constraintType: 'primary_key' | 'unique' | 'exclusion' | null;
  /** Index scans since the statistics were reset; null when the server keeps no counter. */
  scans: number | null;
  definition: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
  columns: string[];
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
  liveRows: number;
}

export interface IndexCatalog {
  database: string;
  checkedAt: string;
  statsResetAt: string | null;
  indexes: CatalogIndex[];
  tables: CatalogTable[];
  catalogMs: number;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

const indexCatalogSql = `
SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
       ARRAY(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) ELSE a.attname::text END
               FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= x.indnkeyatts
              ORDER BY k.ord) AS columns,
       x.indisunique AS unique, x.indisprimary AS primary, x.indisvalid AS valid, x.indisready AS ready,
       EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = x.indexrelid) AS building,
       am.amname AS method, pg_get_expr(x.indpred, x.indrelid, true) AS predicate,
       c.conname AS constraint_name, c.contype AS constraint_type,
       s.idx_scan AS scans, pg_get_indexdef(x.indexrelid) AS definition
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_am am ON am.oid = i.relam
  LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x')
  LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
 WHERE ${USER_SCHEMAS}
 ORDER BY 1, 2, 3`;

const tableCatalogSql = `
SELECT n.nspname AS schema, c.relname AS name,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
       COALESCE(s.seq_scan, 0) AS seq_scans, COALESCE(s.seq_tup_read, 0) AS seq_rows_read,
       COALESCE(s.idx_scan, 0) AS index_scans, COALESCE(s.n_live_tup, 0) AS live_rows
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.relkind IN ('r', 'p', 'm') AND ${USER_SCHEMAS}
 ORDER BY 1, 2`;

const statsResetSql = `SELECT current_database() AS database, stats_reset FROM pg_stat_database WHERE datname = current_database()`;

/** A row as the catalog query returns it: CatalogIndex with the constraint in catalog form. */
type IndexRow = Omit<CatalogIndex, 'constraintName' | 'constraintType' | 'scans'> & {
  constraint_name: string | null;
  constraint_type: 'p' | 'u' | 'x' | null;
  scans: string | number | null;
};

interface TableRow {
  schema: string;
  name: string;
  columns: string[];
  seq_scans: string;
  seq_rows_read: string;
  index_scans: string;
  live_rows: string;
}

const CONSTRAINT_TYPES = { p: 'primary_key', u: 'unique', x: 'exclusion' } as const;

/** Reads the index and table catalogs (three short read-only queries). */
export async function readIndexCatalog(client: ProbeClient): Promise<IndexCatalog> {
  const started = performance.now();
  const reset = await client.query<{ database: string; stats_reset: Date | null }>(statsResetSql);
  const indexes = await client.query<IndexRow>(indexCatalogSql);
  const tables = await client.query<TableRow>(tableCatalogSql);
  return {
    database: reset.rows[0]?.database ?? '',
    checkedAt: new Date().toISOString(),
    statsResetAt: reset.rows[0]?.stats_reset ? reset.rows[0].stats_reset.toISOString() : null,
    indexes: indexes.rows.map((r) => ({
      schema: r.schema,
      table: r.table,
      name: r.name,
      columns: r.columns,
      unique: r.unique,
      primary: r.primary,
      valid: r.valid,
      ready: r.ready,
      building: r.building,
      method: r.method,
      predicate: r.predicate,
      constraintName: r.constraint_name,
      constraintType: r.constraint_type ? CONSTRAINT_TYPES[r.constraint_type] : null,
      scans: r.scans === null ? null : Number(r.scans),
      definition: r.definition,
    })),
    tables: tables.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      columns: r.columns,
      seqScans: Number(r.seq_scans),
      seqRowsRead: Number(r.seq_rows_read),
      indexScans: Number(r.index_scans),
      liveRows: Number(r.live_rows),
    })),
    catalogMs: performance.now() - started,
  };
}
