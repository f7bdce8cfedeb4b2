import type { SessionRow } from '../../../../shared/schemas/postgres';
import type { ProbeClient } from './client';
import { maskSqlSecrets } from '../../util/redact-sql';
import { PROBE_APPLICATION_NAME } from './connections';

export const QUERY_TEXT_LIMIT = 2000;

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
export const NAMED_LIKE_PREFLIGHT_NOTE = `calls itself "${PROBE_APPLICATION_NAME}" but is not this Preflight's own connection: counted as load`;

/** Lists client sessions (never this process's own, by pid), query text cut to a readable length, secrets in it masked. */
export async function listSessions(client: ProbeClient): Promise<SessionRow[]> {
  const res = await client.queryWithOwnPids<SessionRow>((own) => [QUERY_TEXT_LIMIT, own], SESSIONS_SQL);
  const round = (n: number | null) => (n === null ? null : Number(n.toFixed(3)));
  return res.rows.map((r) => ({
    ...r,
    query: maskSqlSecrets(r.query),
    queryAgeSeconds: round(r.queryAgeSeconds),
    transactionAgeSeconds: round(r.transactionAgeSeconds),
    stateAgeSeconds: round(r.stateAgeSeconds),
    note: r.application === PROBE_APPLICATION_NAME ? NAMED_LIKE_PREFLIGHT_NOTE : null,
  }));
}
