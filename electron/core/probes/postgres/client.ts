/**
 * The sampling connection (DESIGN.md §3): one dedicated client per target, never a pool,
 * `application_name=preflight`, short statement and lock timeouts, read-only by default,
 * and autocommit so no snapshot is held between samples.
 */
import pg from 'pg';
import { maskUrl, scrubMessage } from '../../util/redact';
import { InputError, UnreachableError } from '../../util/errors';
import { checkPostgresUrl } from './url-check';

export const PROBE_APPLICATION_NAME = 'preflight';

export interface ProbeClientOptions {
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

/** The target could not be reached or refused us; callers report it as down. */
export class TargetUnreachableError extends UnreachableError {
  override readonly code: string = 'target_unreachable';
}

/** The server refused the credentials: watchers stop instead of retrying (util/auth-failure.ts). */
export class AuthenticationFailedError extends TargetUnreachableError {
  override readonly code = 'auth_failed';
  readonly authFailed = true;
}

const AUTH_FAILURE_CODES = new Set(['28P01', '28000']);

// Connection parameters a URL could carry that would weaken our session settings.
const OVERRIDABLE_PARAMS = ['application_name', 'options', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'fallback_application_name'];

function sanitisedUrl(raw: string): string {
  const url = new URL(raw);
  for (const p of OVERRIDABLE_PARAMS) url.searchParams.delete(p);
  return url.toString();
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
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  serverVersionNum = 0;
  serverVersion = '';

  constructor(
    readonly url: string,
    private readonly options: ProbeClientOptions = {},
  ) {
    const statementTimeout = options.statementTimeoutMs ?? 2000;
    if (statementTimeout > 2000 || statementTimeout <= 0) throw new Error('statementTimeoutMs must be between 1 and 2000 ms (DESIGN.md §3).');
    checkPostgresUrl(url);
    assertNotTransactionPooler(url);
  }

  get label(): string {
    return maskUrl(this.url);
  }

  get connected(): boolean {
    return this.client !== null;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: sanitisedUrl(this.url),
      application_name: PROBE_APPLICATION_NAME,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 5000,
      statement_timeout: this.options.statementTimeoutMs ?? 2000,
      lock_timeout: this.options.lockTimeoutMs ?? 1000,
      idle_in_transaction_session_timeout: this.options.idleInTransactionTimeoutMs ?? 5000,
      // The server enforces statement_timeout; this client-side limit catches a network that
      // went silent, so a hung target is reported down instead of blocking every later tick.
      query_timeout: (this.options.statementTimeoutMs ?? 2000) + 1500,
      keepAlive: true,
    });
    // A dropped connection must not crash the process; the next query reconnects.
    client.on('error', () => this.discard(client));
    client.on('end', () => this.discard(client));
    try {
      await client.connect();
      // Read-only and explicit timeouts in the session itself, in one round trip, so the
      // settings hold even behind poolers that ignore startup parameters.
      await client.query(
        `SET default_transaction_read_only = on; SET statement_timeout = ${Number(this.options.statementTimeoutMs ?? 2000)}; ` +
          `SET lock_timeout = ${Number(this.options.lockTimeoutMs ?? 1000)}; ` +
          `SET idle_in_transaction_session_timeout = ${Number(this.options.idleInTransactionTimeoutMs ?? 5000)}`,
      );
      const res = await client.query<{ v: string; n: string }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`);
      this.serverVersion = res.rows[0]?.v ?? '';
      this.serverVersionNum = Number(res.rows[0]?.n ?? 0);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      const code = (err as { code?: string })?.code ?? '';
      if (AUTH_FAILURE_CODES.has(code)) throw new AuthenticationFailedError(describePgError(err, this.url));
      throw new TargetUnreachableError(describePgError(err, this.url));
    }
    return client;
  }

  private discard(client: pg.Client): void {
    if (this.client === client) this.client = null;
  }

  private async ensure(): Promise<pg.Client> {
    if (this.closed) throw new TargetUnreachableError(`The probe connection to ${this.label} was closed.`);
    if (this.client) return this.client;
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    const client = await this.connecting;
    // Closed while connecting: never leave a live backend behind.
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new TargetUnreachableError(`The probe connection to ${this.label} was closed.`);
    }
    this.client = client;
    return client;
  }

  /** Opens the connection if needed (version known afterwards), without a round trip of its own. */
  async connect(): Promise<void> {
    await this.ensure();
  }

  /** Runs one autocommit statement on the sampling connection. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], name?: string): Promise<pg.QueryResult<R>> {
    const client = await this.ensure();
    try {
      return await client.query<R>(name ? { name, text: sql, values: params } : { text: sql, values: params });
    } catch (err) {
      if (isConnectionError(err) || /Query read timeout/i.test((err as Error)?.message ?? '')) {
        this.discard(client);
        client.end().catch(() => undefined);
        throw new TargetUnreachableError(describePgError(err, this.url));
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
