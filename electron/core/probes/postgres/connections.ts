/**
 * The one place Preflight opens a PostgreSQL connection (DESIGN.md §3). A target is the
 * database's identity — host, port, database and user as the driver resolves them, not the
 * URL string — and one process holds at most two connections to a database: one sampler
 * (activity, sessions, readiness SELECT 1, SSE counts) and one on-demand reader (catalog,
 * migration status), plus a migration writer only while an apply runs. Every caller shares
 * these; a caller that would need another connection waits (bounded) or is refused, and
 * nothing here ever opens a fourth. The pids of the sampler and reader are kept in one
 * process-wide registry, so counts leave out exactly Preflight's own backends, never
 * sessions that merely call themselves "preflight".
 */
import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import pg from 'pg';
import { ContractError } from '../../../../shared/contract-error';
import { maskUrl } from '../../util/redact';
import { UnreachableError } from '../../util/errors';

export type ConnectionRole = 'sampler' | 'reader' | 'writer';

export const PROBE_APPLICATION_NAME = 'preflight';
export const MIGRATION_APPLICATION_NAME = 'preflight-migrate';
/** The writer that cancels or terminates another backend on a person's request (core/pg-admin). */
export const ADMIN_APPLICATION_NAME = 'preflight-admin';

/** A request beyond the per-database budget: said, never answered with another connection. */
export class ConnectionBudgetError extends ContractError {
  constructor(message: string) {
    super(message, 'connection_budget');
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

/** The URL cannot be read as a PostgreSQL connection string (a usage error on every face). */
export class InvalidTargetError extends ContractError {
  constructor(message: string) {
    super(message, 'bad_input');
  }
}

// Connection parameters a URL could carry that would weaken our session settings.
const OVERRIDABLE_PARAMS = ['application_name', 'options', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'fallback_application_name'];

function sanitisedUrl(raw: string): string {
  const url = new URL(raw);
  for (const p of OVERRIDABLE_PARAMS) url.searchParams.delete(p);
  return url.toString();
}

export interface PgTargetIdentity {
  host: string;
  port: number;
  database: string;
  user: string;
  /** host:port — pids are unique per server, so the own-pid registry is keyed by it. */
  serverKey: string;
  /** host:port/database — the budget is per database. */
  databaseKey: string;
  /** user@host:port/database */
  key: string;
  /** Hash of what else decides the session (password, TLS settings): never shown. */
  loginFingerprint: string;
}

// Names of this machine's loopback interface: the same port on them is the same server.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

function canonicalHost(host: string): string {
  if (host.startsWith('/')) return host.replace(/\/+$/, '') || '/';
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return LOOPBACK.has(h) ? 'localhost' : h;
}

/** The identity the driver would connect to, after the parameters Preflight strips are gone. */
export function pgTargetIdentity(raw: string): PgTargetIdentity {
  let params: pg.Client;
  try {
    // The driver's own resolution (URL, ?host=, PG* environment, defaults); nothing connects.
    params = new pg.Client({ connectionString: sanitisedUrl(raw) });
  } catch (err) {
    throw new InvalidTargetError(`Cannot read ${maskUrl(raw)} as a PostgreSQL URL: ${(err as Error).message}`);
  }
  const host = canonicalHost(String(params.host ?? 'localhost'));
  const port = Number(params.port) || 5432;
  const user = String(params.user ?? '');
  const database = String(params.database ?? user);
  const serverKey = `${host}:${port}`;
  const databaseKey = `${serverKey}/${database}`;
  const ssl = (params as unknown as { ssl?: unknown }).ssl ?? null;
  const loginFingerprint = createHash('sha256').update(JSON.stringify([params.password ?? null, ssl])).digest('hex');
  return { host, port, database, user, serverKey, databaseKey, key: `${user}@${databaseKey}`, loginFingerprint };
}

// ---- process-wide registry of own backend pids, per server ----

const ownPids = new Map<string, Set<number>>();

/** Pids of this process's sampler and reader backends on a server (host:port). */
export function ownBackendPids(serverKey: string): number[] {
  return [...(ownPids.get(serverKey) ?? [])];
}

/**
 * Every backend this process holds on a server: the sampler and reader, and the writer of any
 * database there while one is open. A cancel or terminate request refuses these pids.
 */
export function ownPreflightPids(serverKey: string): number[] {
  const writers = [...databases.values()].filter((e) => e.identity.serverKey === serverKey).map((e) => e.slots.writer.writer?.pid ?? null);
  return [...new Set([...ownBackendPids(serverKey), ...writers.filter((p): p is number => p !== null)])];
}

function registerPid(serverKey: string, pid: number): void {
  let set = ownPids.get(serverKey);
  if (!set) ownPids.set(serverKey, (set = new Set()));
  set.add(pid);
}

function unregisterPid(serverKey: string, pid: number): void {
  const set = ownPids.get(serverKey);
  set?.delete(pid);
  if (set?.size === 0) ownPids.delete(serverKey);
}

// ---- the budget ----

const DEFAULT_WAIT_MS = 10_000;
const READER_IDLE_MS = 15_000;

/** 2 by default (sampler + reader); PREFLIGHT_PG_CONNECTIONS=1 folds the reader onto the sampler. */
export function connectionBudget(env: NodeJS.ProcessEnv = process.env): 1 | 2 {
  return env.PREFLIGHT_PG_CONNECTIONS === '1' ? 1 : 2;
}

export interface SessionSettings {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  connectTimeoutMs: number;
}

type ConnectionError = (err: unknown, url: string) => Error | null;

/** One live read-only session, used by one caller at a time (a bounded queue in front). */
class SharedConnection {
  client: pg.Client | null = null;
  pid: number | null = null;
  serverVersion = '';
  serverVersionNum = 0;
  private connecting: Promise<pg.Client> | null = null;
  private busy = false;
  private readonly waiting: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly slot: Slot,
    private readonly idleCloseMs: number | null,
  ) {}

  private async open(url: string, settings: SessionSettings): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: sanitisedUrl(url),
      application_name: PROBE_APPLICATION_NAME,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      lock_timeout: settings.lockTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
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
        `SET default_transaction_read_only = on; SET statement_timeout = ${Number(settings.statementTimeoutMs)}; ` +
          `SET lock_timeout = ${Number(settings.lockTimeoutMs)}; SET idle_in_transaction_session_timeout = ${Number(settings.idleInTransactionTimeoutMs)}`,
      );
      const res = await client.query<{ v: string; n: string; pid: number }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n, pg_backend_pid() AS pid`);
      this.serverVersion = res.rows[0]?.v ?? '';
      this.serverVersionNum = Number(res.rows[0]?.n ?? 0);
      this.pid = res.rows[0]!.pid;
      registerPid(this.slot.entry.identity.serverKey, this.pid);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  discard(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.pid !== null) unregisterPid(this.slot.entry.identity.serverKey, this.pid);
    this.pid = null;
  }

  private async ensure(url: string, settings: SessionSettings): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= this.open(url, settings).finally(() => {
      this.connecting = null;
    });
    const client = await this.connecting;
    // Every holder left while connecting: never leave a live backend behind.
    if (this.closed) {
      await client.end().catch(() => undefined);
      if (this.pid !== null) unregisterPid(this.slot.entry.identity.serverKey, this.pid);
      throw new TargetUnreachableError(`The probe connection to ${maskUrl(url)} was closed.`);
    }
    this.client = client;
    return client;
  }

  private acquire(waitMs: number, label: string): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(
            new ConnectionBudgetError(
              `Preflight's ${this.slot.role} connection to ${label} stayed busy for ${Math.round(waitMs / 1000)} s; nothing else was opened ` +
                `(Preflight holds at most ${connectionBudget()} connections to a database). Try again in a moment.`,
            ),
          );
        }, waitMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else this.busy = false;
  }

  /** Runs `work` alone on the connection, opening it if needed; waits at most `waitMs` for its turn. */
  async run<T>(url: string, settings: SessionSettings, waitMs: number, work: (c: SharedConnection, client: pg.Client) => Promise<T>, asUnreachable: ConnectionError): Promise<T> {
    await this.acquire(waitMs, maskUrl(url));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    try {
      let client: pg.Client;
      try {
        client = await this.ensure(url, settings);
      } catch (err) {
        throw asUnreachable(err, url) ?? err;
      }
      try {
        return await work(this, client);
      } catch (err) {
        const mapped = asUnreachable(err, url);
        if (mapped) {
          this.discard(client);
          client.end().catch(() => undefined);
          throw mapped;
        }
        throw err;
      }
    } finally {
      this.release();
      if (this.idleCloseMs !== null && !this.busy) {
        this.idleTimer = setTimeout(() => void this.end(), this.idleCloseMs);
        this.idleTimer.unref?.();
      }
    }
  }

  /** The last holder left: end the session, and one still connecting ends when it arrives. */
  close(): Promise<void> {
    this.closed = true;
    return this.end();
  }

  /** Ends the session (the reader after idling); the next query opens a new one. */
  private async end(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const client = this.client;
    if (!client) return;
    this.discard(client);
    await client.end().catch(() => undefined);
  }
}

