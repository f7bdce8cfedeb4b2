/**
 * One sample of connection use: a single statement that aggregates pg_stat_activity on the
 * server, so the probe costs one round trip and ships a few hundred bytes whatever the
 * number of sessions.
 */
import type { ActivitySample } from '../../../../shared/schemas/postgres';
import type { ProbeClient } from './client';
import { PROBE_APPLICATION_NAME } from './connections';

// `waitstart` in pg_locks exists from PostgreSQL 14; older servers fall back to query age.
function waitStartExpr(versionNum: number): string {
  return versionNum >= 140000
    ? `(SELECT min(l.waitstart) FROM pg_locks l WHERE l.pid = s.pid AND NOT l.granted)`
    : `s.query_start`;
}

export function activitySql(versionNum: number): string {
  return `
WITH s AS MATERIALIZED (
  SELECT pid, usename, coalesce(application_name, '') AS app, datname,
         coalesce(host(client_addr), 'local') AS client,
         coalesce(state, 'unknown') AS state, wait_event_type, query_start, xact_start, state_change,
         CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END AS blocked_by
  FROM pg_stat_activity
  WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
    -- This process's other backends (sampler, reader), by pid: a name proves nothing.
    AND pid <> ALL($1::int[])
)
SELECT json_build_object(
  'maxConnections', current_setting('max_connections')::int,
  'reservedConnections', current_setting('superuser_reserved_connections')::int,
  'total', (SELECT count(*) FROM s),
  'byState', (SELECT coalesce(json_object_agg(state, n), '{}'::json) FROM (SELECT state, count(*) AS n FROM s GROUP BY state) x),
  'byApplication', (SELECT coalesce(json_agg(json_build_object('name', app, 'count', n) ORDER BY n DESC, app), '[]'::json) FROM (SELECT app, count(*) AS n FROM s GROUP BY app) x),
  'byDatabase', (SELECT coalesce(json_agg(json_build_object('name', coalesce(datname, ''), 'count', n) ORDER BY n DESC, datname), '[]'::json) FROM (SELECT datname, count(*) AS n FROM s GROUP BY datname) x),
  'byClient', (SELECT coalesce(json_agg(json_build_object('name', client, 'count', n) ORDER BY n DESC, client), '[]'::json) FROM (SELECT client, count(*) AS n FROM s GROUP BY client) x),
  'namedLikePreflight', (SELECT count(*) FROM s WHERE app = '${PROBE_APPLICATION_NAME}'),
  'waitingOnLocks', (SELECT count(*) FROM s WHERE wait_event_type = 'Lock'),
  'blocked', (SELECT coalesce(json_agg(json_build_object(
                 'pid', pid, 'blockedBy', blocked_by, 'application', app,
                 'waitingSeconds', extract(epoch FROM now() - ${waitStartExpr(versionNum)})) ORDER BY pid), '[]'::json)
              FROM s WHERE cardinality(blocked_by) > 0),
  'idleInTransaction', (SELECT coalesce(json_agg(json_build_object('pid', pid, 'application', app,
                 'seconds', extract(epoch FROM now() - state_change)) ORDER BY state_change), '[]'::json)
              FROM s WHERE state LIKE 'idle in transaction%'),
  'oldestQuerySeconds', (SELECT extract(epoch FROM now() - min(query_start)) FROM s WHERE state = 'active'),
  'oldestTransactionSeconds', (SELECT extract(epoch FROM now() - min(xact_start)) FROM s),
  'longestIdleInTransactionSeconds', (SELECT extract(epoch FROM now() - min(state_change)) FROM s WHERE state LIKE 'idle in transaction%'),
  'serverMs', extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000
) AS sample`;
}

type RawSample = Omit<ActivitySample, 'usableConnections' | 'utilization' | 'budget' | 'budgetUtilization' | 'planLimit' | 'planUtilization' | 'serverVersion' | 'sampledAt' | 'sampleMs'>;

/** Turns the server's aggregate into the public sample: ratios and the budget are derived here. */
function deriveSample(raw: RawSample, extra: { budget: number | null; planLimit?: number | null; serverVersion: string; sampledAt: Date; sampleMs: number }): ActivitySample {
  const round = (n: number | null, digits = 3) => (n === null ? null : Number(n.toFixed(digits)));
  const usable = Math.max(raw.maxConnections - raw.reservedConnections, 0);
  return {
    ...raw,
    usableConnections: usable,
    oldestQuerySeconds: round(raw.oldestQuerySeconds),
    oldestTransactionSeconds: round(raw.oldestTransactionSeconds),
    longestIdleInTransactionSeconds: round(raw.longestIdleInTransactionSeconds),
    blocked: raw.blocked.map((b) => ({ ...b, waitingSeconds: round(b.waitingSeconds) })),
    idleInTransaction: raw.idleInTransaction.map((i) => ({ ...i, seconds: round(i.seconds) ?? 0 })),
    utilization: round(raw.maxConnections > 0 ? raw.total / raw.maxConnections : 0, 4) ?? 0,
    budget: extra.budget,
    budgetUtilization: extra.budget ? round(raw.total / extra.budget, 4) : null,
    planLimit: extra.planLimit ?? null,
    planUtilization: extra.planLimit ? round(raw.total / extra.planLimit, 4) : null,
    serverVersion: extra.serverVersion,
    sampledAt: extra.sampledAt.toISOString(),
    sampleMs: round(extra.sampleMs, 3) ?? 0,
    serverMs: round(raw.serverMs, 3) ?? 0,
  };
}

export async function sampleActivity(client: ProbeClient, options: { budget?: number | null; planLimit?: number | null } = {}): Promise<ActivitySample> {
  // Connect first so the version-specific SQL is known; the timing covers the sample only.
  await client.connect();
  const sampledAt = new Date();
  const started = performance.now();
  // A named statement: parsed and planned once per connection, not at every sample.
  const res = await client.queryWithOwnPids<{ sample: RawSample }>((own) => [own], activitySql(client.serverVersionNum), `preflight_activity_${client.serverVersionNum}`);
  const sampleMs = performance.now() - started;
  const raw = res.rows[0]!.sample;
  return deriveSample(raw, { budget: options.budget ?? null, planLimit: options.planLimit ?? null, serverVersion: client.serverVersion, sampledAt, sampleMs });
}
