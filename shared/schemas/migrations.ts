import { z } from 'zod';

/**
 * `checksum_mismatch`: the same file (version and name) changed after it ran. `different_migration`:
 * the folder holds another migration (another name) under a version the database already applied.
 */
const MigrationState = z.enum(['applied', 'pending', 'failed', 'checksum_mismatch', 'different_migration', 'file_missing']);

export const MigrationStatusRow = z.object({
  version: z.string(),
  name: z.string(),
  fileName: z.string().nullable(),
  state: MigrationState,
  sha256: z.string().nullable(),
  appliedSha256: z.string().nullable(),
  /** The name recorded when this version was applied (differs from `name` for a different_migration). */
  appliedName: z.string().nullable(),
  appliedAt: z.string().nullable(),
  appliedBy: z.string().nullable(),
  durationMs: z.number().nullable(),
  lastOutcome: z.enum(['succeeded', 'failed']).nullable(),
});
export type MigrationStatusRow = z.infer<typeof MigrationStatusRow>;

/** A folder file whose version the database applied with other content: edited, or another migration altogether. */
export const MigrationMismatch = z.object({
  version: z.string(),
  kind: z.enum(['edited', 'different_migration']),
  /** In the folder. */
  fileName: z.string(),
  sha256: z.string(),
  /** What the database recorded when it ran this version. */
  appliedFileName: z.string(),
  appliedSha256: z.string(),
  appliedAt: z.string(),
  /** One sentence: what was applied, what is in the folder, what to do. */
  message: z.string(),
});
export type MigrationMismatch = z.infer<typeof MigrationMismatch>;

export const MigrationStatus = z.object({
  database: z.string(),
  historyTable: z.string(),
  historyExists: z.boolean(),
  /** Alembic's revision when an alembic_version table exists, shown beside our own history. */
  alembicRevision: z.string().nullable(),
  migrations: z.array(MigrationStatusRow),
  pending: z.number(),
  /** File names of every mismatch (edited or a different migration); `mismatches` says which and why. */
  checksumMismatches: z.array(z.string()),
  mismatches: z.array(MigrationMismatch),
  /** Pending files numbered below the newest applied one: added after a later migration ran. */
  outOfOrder: z.array(z.string()),
});
export type MigrationStatus = z.infer<typeof MigrationStatus>;

const LintFindingSchema = z.object({
  rule: z.string(),
  file: z.string(),
  line: z.number(),
  statement: z.string(),
  message: z.string(),
});

export const PlannedStatement = z.object({
  index: z.number(),
  line: z.number(),
  sql: z.string(),
  action: z.enum(['run', 'skip']),
  /** Why it is skipped, or what the runner will do around it. */
  reason: z.string().nullable(),
  /** An INVALID index of the same name the runner drops first, so IF NOT EXISTS cannot keep it. */
  dropsInvalidFirst: z.string().nullable(),
});
export type PlannedStatement = z.infer<typeof PlannedStatement>;

export const PlannedFile = z.object({
  version: z.string(),
  name: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  transactional: z.boolean(),
  lockTimeoutMs: z.number(),
  statementTimeoutMs: z.number(),
  statements: z.array(PlannedStatement),
  lint: z.array(LintFindingSchema),
});
export type PlannedFile = z.infer<typeof PlannedFile>;

const OpenTransactionSchema = z.object({ pid: z.number(), application: z.string(), state: z.string(), ageSeconds: z.number(), query: z.string() });

export const MigrationPlan = z.object({
  database: z.string(),
  files: z.array(PlannedFile),
  lint: z.array(LintFindingSchema),
  /** Transactions open now that a CREATE INDEX CONCURRENTLY would wait for (pid, application, age in s). */
  openTransactions: z.array(OpenTransactionSchema),
  alembicRevision: z.string().nullable(),
});
export type MigrationPlan = z.infer<typeof MigrationPlan>;

export const MigrationEvent = z.object({
  runId: z.string(),
  at: z.string(),
  kind: z.enum(['lock', 'file-start', 'statement-start', 'statement-done', 'statement-skipped', 'retry', 'wait', 'cleanup', 'file-done', 'failed', 'done']),
  version: z.string().nullable(),
  statement: z.number().nullable(),
  message: z.string(),
  durationMs: z.number().nullable(),
});
export type MigrationEvent = z.infer<typeof MigrationEvent>;

export const AppliedFileResult = z.object({
  version: z.string(),
  name: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'cancelled']),
  durationMs: z.number(),
  ran: z.number(),
  skipped: z.array(z.object({ index: z.number(), sql: z.string(), reason: z.string() })),
  retries: z.number(),
  cleanedInvalidIndexes: z.array(z.string()),
  error: z.string().nullable(),
});
export type AppliedFileResult = z.infer<typeof AppliedFileResult>;

export const ApplyResult = z.object({
  runId: z.string(),
  database: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'cancelled', 'nothing_to_do']),
  files: z.array(AppliedFileResult),
  durationMs: z.number(),
  error: z.string().nullable(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

const VerifyProblem = z.object({ version: z.string().nullable(), kind: z.enum(['checksum_mismatch', 'different_migration', 'index_missing', 'index_invalid', 'pending', 'last_run_failed']), message: z.string() });

export const VerifyResult = z.object({
  database: z.string(),
  ok: z.boolean(),
  checkedIndexes: z.number(),
  problems: z.array(VerifyProblem),
});
export type VerifyResult = z.infer<typeof VerifyResult>;