/** A role's place in a database's budget: at most one connection, bound to one login while held. */
class Slot {
  readonly holders = new Set<object>();
  login: { user: string; fingerprint: string } | null = null;
  connection: SharedConnection | null = null;
  /** The writer's backend while an apply holds the slot. */
  writer: WriterHolder | null = null;
  constructor(
    readonly entry: DatabaseEntry,
    readonly role: ConnectionRole,
  ) {}
}

class DatabaseEntry {
  readonly slots: Record<ConnectionRole, Slot>;
  constructor(readonly identity: PgTargetIdentity) {
    this.slots = { sampler: new Slot(this, 'sampler'), reader: new Slot(this, 'reader'), writer: new Slot(this, 'writer') };
  }
}

const databases = new Map<string, DatabaseEntry>();

function slotFor(identity: PgTargetIdentity, role: ConnectionRole, label: string): Slot {
  let entry = databases.get(identity.databaseKey);
  if (!entry) databases.set(identity.databaseKey, (entry = new DatabaseEntry(identity)));
  // With a budget of one, the reader's work runs on the sampler's connection.
  const slot = entry.slots[role === 'reader' && connectionBudget() === 1 ? 'sampler' : role];
  // The writer is the one slot that may differ in login (migrations often run as another role);
  // openWriter waits for it instead.
  if (role !== 'writer' && slot.holders.size > 0 && slot.login && (slot.login.user !== identity.user || slot.login.fingerprint !== identity.loginFingerprint)) {
    const how = slot.login.user !== identity.user ? `as user "${slot.login.user}"` : 'with a different password or TLS settings';
    throw new ConnectionBudgetError(
      `Refused ${label}: Preflight already connects to database "${identity.database}" on ${identity.host}:${identity.port} ${how}, ` +
        `and holds at most ${connectionBudget()} connections to a database. Stop the other watcher or page using it, or use the same URL.`,
    );
  }
  return slot;
}

