/**
 * The migrating connection (DESIGN.md §3: writes use their own connection, never the probe's
 * read-only one). It holds a session-level advisory lock for the whole run: no transaction is
 * held for the lock, so CREATE INDEX CONCURRENTLY on this same session never waits on it.
 */
import { hostname, userInfo } from 'node:os';
import pg from 'pg';
import { describePgError, isConnectionError, TargetUnreachableError } from '../probes/postgres/client';

export const MIGRATION_APPLICATION_NAME = 'preflight-migrate';
// Two int4 keys ('pref', 'migr') so the lock cannot collide with an application's bigint keys by accident.
export const LOCK_KEYS = [0x70726566, 0x6d696772] as const;

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

  private constructor(
    readonly url: string,
    private readonly client: pg.Client,
    readonly pid: number,
    readonly database: string,
  ) {}

  static async open(url: string): Promise<WriterConnection> {
    const client = new pg.Client({ connectionString: url, application_name: MIGRATION_APPLICATION_NAME, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const r = await client.query<{ pid: number; db: string }>('SELECT pg_backend_pid() AS pid, current_database() AS db');
      // Fail fast if nothing else bounds it; each statement sets its own timeouts.
      await client.query("SET idle_in_transaction_session_timeout = '60s'");
      return new WriterConnection(url, client, r.rows[0]!.pid, r.rows[0]!.db);
    } catch (err) {
      await client.end().catch(() => undefined);
      if (isConnectionError(err)) throw new TargetUnreachableError(describePgError(err, url));
      throw err;
    }
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

  /** Cancels the statement running on this connection, from a short-lived second connection. */
  async cancelRunning(): Promise<boolean> {
    const c = new pg.Client({ connectionString: this.url, application_name: MIGRATION_APPLICATION_NAME, connectionTimeoutMillis: 5000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      const r = await c.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [this.pid]);
      return r.rows[0]?.ok ?? false;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
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
