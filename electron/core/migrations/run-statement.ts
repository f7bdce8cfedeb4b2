/**
 * Runs one statement with its lock and statement timeouts, retrying lock timeouts (and a build
 * that ended INVALID) with capped, jittered backoff. A statement timeout is never retried: the
 * same work would run in full and hit the same limit again. A failed CREATE INDEX
 * CONCURRENTLY leaves an INVALID index behind; it is found and dropped (DROP INDEX
 * CONCURRENTLY) before the retry or the stop.
 */
import { parseCreateIndex, quoteIdent, type CreateIndexShape } from './sql-shapes';
import type { WriterConnection } from './writer-connection';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Full jitter between half and all of the capped exponential delay. */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(capped / 2 + random() * (capped / 2));
}

interface PgError {
  code?: string;
  message?: string;
}

const formatMs = (ms: number) => (ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`);

export const isLockTimeout = (err: unknown) => (err as PgError)?.code === '55P03';
const isStatementTimeout = (err: unknown) => (err as PgError)?.code === '57014' && /statement timeout/i.test((err as PgError).message ?? '');

export class StatementFailedError extends Error {
  constructor(
    message: string,
    readonly sqlstate: string | null,
    readonly attempts: number,
    readonly cleaned: string[],
  ) {
    super(message);
  }
}

export class MigrationCancelledError extends Error {
  readonly code = 'cancelled';
  constructor(readonly cleaned: string[]) {
    super(`Cancelled${cleaned.length ? `; dropped the invalid index ${cleaned.join(', ')} the interrupted build left` : ''}.`);
  }
}

export interface StatementRun {
  attempts: number;
  retries: number;
  cleaned: string[];
  durationMs: number;
}

export interface RunOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: string }) => void;
  onCleanup?: (indexName: string) => void;
  /** A concurrent build waited for these transactions, open on its table when it was about to start. */
  onWaitedForWriters?: (wait: WriterWait) => void;
  /** Set by the caller when it cancelled the statement itself. */
  cancelled?: () => boolean;
}

async function setTimeouts(conn: WriterConnection, lockMs: number, statementMs: number, local: boolean): Promise<void> {
  const scope = local ? 'SET LOCAL' : 'SET';
  const sql = `${scope} lock_timeout = ${Math.round(lockMs)}; ${scope} statement_timeout = ${Math.round(statementMs)}`;
  // Session-level values persist, so an unchanged SET is skipped (one round trip less per statement).
  if (!local && conn.sessionSettings === sql) return;
  await conn.query(sql);
  conn.sessionSettings = local ? null : sql;
}

async function brokenIndexes(conn: WriterConnection, ix: CreateIndexShape): Promise<string[]> {
  const r = await conn.query<{ name: string }>(
    `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = $2 AND (NOT x.indisvalid OR NOT x.indisready)`,
    [ix.table.schema, ix.table.name],
  );
  return r.rows.map((x) => x.name);
}

// Lock modes that conflict with SHARE: a CREATE INDEX CONCURRENTLY waits for every transaction holding one.
const WRITER_LOCK_MODES = ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

/** A transaction that held a write lock on the table when a concurrent build was about to start. */
export interface TableWriter {
  pid: number | null;
  application: string;
  mode: string;
  /** Seconds its transaction had been open when last seen. */
  ageSeconds: number | null;
}

export interface WriterWait {
  table: string;
  waitedMs: number;
  writers: TableWriter[];
}

/** `pid 123 ("app", RowExclusiveLock, transaction open 0.2 s), …`, the first `limit` of them and how many more. */
export function describeWriters(ws: TableWriter[], limit = Infinity): string {
  const listed = ws
    .slice(0, limit)
    .map((x) => `pid ${x.pid ?? '(prepared transaction)'} ("${x.application}", ${x.mode}${x.ageSeconds !== null ? `, transaction open ${x.ageSeconds.toFixed(1)} s` : ''})`)
    .join(', ');
  return ws.length > limit ? `${listed} and ${ws.length - limit} more` : listed;
}

/**
 * CREATE INDEX CONCURRENTLY inserts its catalog entry before waiting for writers; a lock
 * timeout during that wait leaves an INVALID index that cannot be dropped while the writer
 * is still there. So first wait, within the lock timeout, for the transactions that hold a
 * write lock on the table now, and only then start; if one of them outlives the lock timeout,
 * stop before the build with a lock timeout that names it.
 *
 * Like Postgres's own wait (WaitForLockers), this waits only for the transactions present
 * when it starts, by virtual transaction id: transactions that begin meanwhile are not waited
 * for. Waiting for a moment when no session holds a write lock at all would never end on a
 * table written by several connections in short overlapping transactions.
 */
async function waitForTableWriters(conn: WriterConnection, ix: CreateIndexShape, timeoutMs: number, signal?: AbortSignal): Promise<WriterWait | null> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const table = `${quoteIdent(ix.table.schema)}.${quoteIdent(ix.table.name)}`;
  let waitingFor: Map<string, TableWriter> | null = null;
  let seen: TableWriter[] = [];
  for (let poll = 0; ; poll++) {
    const r = await conn.query<{ vxid: string; pid: number | null; application: string; mode: string; age: number | null }>(
      `SELECT l.virtualtransaction AS vxid, l.pid, COALESCE(a.application_name, '') AS application, l.mode,
              EXTRACT(EPOCH FROM clock_timestamp() - a.xact_start)::float8 AS age
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation' AND l.granted AND l.pid IS DISTINCT FROM pg_backend_pid() AND l.mode = ANY($2)
          AND l.relation = to_regclass($1)`,
      [table, WRITER_LOCK_MODES],
    );
    const now = new Map(r.rows.map((x) => [x.vxid, { pid: x.pid, application: x.application, mode: x.mode, ageSeconds: x.age }]));
    if (waitingFor === null) {
      waitingFor = now;
      seen = [...now.values()];
    } else {
      for (const vxid of [...waitingFor.keys()]) {
        const still = now.get(vxid);
        if (still) waitingFor.set(vxid, still);
        else waitingFor.delete(vxid);
      }
    }
    if (!waitingFor.size) return seen.length ? { table: `${ix.table.schema}.${ix.table.name}`, waitedMs: Date.now() - started, writers: seen } : null;
    if (Date.now() >= deadline || signal?.aborted) {
      throw Object.assign(
        new Error(
          `canceling statement due to lock timeout: ${ix.table.schema}.${ix.table.name} is held by ${describeWriters([...waitingFor.values()])}, open longer than the lock timeout; the build was not started, so no INVALID index is left`,
        ),
        { code: '55P03' },
      );
    }
    // Short transactions usually end within milliseconds: poll quickly at first.
    await sleep(Math.min(10 * 2 ** Math.min(poll, 4), Math.max(1, deadline - Date.now())), signal);
  }
}

/** Drops INVALID indexes by name with DROP INDEX CONCURRENTLY (itself retried on lock timeouts). */
async function dropInvalid(conn: WriterConnection, schema: string, names: string[], opts: RunOptions): Promise<string[]> {
  for (const name of names) {
    await runWithRetry(conn, `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(schema)}.${quoteIdent(name)}`, { ...opts, signal: undefined }, false);
    opts.onCleanup?.(name);
  }
  return names;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

async function runWithRetry(conn: WriterConnection, sql: string, opts: RunOptions, local: boolean): Promise<{ attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await setTimeouts(conn, opts.lockTimeoutMs, opts.statementTimeoutMs, local);
      await conn.query(sql);
      return { attempts: attempt };
    } catch (err) {
      if (!isLockTimeout(err) || attempt >= opts.retry.maxAttempts || opts.signal?.aborted) throw err;
      const delayMs = backoffMs(attempt, opts.retry);
      opts.onRetry?.({ attempt, delayMs, error: (err as Error).message });
      await sleep(delayMs, opts.signal);
    }
  }
}

/**
 * Runs a statement outside any transaction. CREATE INDEX statements get the invalid-index
 * treatment: an invalid namesake is dropped first, whatever a failed attempt leaves is dropped
 * after it, and success is only success when the index ends up valid.
 */
export async function runAutocommitStatement(conn: WriterConnection, sql: string, opts: RunOptions): Promise<StatementRun> {
  const started = performance.now();
  const ix = parseCreateIndex(sql);
  const cleaned: string[] = [];
  let retries = 0;
  const before = ix ? new Set(await brokenIndexes(conn, ix)) : new Set<string>();
  if (ix?.name && before.has(ix.name.name)) {
    cleaned.push(...(await dropInvalid(conn, ix.table.schema, [ix.name.name], opts)));
    before.delete(ix.name.name);
  }
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new MigrationCancelledError(cleaned);
    try {
      if (ix?.concurrently) {
        const waited = await waitForTableWriters(conn, ix, opts.lockTimeoutMs, opts.signal);
        if (waited) opts.onWaitedForWriters?.(waited);
      }
      if (opts.signal?.aborted) throw new MigrationCancelledError(cleaned);
      await setTimeouts(conn, opts.lockTimeoutMs, opts.statementTimeoutMs, false);
      await conn.query(sql);
      if (ix) {
        const left = (await brokenIndexes(conn, ix)).filter((n) => !before.has(n));
        if (left.length) {
          // IF NOT EXISTS met an invalid index created meanwhile: never keep it.
          cleaned.push(...(await dropInvalid(conn, ix.table.schema, left, opts)));
          throw Object.assign(new Error(`index ${left.join(', ')} was INVALID after the build`), { code: 'XXINV' });
        }
      }
      return { attempts: attempt, retries, cleaned, durationMs: performance.now() - started };
    } catch (err) {
      if (ix) {
        const left = (await brokenIndexes(conn, ix).catch(() => [] as string[])).filter((n) => !before.has(n));
        try {
          if (left.length) cleaned.push(...(await dropInvalid(conn, ix.table.schema, left, opts)));
        } catch (dropErr) {
          const leftBehind = left.filter((n) => !cleaned.includes(n));
          const stuck = `The INVALID index ${leftBehind.join(', ')} could not be dropped (${(dropErr as Error).message}); the next run drops it first, or run DROP INDEX CONCURRENTLY once the blocking transaction ends.`;
          throw new StatementFailedError(`${(err as Error).message}. ${stuck}`, (err as PgError).code ?? null, attempt, cleaned);
        }
      }
      if (opts.cancelled?.() || opts.signal?.aborted) throw new MigrationCancelledError(cleaned);
      // Only waiting is worth another try; a statement that ran out of time would run out again.
      const retryable = isLockTimeout(err) || (err as PgError).code === 'XXINV';
      if (!retryable || attempt >= opts.retry.maxAttempts) {
        const e = err as PgError;
        const why = isLockTimeout(err)
          ? `lock timeout (${opts.lockTimeoutMs} ms) on every one of ${attempt} attempts: a long transaction or lock holds the table; see \`migrate plan\` for open transactions (last: ${e.message})`
          : isStatementTimeout(err)
            ? `statement timeout: the statement ran longer than ${formatMs(opts.statementTimeoutMs)} (statement_timeout) and was cancelled. Not retried: it would redo the same work and hit the same limit. Raise the file's \`-- preflight:statement-timeout\` (or --statement-timeout) or run it when the table is quieter`
            : e.message ?? String(err);
        const cleanup = cleaned.length ? ` The INVALID index ${cleaned.join(', ')} left by the failed build was dropped.` : '';
        throw new StatementFailedError(`${why}${e.code && !isLockTimeout(err) && !isStatementTimeout(err) ? ` (SQLSTATE ${e.code})` : ''}.${cleanup}`, e.code ?? null, attempt, cleaned);
      }
      retries++;
      const delayMs = backoffMs(attempt, opts.retry);
      opts.onRetry?.({ attempt, delayMs, error: (err as Error).message });
      await sleep(delayMs, opts.signal);
    }
  }
}

/** Runs statements of a transactional file inside the caller's transaction (SET LOCAL timeouts). */
export async function runInTransaction(conn: WriterConnection, sql: string, opts: Pick<RunOptions, 'lockTimeoutMs' | 'statementTimeoutMs'>): Promise<void> {
  await setTimeouts(conn, opts.lockTimeoutMs, opts.statementTimeoutMs, true);
  await conn.query(sql);
}
