/**
 * Audit entries for `migrate apply` (DESIGN.md §3), shared by the CLI and the Migrations page:
 * `started` before the writer connection opens (so a run that crashes half-way still left a
 * trace), then exactly one outcome — `succeeded`, `failed` or `cancelled`. `refused` is only
 * written when the person did not confirm the environment.
 */
import type { ApplyResult } from '../../../shared/schemas/migrations';
import { writeAudit } from '../audit/audit-log';
import { LintBlockedError } from './apply';
import { ChecksumMismatchError } from './status';
import { MigrationLockedError } from './writer-connection';
import type { MigrationFile } from './migration-files';

export interface ApplyAuditContext {
  /** The database URL (masked by the audit log). */
  target: string;
  environment: string;
  runId: string;
  /** Extra fields recorded with every entry, e.g. the transport the UI used. */
  extra?: Record<string, unknown>;
}

const ACTION = 'migrate.apply';

/** The person did not type the environment name: nothing was started. */
export function auditApplyRefused(ctx: Omit<ApplyAuditContext, 'runId'>, reason: string): void {
  writeAudit({ action: ACTION, target: ctx.target, environment: ctx.environment, outcome: 'refused', details: { reason, ...ctx.extra } });
}

/** Written before the writer connection opens, i.e. before anything can be written. */
export function auditApplyStarted(ctx: ApplyAuditContext, files: MigrationFile[]): void {
  writeAudit({ action: ACTION, target: ctx.target, environment: ctx.environment, outcome: 'started', details: { runId: ctx.runId, ...ctx.extra, files: files.map((f) => f.version) } });
}

export function auditApplyResult(ctx: ApplyAuditContext, result: ApplyResult): void {
  writeAudit({
    action: ACTION,
    target: ctx.target,
    environment: ctx.environment,
    outcome: result.outcome === 'nothing_to_do' ? 'succeeded' : result.outcome,
    details: {
      runId: ctx.runId,
      ...ctx.extra,
      durationMs: Math.round(result.durationMs),
      nothingToDo: result.outcome === 'nothing_to_do',
      files: result.files.map((f) => ({ version: f.version, outcome: f.outcome, ran: f.ran, skipped: f.skipped.length, retries: f.retries, cleaned: f.cleanedInvalidIndexes })),
      error: result.error,
    },
  });
}

/** Why a run that threw stopped, for the log: the run started, so it failed (never "refused"). */
function stoppedBy(err: unknown): string {
  if (err instanceof LintBlockedError) return 'lint';
  if (err instanceof MigrationLockedError) return 'migration-lock-held';
  if (err instanceof ChecksumMismatchError) return 'checksum-mismatch';
  return 'error';
}

export function auditApplyError(ctx: ApplyAuditContext, err: unknown): void {
  writeAudit({ action: ACTION, target: ctx.target, environment: ctx.environment, outcome: 'failed', details: { runId: ctx.runId, ...ctx.extra, stoppedBy: stoppedBy(err), error: (err as Error)?.message ?? String(err) } });
}
