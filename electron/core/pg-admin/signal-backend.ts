/**
 * Cancel or terminate another session's backend (pg_cancel_backend / pg_terminate_backend), on
 * a person's request from the sessions table or the CLI (DESIGN.md §3: a write). The plan is
 * read on the read-only probe connection and names the pid, application and environment; the
 * signal runs on a separate writer connection from the connection manager, only after the
 * typed confirmation (the active probes' rule: the environment's name for production, the host
 * otherwise), refuses this Preflight's own backends, and is written to the audit log whatever
 * happens.
 */
import type pg from 'pg';
import { ContractError } from '../../../shared/contract-error';
import type { BackendAction, BackendPlan, BackendSignalResult } from '../../../shared/schemas/postgres';
import { writeAudit } from '../audit/audit-log';
import { isProductionEnvironment } from '../consent/production';
import { typedConfirmationFor } from '../consent/typed-confirmation';
import { confirmationMatches, describeConfirmation } from '../../../shared/schemas/confirmation';
import { describePgError, isConnectionError, type ProbeClient, TargetUnreachableError } from '../probes/postgres/client';
import { ADMIN_APPLICATION_NAME, ConnectionBudgetError, openWriter, ownPreflightPids, pgTargetIdentity } from '../probes/postgres/connections';
import { maskUrl } from '../util/redact';

/** Refused before anything is signalled: the fix is in what the person asked for (the CLI exits 2). */
export class BackendSignalRefusedError extends ContractError {
  constructor(message: string, code: 'not_confirmed' | 'own_backend' | 'not_found' | 'permission_denied') {
    super(message, code);
  }
}

const FUNCTION: Record<BackendAction, string> = { cancel: 'pg_cancel_backend', terminate: 'pg_terminate_backend' };
const VERB: Record<BackendAction, string> = { cancel: 'cancel the running query of', terminate: 'terminate the session of' };

// No filter on backend_type here: a row whose details are hidden (backend_type null) is another
// role's session this user may not see, said as such instead of "no such session".
const BACKEND_SQL = `
SELECT pid, coalesce(application_name, '') AS application, usename AS "user", datname AS database,
       coalesce(state, 'unknown') AS state, backend_type AS "backendType",
       -- Microseconds kept as text: the signal matches this exact start time (a JS Date keeps ms only).
       to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "backendStart"
FROM pg_stat_activity
WHERE pid = $1`;

interface BackendRow {
  backendType: string | null;
  pid: number;
  application: string;
  user: string | null;
  database: string | null;
  state: string;
  backendStart: string;
}

/** The host a person types back for a non-production target: the URL's host as they gave it. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'localhost';
  } catch {
    return pgTargetIdentity(url).host;
  }
}

export interface SignalTarget {
  url: string;
  environment: string;
  /** Which face asked ('cli', 'ipc', 'http'): recorded in the audit log. */
  via: string;
}

function ownPidRefusal(target: SignalTarget, pid: number, action: BackendAction): BackendSignalRefusedError {
  return new BackendSignalRefusedError(`Refused to ${action} pid ${pid}: it is one of this Preflight's own connections to ${maskUrl(target.url)}. Stop the watch or page that uses it instead.`, 'own_backend');
}

/** What the confirmation names: read on the probe's read-only connection, nothing is signalled. */
export async function planBackendSignal(probe: ProbeClient, target: SignalTarget, pid: number, action: BackendAction): Promise<BackendPlan> {
  if (ownPreflightPids(probe.identity.serverKey).includes(pid)) throw ownPidRefusal(target, pid, action);
  const res = await probe.queryWithOwnPids<BackendRow>(() => [pid], BACKEND_SQL);
  const row = res.rows[0];
  if (row && row.backendType === null) {
    throw new BackendSignalRefusedError(
      `The database user "${probe.identity.user}" cannot see the details of pid ${pid} (another role's session): reading them needs pg_read_all_stats, and signalling them pg_signal_backend (or superuser). Nothing was signalled.`,
      'permission_denied',
    );
  }
  if (row?.backendType !== 'client backend') throw new BackendSignalRefusedError(`No client session with pid ${pid} on ${maskUrl(target.url)}: it has ended, or the pid is not a client backend.`, 'not_found');
  // Checked again after the read: the sampler may have reconnected under a new pid meanwhile.
  if (ownPreflightPids(probe.identity.serverKey).includes(pid)) throw ownPidRefusal(target, pid, action);
  const production = isProductionEnvironment(target.environment);
  const confirm = typedConfirmationFor({ production, environment: target.environment, host: hostOf(target.url) });
  return {
    pid: row.pid,
    action,
    application: row.application,
    user: row.user,
    database: row.database,
    state: row.state,
    backendStart: row.backendStart,
    environment: target.environment,
    production,
    confirm,
    description: `${action === 'cancel' ? 'Cancel the running query of' : 'Terminate the session of'} pid ${row.pid} (application "${row.application || '(none)'}", user ${row.user ?? '?'}) on ${maskUrl(target.url)}, environment "${target.environment}".`,
  };
}

