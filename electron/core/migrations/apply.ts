/**
 * `migrate apply`: under the session advisory lock on the migrating connection, re-reads the
 * history (a run that waited sees what the other applied), refuses edited files and
 * unacknowledged lint, then runs each pending file and records it in preflight.schema_migrations.
 */
import { randomUUID } from 'node:crypto';
import type { ApplyResult, AppliedFileResult, MigrationEvent } from '../../../shared/schemas/migrations';
import { lintMigration, unacknowledged, type LintFinding } from './lint';
import type { MigrationFile } from './migration-files';
import { decideStatement, planFile, readSnapshot } from './plan';
import { DEFAULT_RETRY, describeWriters, MigrationCancelledError, runAutocommitStatement, runInTransaction, StatementFailedError, isLockTimeout, backoffMs, type RetryPolicy } from './run-statement';
import { assertChecksums, pendingFiles } from './status';
import { HISTORY_TABLE, readHistory, readLintContext } from './target-facts';
import { appliedBy, WriterConnection } from './writer-connection';
import { alterTableTarget, parseCreateIndex, type QualifiedName } from './sql-shapes';

export class LintBlockedError extends Error {
  readonly code = 'lint_blocked';
  constructor(readonly findings: LintFinding[]) {
    super(`Lint found ${findings.length} problem${findings.length > 1 ? 's' : ''} in pending migrations (${[...new Set(findings.map((f) => f.rule))].join(', ')}); nothing was applied. Fix them, or acknowledge with --ack-lint <rule,…>.`);
  }
}

export interface ApplyOptions {
  ackLint?: string[];
  retry?: RetryPolicy;
  /** Overrides the file's lock timeout (tests, emergencies). */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** How long to wait for another run's lock; 0 stops at once. */
  waitLockMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: MigrationEvent) => void;
  runId?: string;
}

const HISTORY_DDL = `CREATE SCHEMA IF NOT EXISTS preflight;
CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  id bigserial PRIMARY KEY,
  version text NOT NULL,
  name text NOT NULL,
  sha256 text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL,
  duration_ms integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
  details jsonb
)`;

