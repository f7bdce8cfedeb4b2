/**
 * `pg.indexes`: compares expected indexes with the catalog by definition (table, ordered key
 * columns, uniqueness, predicate, method), never by name. Pure: it takes the catalog the
 * probe read and returns the report and a CheckResult.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { IndexExpectation, IndexNote, IndexReport, IndexStatus, IndexVerdict, InvalidIndex, SeqScanSuspect } from '../../../shared/schemas/indexes';
import type { CatalogIndex, CatalogTable, IndexCatalog } from '../probes/postgres/indexes';

export interface SeqScanThresholds {
  /** Rows read by sequential scans since the stats reset before a table is suspect. */
  minSeqRowsRead: number;
  /** Tables smaller than this are cheap to scan and never suspect. */
  minLiveRows: number;
  /** Index scans must make up less than this share of all scans. */
  maxIndexScanShare: number;
}

const DEFAULT_SEQ_SCAN_THRESHOLDS: SeqScanThresholds = { minSeqRowsRead: 1_000_000, minLiveRows: 10_000, maxIndexScanShare: 0.5 };

function splitTable(qualified: string): { schema: string; table: string } {
  const dot = qualified.indexOf('.');
  return dot === -1 ? { schema: 'public', table: qualified } : { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
}

/** Predicates compare after dropping outer parentheses, case and whitespace. */
export function normalisePredicate(p: string | null | undefined): string | null {
  if (!p) return null;
  let s = p.trim().toLowerCase().replace(/\s+/g, ' ');
  while (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s.replace(/\s*([()=<>!,])\s*/g, '$1');
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);
const label = (ix: CatalogIndex) => (ix.constraintName && ix.constraintName !== ix.name ? `${ix.name} (constraint ${ix.constraintName})` : ix.constraintType ? `${ix.name} (${ix.constraintType.replace('_', ' ')} constraint)` : ix.name);

function matchesDefinition(ix: CatalogIndex, exp: IndexExpectation): boolean {
  if (!sameColumns(ix.columns, exp.columns) || ix.method !== exp.method) return false;
  if (normalisePredicate(ix.predicate) !== normalisePredicate(exp.where)) return false;
  // A unique index also serves a non-unique expectation; the reverse does not hold.
  return exp.unique ? ix.unique : true;
}

/** Best candidate first: usable before broken, the expected name before another name. */
function rank(ix: CatalogIndex, exp: IndexExpectation): number {
  return (ix.valid && ix.ready ? 0 : 10) + (exp.name && ix.name === exp.name ? 0 : 1) + (ix.unique === exp.unique ? 0 : 2);
}

function notesFor(found: CatalogIndex, all: CatalogIndex[], statsResetAt: string | null): IndexNote[] {
  const notes: IndexNote[] = [];
  if (found.scans === 0) {
    notes.push({ kind: 'unused', message: `no index scans since ${statsResetAt ? `the statistics reset at ${statsResetAt}` : 'the statistics were created (never reset)'}` });
  }
  for (const other of all) {
    if (other.name === found.name || other.table !== found.table || other.schema !== found.schema || !other.valid) continue;
    if (other.columns.length >= found.columns.length && sameColumns(other.columns.slice(0, found.columns.length), found.columns) && normalisePredicate(other.predicate) === normalisePredicate(found.predicate)) {
      notes.push({ kind: 'duplicate', message: `${other.name} (${other.columns.join(', ')}) has the same leading columns (${found.columns.join(', ')})` });
    }
  }
  return notes;
}

function verdict(exp: IndexExpectation, status: IndexStatus, foundAs: string | null, reason: string | null, notes: IndexNote[] = []): IndexVerdict {
  return { name: exp.name ?? null, table: exp.table, columns: exp.columns, unique: exp.unique, where: exp.where ?? null, status, foundAs, reason, notes, optional: exp.optional ?? false };
}

/** An optional expectation that is absent is not applicable (saying why), never missing. */
function evaluateExpectation(exp: IndexExpectation, catalog: IndexCatalog): IndexVerdict {
  const v = evaluateRequired(exp, catalog);
  if (!exp.optional) return v;
  const why = `optional${exp.note ? `: ${exp.note}` : ''}`;
  if (v.status === 'missing' || v.status === 'not_applicable') return { ...v, status: 'not_applicable', reason: `${v.reason} (${why})` };
  return v.reason ? { ...v, reason: `${v.reason} (${why})` } : v;
}

function evaluateRequired(exp: IndexExpectation, catalog: IndexCatalog): IndexVerdict {
  const { schema, table } = splitTable(exp.table);
  const t = catalog.tables.find((x) => x.schema === schema && x.name === table);
  if (!t) return verdict(exp, 'not_applicable', null, `table ${schema}.${table} does not exist`);
  const absent = exp.columns.filter((c) => !t.columns.includes(c));
  if (absent.length) return verdict(exp, 'not_applicable', null, `column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `${table}.${c}`).join(', ')} ${absent.length > 1 ? 'do' : 'does'} not exist`);

  const onTable = catalog.indexes.filter((ix) => ix.schema === schema && ix.table === table);
  const candidates = onTable.filter((ix) => matchesDefinition(ix, exp)).sort((a, b) => rank(a, exp) - rank(b, exp));
  const best = candidates[0];
  const what = `${table}(${exp.columns.join(', ')})${exp.where ? ` WHERE ${exp.where}` : ''}`;
  if (!best) {
    const sameName = exp.name ? onTable.find((ix) => ix.name === exp.name) : undefined;
    const reason = sameName
      ? `an index named ${sameName.name} exists but its definition differs: ${sameName.definition}`
      : `no ${exp.unique ? 'unique ' : ''}${exp.method} index or constraint on ${what}`;
    return verdict(exp, 'missing', null, reason);
  }
  if (best.building) {
    return verdict(exp, 'not_ready', best.name, `${best.name} is being built right now (a CREATE INDEX CONCURRENTLY or REINDEX is in progress; indisready = ${best.ready}, indisvalid = ${best.valid}); queries cannot use it until it finishes`);
  }
  if (!best.valid || !best.ready) {
    return verdict(exp, 'invalid', best.name, `${best.name} is INVALID (indisvalid = false${best.ready ? '' : ', never became ready'}): a concurrent build failed; queries do not use it. Drop it with DROP INDEX CONCURRENTLY and rebuild`);
  }
  const notes = notesFor(best, catalog.indexes, catalog.statsResetAt);
  if (exp.name && best.name !== exp.name) {
    return verdict(exp, 'present_other_name', label(best), `the same definition exists as ${label(best)}, not as ${exp.name}`, notes);
  }
  return verdict(exp, 'present', exp.name ? null : label(best), null, notes);
}

function invalidIndexes(catalog: IndexCatalog): InvalidIndex[] {
  return catalog.indexes
    .filter((ix) => (!ix.valid || !ix.ready) && !ix.building)
    .map((ix) => ({
      schema: ix.schema,
      table: ix.table,
      name: ix.name,
      columns: ix.columns,
      valid: ix.valid,
      ready: ix.ready,
      definition: ix.definition,
      fix: `DROP INDEX CONCURRENTLY IF EXISTS "${ix.schema}"."${ix.name}"; then rebuild it with CREATE INDEX CONCURRENTLY`,
    }));
}

function seqScanSuspects(tables: CatalogTable[], statsResetAt: string | null, th: SeqScanThresholds): SeqScanSuspect[] {
  const since = statsResetAt ? `since ${statsResetAt}` : 'since the statistics were created';
  return tables
    .filter((t) => t.seqScans > 0 && t.seqRowsRead >= th.minSeqRowsRead && t.liveRows >= th.minLiveRows)
    .map((t) => ({ t, share: t.indexScans / (t.indexScans + t.seqScans) }))
    .filter(({ share }) => share < th.maxIndexScanShare)
    .sort((a, b) => b.t.seqRowsRead - a.t.seqRowsRead)
    .map(({ t, share }) => ({
      schema: t.schema,
      table: t.name,
      seqScans: t.seqScans,
      seqRowsRead: t.seqRowsRead,
      indexScans: t.indexScans,
      liveRows: t.liveRows,
      rowsPerSeqScan: Math.round(t.seqRowsRead / t.seqScans),
      indexScanShare: share,
      reason: `${t.seqScans} sequential scans read ${t.seqRowsRead} rows (${Math.round(t.seqRowsRead / t.seqScans)} rows per scan, ${t.liveRows} live rows) ${since}, while index scans are ${(share * 100).toFixed(1)} % of scans: a likely missing index`,
    }));
}

export function evaluateIndexes(catalog: IndexCatalog, expectations: IndexExpectation[], thresholds: SeqScanThresholds = DEFAULT_SEQ_SCAN_THRESHOLDS): IndexReport {
  const indexes = expectations.map((e) => evaluateExpectation(e, catalog));
  const counts = { present: 0, present_other_name: 0, missing: 0, invalid: 0, not_ready: 0, not_applicable: 0 } as Record<IndexStatus, number>;
  for (const v of indexes) counts[v.status]++;
  return {
    database: catalog.database,
    checkedAt: catalog.checkedAt,
    statsResetAt: catalog.statsResetAt,
    indexes,
    invalid: invalidIndexes(catalog),
    seqScanSuspects: seqScanSuspects(catalog.tables, catalog.statsResetAt, thresholds),
    counts,
    catalogMs: catalog.catalogMs,
  };
}

const BROKEN: IndexStatus[] = ['missing', 'invalid', 'not_ready'];

/** The check: fail when an expected index is missing or unusable; warn on names, stray invalid indexes and seq-scan suspects. */
export function indexCheck(report: IndexReport, durationMs = report.catalogMs): CheckResult {
  const broken = report.indexes.filter((v) => BROKEN.includes(v.status) && !v.optional);
  // An optional index that exists but is INVALID or still building: worth a warning, never a fail.
  const optionalBroken = report.indexes.filter((v) => BROKEN.includes(v.status) && v.optional);
  const renamed = report.indexes.filter((v) => v.status === 'present_other_name');
  const strayInvalid = report.invalid.filter((i) => !report.indexes.some((v) => v.foundAs === i.name));
  const usable = report.counts.present + report.counts.present_other_name;
  const status = broken.length ? 'fail' : renamed.length || optionalBroken.length || strayInvalid.length || report.seqScanSuspects.length ? 'warn' : 'pass';
  const parts = [`${usable} of ${report.indexes.length - report.counts.not_applicable} applicable expected indexes usable`];
  if (broken.length) parts.push(`${broken.length} ${broken.map((b) => `${b.name ?? b.columns.join(',')} ${b.status}`).join(', ')}`);
  if (optionalBroken.length) parts.push(`optional ${optionalBroken.map((b) => `${b.name ?? b.columns.join(',')} ${b.status}`).join(', ')}`);
  if (report.counts.not_applicable) parts.push(`${report.counts.not_applicable} not applicable`);
  if (renamed.length) parts.push(`${renamed.length} under another name`);
  if (report.invalid.length) parts.push(`${report.invalid.length} invalid index${report.invalid.length > 1 ? 'es' : ''} in the database`);
  if (report.seqScanSuspects.length) parts.push(`${report.seqScanSuspects.length} table${report.seqScanSuspects.length > 1 ? 's' : ''} with heavy sequential scans`);
  return {
    id: 'pg.indexes',
    title: 'Expected indexes are present and valid',
    category: 'performance',
    severity: 'high',
    status,
    summary: `${parts.join('; ')} (checked ${report.checkedAt}).`,
    evidence: { counts: report.counts, indexes: report.indexes, invalid: report.invalid, seqScanSuspects: report.seqScanSuspects, statsResetAt: report.statsResetAt },
    fix: 'Create missing indexes with CREATE INDEX CONCURRENTLY (preflight migrate apply), and drop INVALID ones with DROP INDEX CONCURRENTLY before rebuilding.',
    durationMs,
  };
}
