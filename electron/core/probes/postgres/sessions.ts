import type { SessionRow } from '../../../../shared/schemas/postgres';
import type { ProbeClient } from './client';
import { normalizeSql } from '../../util/sql-normalize';
import { PROBE_APPLICATION_NAME } from './connections';

const QUERY_TEXT_LIMIT = 2000;

const SESSIONS_SQL = `
SELECT pid, usename AS "user", coalesce(application_name, '') AS application,
       coalesce(host(client_addr), 'local') AS client, datname AS database,
       coalesce(state, 'unknown') AS state, wait_event_type AS "waitEventType", wait_event AS "waitEvent",
       extract(epoch FROM now() - query_start)::float8 AS "queryAgeSeconds",
       extract(epoch FROM now() - xact_start)::float8 AS "transactionAgeSeconds",
       extract(epoch FROM now() - state_change)::float8 AS "stateAgeSeconds",
       CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) ELSE '{}'::int[] END AS "blockedBy",
       left(coalesce(query, ''), $1) AS query,
       length(coalesce(query, '')) > $1 AS "queryTruncated"
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  -- This process's other backends (sampler, reader), by pid: a name proves nothing.
  AND pid <> ALL($2::int[])
ORDER BY pid`;

/** Said beside a session of another process that uses Preflight's application_name. */
const NAMED_LIKE_PREFLIGHT_NOTE = `calls itself "${PROBE_APPLICATION_NAME}" but is not this Preflight's own connection: counted as load`;

/**
 * Lists client sessions (never this process's own, known by pid). Query text is cut to a readable length and shown
 * normalised — every literal a `$n` placeholder, comments dropped (docs/security.md) — so no
 * literal from another session's statement leaves the engine through a list, `--json`, an export
 * or a log. The raw text of one session is read only on an explicit reveal (readRawQuery).
 */
export async function listSessions(client: ProbeClient): Promise<SessionRow[]> {
  const res = await client.queryWithOwnPids<SessionRow>((own) => [QUERY_TEXT_LIMIT, own], SESSIONS_SQL);
  const round = (n: number | null) => (n === null ? null : Number(n.toFixed(3)));
  return res.rows.map((r) => ({
    ...r,
    query: normalizeSql(r.query),
    queryAgeSeconds: round(r.queryAgeSeconds),
    transactionAgeSeconds: round(r.transactionAgeSeconds),
    stateAgeSeconds: round(r.stateAgeSeconds),
    note: r.application === PROBE_APPLICATION_NAME ? NAMED_LIKE_PREFLIGHT_NOTE : null,
  }));
}

const RAW_QUERY_SQL = `
SELECT left(coalesce(query, ''), $2) AS query, length(coalesce(query, '')) > $2 AS "queryTruncated"
FROM pg_stat_activity
WHERE pid = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`;

/**
 * The raw query text of one session, for the UI's per-row reveal only: never listed, printed by
 * the CLI, exported, logged or stored. null when the session is gone.
 */
export async function readRawQuery(client: ProbeClient, pid: number): Promise<{ query: string; queryTruncated: boolean } | null> {
  const res = await client.query<{ query: string; queryTruncated: boolean }>(RAW_QUERY_SQL, [pid, QUERY_TEXT_LIMIT]);
  return res.rows[0] ?? null;
}
