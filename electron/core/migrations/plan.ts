/**
 * `migrate plan`: for each pending file, the exact SQL, what will be skipped and why, lint
 * findings, and the open transactions a CONCURRENTLY build would wait for. The same decisions
 * drive `apply`, re-read under the lock just before each statement runs.
 */
import type { MigrationPlan, PlannedFile, PlannedStatement } from '../../../shared/schemas/migrations';
import { lintMigration, type LintFinding } from './lint';
import type { MigrationFile, MigrationStatement } from './migration-files';
import { normalisePredicate } from '../checks/indexes';
import { alterTableTarget, createdTable, parseCreateIndex, qualifiedKey, splitTopLevel, unquoteIdent, type QualifiedName } from './sql-shapes';
import { assertChecksums, pendingFiles } from './status';
import { alembicRevision, readHistory, readIndexStates, readLintContext, readOpenTransactions, readTableColumns, type IndexState, type Queryable, type TableColumns } from './target-facts';

export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 30 * 60_000;

export interface TargetSnapshot {
  columns: TableColumns;
  indexes: IndexState[];
}

export async function readSnapshot(db: Queryable): Promise<TargetSnapshot> {
  return { columns: await readTableColumns(db), indexes: await readIndexStates(db) };
}

function tableKey(raw: string): string {
  return raw.includes('.') ? raw : `public.${raw}`;
}

/** Whether to run a statement, given what the target holds right now. */
export function decideStatement(file: MigrationFile, s: MigrationStatement, snap: TargetSnapshot): PlannedStatement {
  const base = { index: s.index, line: s.line, sql: s.sql, dropsInvalidFirst: null };
  for (const req of s.directives.requires) {
    const cols = snap.columns.tables.get(tableKey(req.table));
    if (!cols) return { ...base, action: 'skip', reason: `requires table ${req.table}, which does not exist` };
    if (req.column && !cols.includes(req.column)) return { ...base, action: 'skip', reason: `requires column ${req.table}.${req.column}, which does not exist` };
  }
  const ix = parseCreateIndex(s.sql);
  if (!ix) return { ...base, action: 'run', reason: null };
  const cols = snap.columns.tables.get(qualifiedKey(ix.table));
  if (file.directives.skipIfMissing) {
    if (!cols) return { ...base, action: 'skip', reason: `table ${qualifiedKey(ix.table)} does not exist` };
    const absent = ix.columns.filter((c) => c.column !== null && !cols.includes(c.column)).map((c) => `${ix.table.name}.${c.column}`);
    if (absent.length) return { ...base, action: 'skip', reason: `column ${absent.join(', ')} does not exist` };
  }
  const onTable = snap.indexes.filter((i) => i.schema === ix.table.schema && i.table === ix.table.name);
  const named = ix.name ? onTable.find((i) => i.name === ix.name!.name) : undefined;
  if (s.directives.skipIfEquivalent) {
    const keys = ix.columns.map((c) => c.column);
    const same = onTable.find(
      (i) => i.valid && i.ready && i.name !== ix.name?.name && i.method === ix.method && (!ix.unique || i.unique) && i.columns.length === keys.length && i.columns.every((c, k) => c === keys[k]) && normalisePredicate(i.predicate) === normalisePredicate(ix.where),
    );
    if (same) return { ...base, action: 'skip', reason: `an equivalent ${same.unique ? 'unique ' : ''}index already exists as ${same.name}` };
  }
  if (named && (!named.valid || !named.ready)) {
    return { ...base, action: 'run', dropsInvalidFirst: named.name, reason: `${named.name} exists but is INVALID; it is dropped with DROP INDEX CONCURRENTLY first so IF NOT EXISTS cannot keep it` };
  }
  if (named && ix.ifNotExists) {
    const keys = ix.columns.map((c) => c.column ?? c.text);
    const same = named.columns.length === keys.length && named.columns.every((c, k) => c === keys[k]) && named.unique === ix.unique;
    return same
      ? { ...base, action: 'run', reason: `${named.name} already exists and is valid; IF NOT EXISTS makes this a no-op` }
      : { ...base, action: 'run', reason: `WARNING: an index named ${named.name} already exists with another definition (${named.unique ? 'unique ' : ''}${named.columns.join(', ')}); IF NOT EXISTS keeps it and creates nothing` };
  }
  return { ...base, action: 'run', reason: null };
}

/** Decides every statement; a table created earlier in the same file counts as existing from then on. */
function planStatements(file: MigrationFile, snap: TargetSnapshot): PlannedStatement[] {
  const tables = new Map(snap.columns.tables);
  return file.statements.map((s) => {
    const d = decideStatement(file, s, { ...snap, columns: { tables } });
    const made = createdTable(s.sql);
    if (made && !tables.has(qualifiedKey(made))) tables.set(qualifiedKey(made), createdColumns(s.sql));
    return d;
  });
}

/** Column names of a CREATE TABLE (first word of each element that is not a constraint). */
function createdColumns(sql: string): string[] {
  const open = sql.indexOf('(');
  const close = sql.lastIndexOf(')');
  if (open === -1 || close <= open) return [];
  return splitTopLevel(sql.slice(open + 1, close))
    .filter((el) => !/^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE|LIKE)\b/i.test(el))
    .map((el) => unquoteIdent(el.split(/\s+/)[0] ?? ''));
}

function tablesTouched(files: MigrationFile[]): QualifiedName[] {
  return files.flatMap((f) => f.statements.flatMap((s) => [alterTableTarget(s.sql), parseCreateIndex(s.sql)?.table ?? null].filter((x): x is QualifiedName => x !== null)));
}

export function planFile(file: MigrationFile, snap: TargetSnapshot, lint: LintFinding[], defaults = { lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS, statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS }): PlannedFile {
  return {
    version: file.version,
    name: file.name,
    fileName: file.fileName,
    sha256: file.sha256,
    transactional: !file.directives.noTransaction,
    lockTimeoutMs: file.directives.lockTimeoutMs ?? defaults.lockTimeoutMs,
    statementTimeoutMs: file.directives.statementTimeoutMs ?? defaults.statementTimeoutMs,
    statements: planStatements(file, snap),
    lint,
  };
}

/** Reads history (stopping on an edited applied file), the catalog and open transactions. */
export async function buildPlan(db: Queryable, files: MigrationFile[]): Promise<MigrationPlan> {
  const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
  const history = await readHistory(db);
  assertChecksums(files, history);
  const pending = pendingFiles(files, history);
  const snap = await readSnapshot(db);
  const lintContext = await readLintContext(db, snap.columns, tablesTouched(pending));
  const planned = pending.map((f) => planFile(f, snap, lintMigration(f, lintContext)));
  return {
    database,
    files: planned,
    lint: planned.flatMap((f) => f.lint),
    openTransactions: pending.length ? await readOpenTransactions(db) : [],
    alembicRevision: await alembicRevision(db),
  };
}
