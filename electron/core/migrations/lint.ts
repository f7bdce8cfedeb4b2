/**
 * Squawk-like lint for pending migrations. Pure: it reads the file and a little about the
 * target (which tables exist and whether they hold rows). Findings block `apply` unless
 * acknowledged by rule id (`--ack-lint`).
 */
import type { MigrationFile, MigrationStatement } from './migration-files';
import { alterTableActions, alterTableTarget, createdTable, parseCreateIndex, qualifiedKey, type QualifiedName } from './sql-shapes';

export type LintRuleId =
  | 'require-concurrent-index-creation'
  | 'concurrently-in-transaction'
  | 'require-lock-timeout'
  | 'adding-field-with-volatile-default'
  | 'constraint-missing-not-valid'
  | 'changing-column-type';

export const LINT_RULES: Record<LintRuleId, string> = {
  'require-concurrent-index-creation': 'CREATE INDEX without CONCURRENTLY blocks writes to a table that already exists for the whole build.',
  'concurrently-in-transaction': 'CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction; add `-- preflight:no-transaction`.',
  'require-lock-timeout': 'DDL without a lock timeout can queue behind a long transaction and block every query behind it; set `-- preflight:lock-timeout` or `SET lock_timeout`.',
  'adding-field-with-volatile-default': 'ADD COLUMN with a volatile DEFAULT rewrites the whole table under an ACCESS EXCLUSIVE lock; add the column without a default, then backfill in batches.',
  'constraint-missing-not-valid': 'Adding a FOREIGN KEY or CHECK constraint validates every row under a lock; add it NOT VALID, then VALIDATE CONSTRAINT separately.',
  'changing-column-type': 'ALTER COLUMN … TYPE on a populated table rewrites it under an ACCESS EXCLUSIVE lock; add a new column and backfill instead.',
};

export interface LintFinding {
  rule: LintRuleId;
  file: string;
  line: number;
  statement: string;
  message: string;
}

export interface LintTableFacts {
  /** Whether the table holds rows; null when unknown (then treated as populated). */
  populated: boolean | null;
}

export interface LintContext {
  /** Existing tables keyed `schema.table`. */
  tables: Map<string, LintTableFacts>;
}

// Functions whose result changes per row: a default built on them forces a table rewrite.
const VOLATILE_FUNCTIONS = ['random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current'];
const LOCKING_DDL = /^(ALTER\s+TABLE|CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+(TABLE|INDEX)|ALTER\s+INDEX|CREATE\s+TRIGGER|DROP\s+TRIGGER|TRUNCATE|LOCK\s+TABLE|ALTER\s+TYPE|REINDEX|CLUSTER|VACUUM\s+FULL)\b/i;

function finding(rule: LintRuleId, file: MigrationFile, s: MigrationStatement, detail?: string): LintFinding {
  return { rule, file: file.fileName, line: s.line, statement: s.sql.length > 200 ? `${s.sql.slice(0, 200)}…` : s.sql, message: detail ? `${LINT_RULES[rule]} (${detail})` : LINT_RULES[rule] };
}

export function lintMigration(file: MigrationFile, context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  const created = new Set<string>();
  const exists = (q: QualifiedName) => context.tables.has(qualifiedKey(q)) && !created.has(qualifiedKey(q));
  const populated = (q: QualifiedName) => exists(q) && context.tables.get(qualifiedKey(q))!.populated !== false;
  const setsLockTimeout = file.directives.lockTimeoutMs !== null || file.statements.some((s) => /^SET\s+(LOCAL\s+)?lock_timeout\b/i.test(s.sql));
  let lockTimeoutReported = false;

  for (const s of file.statements) {
    const sql = s.sql;
    const made = createdTable(sql);
    if (made) created.add(qualifiedKey(made));

    if (!setsLockTimeout && !lockTimeoutReported && LOCKING_DDL.test(sql)) {
      findings.push(finding('require-lock-timeout', file, s));
      lockTimeoutReported = true;
    }

    if (/\bCONCURRENTLY\b/i.test(sql) && /^(CREATE|DROP|REINDEX|REFRESH)\b/i.test(sql) && !file.directives.noTransaction) {
      findings.push(finding('concurrently-in-transaction', file, s));
    }

    const index = parseCreateIndex(sql);
    if (index && !index.concurrently && exists(index.table)) {
      findings.push(finding('require-concurrent-index-creation', file, s, `${qualifiedKey(index.table)} already exists`));
    }

    const target = alterTableTarget(sql);
    if (!target) continue;
    const body = alterTableActions(sql);
    for (const m of body.matchAll(/\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+[^,]*?\bDEFAULT\s+([^,]+)/gi)) {
      const fn = VOLATILE_FUNCTIONS.find((f) => new RegExp(String.raw`\b${f}\s*\(`, 'i').test(m[1]!));
      if (fn && exists(target)) findings.push(finding('adding-field-with-volatile-default', file, s, `${fn}() is volatile`));
    }
    if (/\bADD\s+(CONSTRAINT\s+\S+\s+)?(FOREIGN\s+KEY|CHECK)\b/i.test(body) && !/\bNOT\s+VALID\b/i.test(body) && exists(target)) {
      findings.push(finding('constraint-missing-not-valid', file, s, `on ${qualifiedKey(target)}`));
    }
    if (/\bALTER\s+(COLUMN\s+)?\S+\s+(SET\s+DATA\s+)?TYPE\b/i.test(body) && populated(target)) {
      findings.push(finding('changing-column-type', file, s, `${qualifiedKey(target)} holds rows`));
    }
  }
  return findings;
}

/** Findings not covered by `--ack-lint` (rule ids, or `all`). */
export function unacknowledged(findings: LintFinding[], acknowledged: string[]): LintFinding[] {
  if (acknowledged.includes('all')) return [];
  return findings.filter((f) => !acknowledged.includes(f.rule));
}
