import type { SessionRow } from '../../../../shared/schemas/postgres';
import type { ProbeClient } from './client';
import { maskSqlSecrets } from '../../util/redact-sql';

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
    -- Preflight's other read-only probe sessions (readiness cross-check, catalog loop) are not app load.
    AND application_name IS DISTINCT FROM 'preflight'
ORDER BY pid`;

/** Lists client sessions (never our own), query text cut to a readable length, secrets in it masked. */
export async function listSessions(client: ProbeClient): Promise<SessionRow[]> {
  const res = await client.query<SessionRow>(SESSIONS_SQL, [QUERY_TEXT_LIMIT]);
  const round = (n: number | null) => (n === null ? null : Number(n.toFixed(3)));
  return res.rows.map((r) => ({
    ...r,
    query: maskSqlSecrets(r.query),
    queryAgeSeconds: round(r.queryAgeSeconds),
    transactionAgeSeconds: round(r.transactionAgeSeconds),
    stateAgeSeconds: round(r.stateAgeSeconds),
  }));
}