async function recordHistory(conn: WriterConnection, f: MigrationFile, r: AppliedFileResult): Promise<void> {
  await conn.query(`INSERT INTO ${HISTORY_TABLE} (version, name, sha256, applied_by, duration_ms, outcome, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    f.version,
    f.name,
    f.sha256,
    appliedBy(),
    Math.round(r.durationMs),
    r.outcome === 'succeeded' ? 'succeeded' : 'failed',
    JSON.stringify({ ran: r.ran, skipped: r.skipped, retries: r.retries, cleanedInvalidIndexes: r.cleanedInvalidIndexes, error: r.error, cancelled: r.outcome === 'cancelled' }),
  ]);
}

export async function applyMigrations(url: string, files: MigrationFile[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const runId = options.runId ?? randomUUID();
  const started = performance.now();
  const emit = (kind: MigrationEvent['kind'], message: string, extra: Partial<MigrationEvent> = {}) =>
    options.onEvent?.({ runId, at: new Date().toISOString(), kind, message, version: null, statement: null, durationMs: null, ...extra });
  const retry = options.retry ?? DEFAULT_RETRY;
  const conn = await WriterConnection.open(url, { waitMs: options.waitLockMs ?? 0, signal: options.signal });
  let cancelledByUs = false;
  const onAbort = () => {
    cancelledByUs = true;
    void conn.cancelRunning().catch(() => undefined);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const results: AppliedFileResult[] = [];
  try {
    await conn.acquireLock(options.waitLockMs ?? 0, options.signal);
    emit('lock', `holding the migration lock on ${conn.database} (session advisory lock, pid ${conn.pid})`);
    await conn.query(`SET lock_timeout = ${options.lockTimeoutMs ?? 5000}`);
    await conn.query(HISTORY_DDL);
    const history = await readHistory(conn);
    assertChecksums(files, history);
    const pending = pendingFiles(files, history);
    if (!pending.length) {
      emit('done', 'nothing to apply: every migration is already applied');
      return { runId, database: conn.database, outcome: 'nothing_to_do', files: [], durationMs: performance.now() - started, error: null };
    }
    let snap = await readSnapshot(conn);
    const touched = pending.flatMap((f) => f.statements.flatMap((s) => [alterTableTarget(s.sql), parseCreateIndex(s.sql)?.table ?? null])).filter((x): x is QualifiedName => x !== null);
    const lintContext = await readLintContext(conn, snap.columns, touched);
    const blocking = unacknowledged(pending.flatMap((f) => lintMigration(f, lintContext)), options.ackLint ?? []);
    if (blocking.length) throw new LintBlockedError(blocking);

    for (const file of pending) {
      const plan = planFile(file, snap, []);
      const lockTimeoutMs = options.lockTimeoutMs ?? plan.lockTimeoutMs;
      const statementTimeoutMs = options.statementTimeoutMs ?? plan.statementTimeoutMs;
      const fileStarted = performance.now();
      const result: AppliedFileResult = { version: file.version, name: file.name, outcome: 'succeeded', durationMs: 0, ran: 0, skipped: [], retries: 0, cleanedInvalidIndexes: [], error: null };
      emit('file-start', `${file.fileName}: ${file.statements.length} statements, ${plan.transactional ? 'in one transaction' : 'each on its own (no transaction)'}, lock_timeout ${lockTimeoutMs} ms`, { version: file.version });
      try {
        if (plan.transactional) await applyTransactional(conn, file, plan.statements, { lockTimeoutMs, statementTimeoutMs, retry, result, emit, signal: options.signal });
        else {
          for (const s of file.statements) {
            if (options.signal?.aborted) throw new MigrationCancelledError([]);
            // Decide with the catalog as it is now: an earlier statement or another session may have changed it.
            snap = await readSnapshot(conn);
            const d = decideStatement(file, s, snap);
            if (d.action === 'skip') {
              result.skipped.push({ index: s.index, sql: s.sql, reason: d.reason ?? '' });
              emit('statement-skipped', `skipped: ${d.reason}`, { version: file.version, statement: s.index });
              continue;
            }
            emit('statement-start', s.sql, { version: file.version, statement: s.index });
            const run = await runAutocommitStatement(conn, s.sql, {
              lockTimeoutMs,
              statementTimeoutMs,
              retry,
              signal: options.signal,
              cancelled: () => cancelledByUs,
              onRetry: (r) => emit('retry', `attempt ${r.attempt} failed (${r.error}); retrying in ${r.delayMs} ms`, { version: file.version, statement: s.index, durationMs: r.delayMs }),
              onCleanup: (name) => emit('cleanup', `dropped INVALID index ${name} with DROP INDEX CONCURRENTLY`, { version: file.version, statement: s.index }),
              onWaitedForWriters: (w) =>
                emit('wait', `waited ${w.waitedMs} ms for ${w.writers.length} transaction${w.writers.length > 1 ? 's' : ''} writing ${w.table} to end before the build: ${describeWriters(w.writers, 5)}`, {
                  version: file.version,
                  statement: s.index,
                  durationMs: w.waitedMs,
                }),
            });
            result.ran++;
            result.retries += run.retries;
            result.cleanedInvalidIndexes.push(...run.cleaned);
            emit('statement-done', `done in ${run.durationMs.toFixed(0)} ms${run.retries ? ` after ${run.retries} retr${run.retries > 1 ? 'ies' : 'y'}` : ''}`, { version: file.version, statement: s.index, durationMs: run.durationMs });
          }
          result.durationMs = performance.now() - fileStarted;
          await conn.query('RESET statement_timeout; SET lock_timeout = 5000');
          await recordHistory(conn, file, result);
        }
        result.durationMs = performance.now() - fileStarted;
        results.push(result);
        emit('file-done', `${file.fileName} applied in ${result.durationMs.toFixed(0)} ms (${result.ran} ran, ${result.skipped.length} skipped)`, { version: file.version, durationMs: result.durationMs });
      } catch (err) {
        const cancelled = err instanceof MigrationCancelledError || cancelledByUs;
        result.outcome = cancelled ? 'cancelled' : 'failed';
        result.error = (err as Error).message;
        result.durationMs = performance.now() - fileStarted;
        if (err instanceof StatementFailedError || err instanceof MigrationCancelledError) result.cleanedInvalidIndexes.push(...err.cleaned);
        if (err instanceof StatementFailedError) result.retries += err.attempts - 1;
        results.push(result);
        await conn.query('ROLLBACK').catch(() => undefined);
        await conn.query('RESET statement_timeout; SET lock_timeout = 5000').catch(() => undefined);
        await recordHistory(conn, file, result).catch(() => undefined);
        emit('failed', `${file.fileName}: ${result.error}`, { version: file.version, durationMs: result.durationMs });
        return { runId, database: conn.database, outcome: result.outcome, files: results, durationMs: performance.now() - started, error: `${file.fileName}: ${result.error}` };
      }
    }
    emit('done', `applied ${results.length} migration${results.length > 1 ? 's' : ''}`);
    return { runId, database: conn.database, outcome: 'succeeded', files: results, durationMs: performance.now() - started, error: null };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await conn.releaseLock();
    await conn.close();
  }
}

interface TxContext {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  retry: RetryPolicy;
  result: AppliedFileResult;
  emit: (kind: MigrationEvent['kind'], message: string, extra?: Partial<MigrationEvent>) => void;
  signal?: AbortSignal;
}

/** A transactional file: all statements and its history row commit together; a lock timeout rolls back and retries the whole file. */
async function applyTransactional(conn: WriterConnection, file: MigrationFile, planned: ReturnType<typeof planFile>['statements'], ctx: TxContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    ctx.result.ran = 0;
    ctx.result.skipped = [];
    const fileStarted = performance.now();
    try {
      await conn.query('BEGIN');
      for (const p of planned) {
        if (ctx.signal?.aborted) throw new MigrationCancelledError([]);
        if (p.action === 'skip') {
          ctx.result.skipped.push({ index: p.index, sql: p.sql, reason: p.reason ?? '' });
          ctx.emit('statement-skipped', `skipped: ${p.reason}`, { version: file.version, statement: p.index });
          continue;
        }
        ctx.emit('statement-start', p.sql, { version: file.version, statement: p.index });
        const t = performance.now();
        await runInTransaction(conn, p.sql, ctx);
        ctx.result.ran++;
        ctx.emit('statement-done', `done in ${(performance.now() - t).toFixed(0)} ms (commits with the file)`, { version: file.version, statement: p.index, durationMs: performance.now() - t });
      }
      ctx.result.durationMs = performance.now() - fileStarted;
      await recordHistory(conn, file, ctx.result);
      await conn.query('COMMIT');
      return;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined);
      if (!isLockTimeout(err) || attempt >= ctx.retry.maxAttempts || ctx.signal?.aborted) throw err;
      ctx.result.retries++;
      const delayMs = backoffMs(attempt, ctx.retry);
      ctx.emit('retry', `attempt ${attempt} hit the lock timeout; rolled back, retrying the file in ${delayMs} ms`, { version: file.version, durationMs: delayMs });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