// Applies waiting for a database's writer slot; woken whenever a writer leaves.
const writerWaiters = new Set<() => void>();

function leave(slot: Slot, holder: object): Promise<void> {
  if (!slot.holders.delete(holder)) return Promise.resolve();
  if (slot.holders.size > 0) return Promise.resolve();
  slot.login = null;
  slot.writer = null;
  if (slot.role === 'writer') for (const wake of [...writerWaiters]) wake();
  const connection = slot.connection;
  slot.connection = null;
  const entry = slot.entry;
  if (Object.values(entry.slots).every((s) => s.holders.size === 0)) databases.delete(entry.identity.databaseKey);
  return connection?.close() ?? Promise.resolve();
}

/**
 * A caller's hold on the sampler or reader connection of one database. Holding costs nothing;
 * the connection opens on the first query and is shared with every other holder of the same
 * identity. The last holder to close ends the connection.
 */
export class ConnectionHold {
  readonly identity: PgTargetIdentity;
  private readonly slot: Slot;
  private released = false;

  constructor(
    readonly url: string,
    readonly role: 'sampler' | 'reader',
    private readonly settings: SessionSettings,
    private readonly asUnreachable: ConnectionError,
  ) {
    this.identity = pgTargetIdentity(url);
    this.slot = slotFor(this.identity, role, maskUrl(url));
    this.slot.holders.add(this);
    this.slot.login ??= { user: this.identity.user, fingerprint: this.identity.loginFingerprint };
  }

  private connection(): SharedConnection {
    // The reader is opened on demand and closed when idle; the sampler lives while held.
    this.slot.connection ??= new SharedConnection(this.slot, this.slot.role === 'reader' ? READER_IDLE_MS : null);
    return this.slot.connection;
  }

  get connected(): boolean {
    return this.slot.connection?.client != null;
  }

  get serverVersion(): string {
    return this.slot.connection?.serverVersion ?? '';
  }

  get serverVersionNum(): number {
    return this.slot.connection?.serverVersionNum ?? 0;
  }

