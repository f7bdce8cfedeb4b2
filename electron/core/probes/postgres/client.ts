/**
 * A probe's handle on a database (DESIGN.md §3): `application_name=preflight`, short statement
 * and lock timeouts, read-only, autocommit so no snapshot is held between samples. The handle
 * owns no connection: connections.ts shares one sampler and one reader per database identity
 * across every handle in the process, within the per-database budget.
 */
import type pg from 'pg';
import { maskUrl, scrubMessage } from '../../util/redact';
import { InputError } from '../../util/errors';
import { checkPostgresUrl } from './url-check';
import { AuthenticationFailedError, ConnectionHold, TargetUnreachableError, type PgTargetIdentity } from './connections';

export { PROBE_APPLICATION_NAME, TargetUnreachableError, AuthenticationFailedError, ConnectionBudgetError, InvalidTargetError } from './connections';

const AUTH_FAILURE_CODES = new Set(['28P01', '28000']);

export interface ProbeClientOptions {
  /**
   * sampler (default): the long-lived connection for cheap, frequent reads (activity, sessions,
   * SELECT 1). reader: the on-demand connection for slower catalog reads, so they never delay a sample.
   */
  role?: 'sampler' | 'reader';
  /** ≤ 2000 ms; a sample that takes longer is cancelled by the server. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * Refuses URLs that point at a transaction-mode pooler (Supabase's Supavisor on 6543, PgBouncer
 * on 6432): there a session `SET` sticks to whichever server connection ran it and is then
 * handed to the application — read-only mode and a 2 s timeout would leak into production
 * traffic — and `pg_backend_pid()` no longer names our own backend. Point Preflight at the
 * direct connection (Supabase: db.<project>.supabase.co:5432). A pooler known to run in session
 * mode can be allowed with PREFLIGHT_ALLOW_POOLER=session.
 */
export class UnsafeTargetError extends InputError {
  override readonly code = 'unsafe_target';
}

const TRANSACTION_POOLER_PORTS = new Set(['6543', '6432']);

export function assertNotTransactionPooler(raw: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.PREFLIGHT_ALLOW_POOLER === 'session') return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return; // the driver reports a malformed URL itself
  }
  if (TRANSACTION_POOLER_PORTS.has(url.port) || /\.pooler\.supabase\.com$/i.test(url.hostname)) {
    throw new UnsafeTargetError(
      `Refusing ${maskUrl(raw)}: it looks like a connection pooler (port ${url.port || 'default'}), where Preflight's session settings ` +
        '(read-only, 2 s statement timeout) could leak into the application\'s connections. Use the direct database URL ' +
        '(Supabase: db.<project>.supabase.co:5432), or set PREFLIGHT_ALLOW_POOLER=session if this pooler runs in session mode.',
    );
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '28000', '28P01', '3D000']);

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e?.code && CONNECTION_ERROR_CODES.has(e.code)) return true;
  return /Connection terminated|timeout expired|connect ECONNREFUSED|Client has encountered a connection error|not queryable/i.test(e?.message ?? '');
}

export function describePgError(err: unknown, url: string): string {
  const e = err as { code?: string; message?: string };
  const where = maskUrl(url);
  const msg = scrubMessage(e?.message || String(err));
  switch (e?.code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${where}: is PostgreSQL running and listening on that host and port?`;
    case 'ENOTFOUND':
      return `Host not found for ${where}: check the host name.`;
    case '28P01':
    case '28000':
      return `Authentication failed for ${where}: check the user and password.`;
    case '3D000':
      return `Database does not exist at ${where}: ${msg}`;
    case '57P01':
      return `The server at ${where} shut down the connection (administrator command).`;
    default:
      return `${msg} (${where})`;
  }
}

export class ProbeClient {
  private readonly hold: ConnectionHold;

  constructor(
    readonly url: string,
    private readonly options: ProbeClientOptions = {},
  ) {
    const statementTimeout = options.statementTimeoutMs ?? 2000;
    if (statementTimeout > 2000 || statementTimeout <= 0) throw new Error('statementTimeoutMs must be between 1 and 2000 ms (DESIGN.md §3).');
    checkPostgresUrl(url);
    assertNotTransactionPooler(url);
    this.hold = new ConnectionHold(
      url,
      options.role ?? 'sampler',
      {
        // The session keeps the most a probe may use; a caller asking for less gets it client-side.
        statementTimeoutMs: 2000,
        lockTimeoutMs: options.lockTimeoutMs ?? 1000,
        idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 5000,
        connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      },
      (err, where) => {
        if (err instanceof TargetUnreachableError) return err;
        if (AUTH_FAILURE_CODES.has((err as { code?: string })?.code ?? '')) return new AuthenticationFailedError(describePgError(err, where));
        if (isConnectionError(err) || /Query read timeout/i.test((err as Error)?.message ?? '')) return new TargetUnreachableError(describePgError(err, where));
        return null;
      },
    );
  }

  get label(): string {
    return maskUrl(this.url);
  }

  /** The database's identity (host, port, database, user): what the budget and sharing are keyed on. */
  get identity(): PgTargetIdentity {
    return this.hold.identity;
  }

  get connected(): boolean {
    return this.hold.connected;
  }

  get serverVersion(): string {
    return this.hold.serverVersion;
  }

  get serverVersionNum(): number {
    return this.hold.serverVersionNum;
  }

  /** Opens the shared connection if needed (version known afterwards), without a round trip of its own. */
  async connect(): Promise<void> {
    await this.hold.run(async () => undefined);
  }

  /** Runs one autocommit statement on the shared connection. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], name?: string): Promise<pg.QueryResult<R>> {
    return this.queryWithOwnPids<R>(() => params, sql, name);
  }

  /**
   * Like query, with parameters built from the pids of this process's own backends on the server
   * (read when the statement runs, so a reconnect in between is seen): counts leave them out by pid.
   */
  queryWithOwnPids<R extends pg.QueryResultRow = pg.QueryResultRow>(params: (ownPids: number[]) => unknown[], sql: string, name?: string): Promise<pg.QueryResult<R>> {
    // Server-side statement_timeout bounds the work; this client-side limit catches a network that
    // went silent, so a hung target is reported down instead of blocking every later tick.
    const queryTimeout = (this.options.statementTimeoutMs ?? 2000) + 1500;
    return this.hold.run((client, ownPids) => {
      const values = params(ownPids);
      return client.query<R>(name ? { name, text: sql, values, query_timeout: queryTimeout } as pg.QueryConfig : ({ text: sql, values, query_timeout: queryTimeout } as pg.QueryConfig));
    });
  }

  async close(): Promise<void> {
    await this.hold.release();
  }
}
