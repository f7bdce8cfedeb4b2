/**
 * The migrating connection (DESIGN.md §3: writes use their own connection, never the probe's
 * read-only one). It holds a session-level advisory lock for the whole run: no transaction is
 * held for the lock, so CREATE INDEX CONCURRENTLY on this same session never waits on it.
 */
import { hostname, userInfo } from 'node:os';
import type pg from 'pg';
import { describePgError, isConnectionError, TargetUnreachableError } from '../probes/postgres/client';
import { MIGRATION_APPLICATION_NAME, openWriter, type WriterLease } from '../probes/postgres/connections';

export { MIGRATION_APPLICATION_NAME };
// Two int4 keys ('pref', 'migr') so the lock cannot collide with an application's bigint keys by accident.
const LOCK_KEYS = [0x70726566, 0x6d696772] as const;

export class MigrationLockedError extends Error {
  readonly code = 'migration_locked';
}

export interface LockHolder {
  pid: number;
  application: string;
  since: string | null;
}

export class WriterConnection {
  /** The last session-level timeouts SET on this connection, so unchanged ones are not re-sent. */
  sessionSettings: string | null = null;

  private readonly client: pg.Client;
  readonly pid: number;
  readonly database: string;

  private constructor(
    readonly url: string,
    private readonly lease: WriterLease,
  ) {
    this.client = lease.client;
    this.pid = lease.pid;
    this.database = lease.database;
  }

  /** The writer is the budget's third connection (connections.ts), one per database, only while applying. */
  static async open(url: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<WriterConnection> {
    const lease = await openWriter(url, (err, where) => (isConnectionError(err) ? new TargetUnreachableError(describePgError(err, where)) : null), {
      ...options,
      // Another apply of this process to the same database holds the writer (and the lock).
      busy: (holder, database) =>
        new MigrationLockedError(
          `Another migration run in this Preflight holds the lock on ${database}${holder?.pid ? ` (pid ${holder.pid}, application "${MIGRATION_APPLICATION_NAME}", connected since ${holder.since})` : ''}. ` +
            `Nothing was applied; wait for it to finish${options.waitMs ? '' : ' or pass --wait-lock <seconds>'}.`,
        ),
    });
    try {
      // Fail fast if nothing else bounds it; each statement sets its own timeouts.
      await lease.client.query("SET idle_in_transaction_session_timeout = '60s'");
    } catch (err) {
      await lease.release();
      if (isConnectionError(err)) throw new TargetUnreachableError(describePgError(err, url));
      throw err;
    }
    return new WriterConnection(url, lease);
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    if (/^\s*(RESET|SET(?!\s+LOCAL))\b/i.test(sql)) this.sessionSettings = null;
    return this.client.query<R>(sql, params);
  }

  /** Who holds the migration lock now, if anyone. */
  async lockHolder(): Promise<LockHolder | null> {
    const r = await this.client.query<{ pid: number; application: string; since: Date | null }>(
      `SELECT l.pid, a.application_name AS application, a.backend_start AS since
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [LOCK_KEYS[0], LOCK_KEYS[1]],
    );
    const row = r.rows[0];
    return row ? { pid: row.pid, application: row.application ?? '', since: row.since?.toISOString() ?? null } : null;
  }

  /** Takes the session-level lock, polling up to `waitMs`; throws MigrationLockedError naming the holder. */
  async acquireLock(waitMs = 0, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_KEYS[0], LOCK_KEYS[1]]);
      if (r.rows[0]?.ok) return;
      if (Date.now() >= deadline || signal?.aborted) {
        const holder = await this.lockHolder();
        throw new MigrationLockedError(
          `Another migration run holds the lock on ${this.database}${holder ? ` (pid ${holder.pid}, application "${holder.application}", connected since ${holder.since})` : ''}. ` +
            `Nothing was applied; wait for it to finish${waitMs ? '' : ' or pass --wait-lock <seconds>'}.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
    }
  }

  async releaseLock(): Promise<void> {
    await this.client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_KEYS[0], LOCK_KEYS[1]]).catch(() => undefined);
  }

  /** Cancels the statement running on this connection with the protocol's cancel request: no second session. */
  async cancelRunning(): Promise<boolean> {
    await this.lease.cancelRunning();
    return true;
  }

  async close(): Promise<void> {
    await this.lease.release();
  }
}

export function appliedBy(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* containers without a passwd entry */
  }
  return `${user}@${hostname()}`;
}