  /** Runs `work` with the shared client to itself; `ownPids` are this process's backends on the server. */
  run<T>(work: (client: pg.Client, ownPids: number[]) => Promise<T>, waitMs = DEFAULT_WAIT_MS): Promise<T> {
    if (this.released) return Promise.reject(new TargetUnreachableError(`The probe connection to ${maskUrl(this.url)} was closed.`));
    return this.connection().run(this.url, this.settings, waitMs, (_c, client) => work(client, ownBackendPids(this.identity.serverKey)), this.asUnreachable);
  }

  release(): Promise<void> {
    this.released = true;
    return leave(this.slot, this);
  }
}

/** The migration writer: a third connection, only while an apply runs, one per database. */
export interface WriterLease {
  client: pg.Client;
  pid: number;
  database: string;
  /** Cancels the statement running on the writer with the protocol's cancel request (no new session). */
  cancelRunning(): Promise<void>;
  release(): Promise<void>;
}

export interface WriterHolder {
  pid: number | null;
  since: string;
}

export interface OpenWriterOptions {
  /** How long to wait for another apply of this process to the same database (0: not at all). */
  waitMs?: number;
  signal?: AbortSignal;
  /** The error when the writer slot stays taken (the migration runner names the holder). */
  busy?: (holder: WriterHolder | null, database: string) => Error;
  /** What the session calls itself in pg_stat_activity (default: the migration writer's name). */
  applicationName?: string;
}

/** Takes the database's writer slot, waiting at most `waitMs` for an apply of this process to end. */
async function takeWriterSlot(identity: PgTargetIdentity, label: string, holder: object, options: OpenWriterOptions): Promise<Slot> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    const slot = slotFor(identity, 'writer', label);
    if (slot.holders.size === 0) {
      slot.holders.add(holder);
      slot.writer = { pid: null, since: new Date().toISOString() };
      return slot;
    }
    const left = deadline - Date.now();
    // A writer still connecting is waited for (within its connect timeout) so the refusal can name it.
    const naming = slot.writer?.pid == null && Date.now() < deadline + 10_000 && !options.signal?.aborted;
    if ((left <= 0 || options.signal?.aborted) && !naming) {
      throw (
        options.busy?.(slot.writer, identity.database) ??
        new ConnectionBudgetError(`Refused ${label}: a migration run in this Preflight is already applying to database "${identity.database}"; one writer per database. Wait for it to finish.`)
      );
    }
    await new Promise<void>((resolve) => {
      const wake = () => {
        writerWaiters.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(10, Math.min(left, 1000)));
      writerWaiters.add(wake);
    });
  }
}

export async function openWriter(url: string, asUnreachable: ConnectionError, options: OpenWriterOptions = {}): Promise<WriterLease> {
  const identity = pgTargetIdentity(url);
  const holder = {};
  const slot = await takeWriterSlot(identity, maskUrl(url), holder, options);
  const client = new pg.Client({ connectionString: url, application_name: options.applicationName ?? MIGRATION_APPLICATION_NAME, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ pid: number; db: string }>('SELECT pg_backend_pid() AS pid, current_database() AS db');
    const { pid, db } = r.rows[0]!;
    slot.writer = { pid, since: slot.writer?.since ?? new Date().toISOString() };
    for (const wake of [...writerWaiters]) wake();
    const keys = client as unknown as { processID: number; secretKey: number };
    return {
      client,
      pid,
      database: db,
      cancelRunning: () => sendCancelRequest(client, keys.processID, keys.secretKey),
      release: async () => {
        await client.end().catch(() => undefined);
        await leave(slot, holder);
      },
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    await leave(slot, holder);
    throw asUnreachable(err, url) ?? err;
  }
}

/**
 * The frontend/backend protocol's CancelRequest: a 16-byte message on a short socket that the
 * postmaster handles itself, so cancelling never costs a session (or a slot in max_connections).
 */
function sendCancelRequest(client: pg.Client, processId: number, secretKey: number): Promise<void> {
  const host = String(client.host ?? 'localhost');
  const port = Number(client.port) || 5432;
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(80877102, 4);
  message.writeInt32BE(processId, 8);
  message.writeInt32BE(secretKey, 12);
  return new Promise((resolve, reject) => {
    const socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${port}`) : netConnect(port, host);
    socket.setTimeout(5000, () => socket.destroy(new Error('cancel request timed out')));
    socket.once('connect', () => socket.end(message));
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}
