/**
 * What the configured Postgres user can do, read from the catalog in one read-only query over
 * Preflight's usual probe connection (DESIGN.md §3): superuser and other role attributes,
 * membership of pg_read_all_stats / pg_monitor (needed to see other sessions' query text), and
 * whether it can write (any table it may INSERT/UPDATE/DELETE/TRUNCATE, CREATE in a schema).
 */
import { ProbeClient } from '../probes/postgres';
import { scrubMessage } from '../util/redact';
import type { Finding, TargetReport } from './report';

const PRIVILEGES_SQL = `
SELECT current_user AS "user", current_database() AS database,
  r.rolsuper AS superuser, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
  r.rolreplication AS replication, r.rolbypassrls AS bypassrls,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
  pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor,
  (SELECT count(*)::int FROM pg_stat_activity a WHERE a.usename IS NOT NULL AND a.usename <> current_user) AS other_sessions,
  (SELECT count(*)::int FROM pg_stat_activity a WHERE a.usename IS NOT NULL AND a.usename <> current_user AND a.query = '<insufficient privilege>') AS hidden_sessions,
  (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
       AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))) AS writable_tables,
  (SELECT coalesce(array_agg(n.nspname ORDER BY n.nspname), '{}') FROM pg_namespace n
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND has_schema_privilege(n.oid, 'CREATE')) AS create_schemas,
  has_database_privilege(current_database(), 'CREATE') AS create_in_database
FROM pg_roles r WHERE r.rolname = current_user`;

interface Row {
  user: string;
  database: string;
  superuser: boolean;
  createrole: boolean;
  createdb: boolean;
  replication: boolean;
  bypassrls: boolean;
  read_all_stats: boolean;
  monitor: boolean;
  other_sessions: number;
  hidden_sessions: number;
  writable_tables: number;
  create_schemas: string[];
  create_in_database: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function postgresLeastPrivilege(database: string, role = 'preflight_monitor'): string[] {
  return [
    `CREATE ROLE ${ident(role)} WITH LOGIN PASSWORD 'choose-a-long-random-password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3;`,
    `GRANT pg_monitor TO ${ident(role)};  -- pg_read_all_stats (query text of every session) + pg_read_all_settings + pg_stat_scan_tables`,
    `GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(role)};`,
    `ALTER ROLE ${ident(role)} SET default_transaction_read_only = on;`,
    `ALTER ROLE ${ident(role)} SET statement_timeout = '2s';`,
    `-- Migrations run as a different user (a writer), only when applied: never give these rights to the monitoring user.`,
  ];
}

export async function postgresPrivileges(url: string): Promise<TargetReport> {
  const client = new ProbeClient(url);
  const report: TargetReport = { kind: 'postgres', target: client.label, user: null, reachable: false, findings: [], leastPrivilege: [] };
  try {
    const { rows } = await client.query<Row>(PRIVILEGES_SQL);
    const r = rows[0]!;
    report.reachable = true;
    report.user = r.user;
    report.leastPrivilege = postgresLeastPrivilege(r.database);
    const f: Finding[] = report.findings;
    if (r.superuser) f.push({ level: 'warn', id: 'pg.superuser', text: `${r.user} is a superuser: it can read, change and drop everything. Monitor with a least-privilege user instead.` });
    const attributes = [r.createrole && 'CREATEROLE', r.createdb && 'CREATEDB', r.replication && 'REPLICATION', r.bypassrls && 'BYPASSRLS'].filter(Boolean);
    if (!r.superuser && attributes.length) f.push({ level: 'warn', id: 'pg.role-attributes', text: `${r.user} has ${attributes.join(', ')}: a monitoring user needs none of them.` });
    if (r.superuser || r.read_all_stats) {
      f.push({ level: 'ok', id: 'pg.query-text', text: `Sees other sessions' query text (${r.superuser ? 'superuser' : r.monitor ? 'member of pg_monitor' : 'member of pg_read_all_stats'}).` });
    } else {
      f.push({ level: 'warn', id: 'pg.query-text', text: `Cannot see other users' query text, state or wait events (not a member of pg_read_all_stats or pg_monitor)${r.other_sessions ? `: ${r.hidden_sessions} of ${r.other_sessions} other sessions show <insufficient privilege>` : ''}. GRANT pg_monitor to it.` });
    }
    const writes = [r.writable_tables > 0 && `may INSERT/UPDATE/DELETE/TRUNCATE ${r.writable_tables} table(s)`, r.create_schemas.length > 0 && `may CREATE in schema(s) ${r.create_schemas.join(', ')}`, r.create_in_database && `may CREATE schemas in ${r.database}`].filter(Boolean);
    if (r.superuser) {
      // Already warned: a superuser can write everything.
    } else if (writes.length) f.push({ level: 'warn', id: 'pg.can-write', text: `Can write: ${writes.join('; ')}. A monitoring user should be read-only.` });
    else f.push({ level: 'ok', id: 'pg.can-write', text: 'Cannot write to any table or create objects.' });
  } catch (err) {
    report.findings.push({ level: 'warn', id: 'pg.unreachable', text: `Could not connect or read the catalog: ${scrubMessage((err as Error).message)}` });
  } finally {
    await client.close().catch(() => undefined);
  }
  return report;
}