export interface SignalRequest {
  pid: number;
  action: BackendAction;
  /** The backend_start the plan showed: a pid reused by a new session since then is not signalled. */
  backendStart: string;
  /** What the person typed back. */
  confirm: string;
}

function audit(target: SignalTarget, request: SignalRequest, outcome: 'started' | 'succeeded' | 'failed' | 'refused', details: Record<string, unknown> = {}): void {
  writeAudit({ action: `pg.${request.action}-backend`, target: target.url, environment: target.environment, outcome, details: { pid: request.pid, backendStart: request.backendStart, via: target.via, ...details } });
}

/**
 * Sends the signal after checking the typed confirmation and the pid. `signalled` is false when
 * the session ended (or its pid went to a new session) before the signal: nothing else was hit.
 */
export async function signalBackend(target: SignalTarget, request: SignalRequest): Promise<BackendSignalResult> {
  const { pid, action } = request;
  const identity = pgTargetIdentity(target.url);
  const expected = typedConfirmationFor({ production: isProductionEnvironment(target.environment), environment: target.environment, host: hostOf(target.url) });
  if (!confirmationMatches(expected, request.confirm)) {
    audit(target, request, 'refused', { reason: `${expected.what} not confirmed` });
    throw new BackendSignalRefusedError(
      `Type ${describeConfirmation(expected)} exactly to ${action} pid ${pid}; nothing was signalled.`,
      'not_confirmed',
    );
  }
  if (ownPreflightPids(identity.serverKey).includes(pid)) {
    audit(target, request, 'refused', { reason: 'own backend' });
    throw ownPidRefusal(target, pid, action);
  }
  audit(target, request, 'started');
  let lease;
  try {
    lease = await openWriter(target.url, (err, where) => (isConnectionError(err) ? new TargetUnreachableError(describePgError(err, where)) : null), {
      applicationName: ADMIN_APPLICATION_NAME,
      waitMs: 5000,
      busy: (holder, database) =>
        new ConnectionBudgetError(
          `Preflight's writer connection to database "${database}" is busy${holder?.pid ? ` (pid ${holder.pid}, since ${holder.since})` : ''}, most likely applying migrations; one writer per database. Nothing was signalled; try again when it finishes.`,
        ),
    });
  } catch (err) {
    audit(target, request, 'failed', { error: (err as Error).message });
    throw err;
  }
  try {
    await lease.client.query('SET statement_timeout = 5000');
    // One statement: the row must still be the session the person confirmed (pid and start time),
    // a client backend, and none of this process's own (read again now the writer exists).
    const own = ownPreflightPids(identity.serverKey);
    const res = await lease.client.query<{ application: string; signalled: boolean }>(
      `SELECT coalesce(application_name, '') AS application, ${FUNCTION[action]}(pid) AS signalled
         FROM pg_stat_activity
        WHERE pid = $1 AND backend_type = 'client backend' AND backend_start = $2::timestamptz AND pid <> ALL($3::int[])`,
      [pid, request.backendStart, own],
    );
    const row = res.rows[0];
    if (own.includes(pid)) {
      audit(target, request, 'refused', { reason: 'own backend' });
      throw ownPidRefusal(target, pid, action);
    }
    const result: BackendSignalResult = {
      pid,
      action,
      signalled: row?.signalled === true,
      application: row?.application ?? null,
      message: row
        ? row.signalled
          ? `Asked the server to ${VERB[action]} pid ${pid} ("${row.application || '(none)'}").`
          : `The server did not signal pid ${pid}: the session ended first.`
        : `Pid ${pid} is no longer the session you confirmed (it ended, or the pid now belongs to another session); nothing was signalled.`,
    };
    audit(target, request, result.signalled ? 'succeeded' : 'failed', { application: result.application, signalled: result.signalled });
    return result;
  } catch (err) {
    if (err instanceof BackendSignalRefusedError) throw err;
    const pgErr = err as pg.DatabaseError;
    audit(target, request, 'failed', { error: pgErr.code ?? 'error' });
    if (pgErr.code === '42501') {
      throw new BackendSignalRefusedError(
        `The database user "${identity.user}" may not ${action} pid ${pid}: signalling another role's session needs membership in pg_signal_backend (and a superuser's session needs a superuser). Nothing was signalled.`,
        'permission_denied',
      );
    }
    if (isConnectionError(err)) throw new TargetUnreachableError(describePgError(err, target.url));
    throw err;
  } finally {
    await lease.release();
  }
}
