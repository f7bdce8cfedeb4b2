/** Query text from pg_stat_activity must not carry passwords or tokens out of the engine. */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeClient, listSessions } from '../../electron/core/probes/postgres';
import { maskSqlSecrets } from '../../electron/core/util/redact-sql';
import { closeAll, freshDatabase, openSessions, waitFor } from '../harness';

describe('maskSqlSecrets', () => {
  const cases: [string, string, string][] = [
    ["ALTER ROLE app PASSWORD 'Canary1'", 'Canary1', "ALTER ROLE app PASSWORD '*****'"],
    ["CREATE ROLE app WITH LOGIN ENCRYPTED PASSWORD 'it''s Canary2' VALID UNTIL 'infinity'", 'Canary2', "CREATE ROLE app WITH LOGIN ENCRYPTED PASSWORD '*****' VALID UNTIL 'infinity'"],
    ["alter user app with password E'Can\\'ary3'", 'ary3', "alter user app with password '*****'"],
    ["SET app.api_token = 'Canary4'", 'Canary4', "SET app.api_token = '*****'"],
    ["SET SESSION myapp.client_secret TO 'Canary5'", 'Canary5', "SET SESSION myapp.client_secret TO '*****'"],
    ["UPDATE users SET password_hash = 'Canary6', name = 'Ann' WHERE id = 1", 'Canary6', "UPDATE users SET password_hash = '*****', name = 'Ann' WHERE id = 1"],
    ["SELECT set_config('app.secret_key', 'Canary7', false)", 'Canary7', "SELECT set_config('app.secret_key', '*****', false)"],
    ["SELECT dblink_connect('host=db user=app password=Canary8 dbname=x')", 'Canary8', "SELECT dblink_connect('host=db user=app password=***** dbname=x')"],
    ["SELECT dblink_connect('postgres://app:Canary9@db/x')", 'Canary9', "SELECT dblink_connect('postgres://app:*****@db/x')"],
    ["ALTER ROLE app PASSWORD 'Canary10-cut-off-by-trunc", 'Canary10', "ALTER ROLE app PASSWORD '*****'"],
    ['UPDATE t SET "apiKey" = $k$Canary11$k$', 'Canary11', `UPDATE t SET "apiKey" = '*****'`],
  ];
  for (const [sql, secret, expected] of cases) {
    it(`masks ${sql.slice(0, 40)}…`, () => {
      const out = maskSqlSecrets(sql);
      expect(out).not.toContain(secret);
      expect(out).toBe(expected);
    });
  }
  it('leaves ordinary SQL alone', () => {
    const sql = "SELECT id, name FROM insights WHERE status = 'open' AND created_at > now() - interval '1 day'";
    expect(maskSqlSecrets(sql)).toBe(sql);
  });
});

describe('listSessions on a real server', () => {
  let url: string;
  let probe: ProbeClient;
  let sessions: pg.Client[] = [];
  beforeAll(async () => {
    url = (await freshDatabase('sqlsecret')).url;
    probe = new ProbeClient(url);
  });
  afterAll(async () => {
    await probe?.close();
    await closeAll(sessions);
  });

  it('masks a role password and secret settings visible in pg_stat_activity', async () => {
    const app = `sqlsecret-${process.pid}`;
    sessions = await openSessions(url, 3, app);
    const [roleTx, setter, active] = sessions as [pg.Client, pg.Client, pg.Client];
    const role = `canary_role_${process.pid}`;
    // Idle in transaction: the CREATE ROLE stays the session's last query until the rollback.
    await roleTx.query('BEGIN');
    await roleTx.query(`CREATE ROLE ${role} LOGIN PASSWORD 'CanaryRolePw'`);
    await setter.query("SET app.api_token = 'CanaryTokenValue'");
    // Active: the literal is on screen for as long as the sleep runs.
    const running = active.query("SELECT set_config('app.client_secret', 'CanaryClientSecret', false), pg_sleep(20)").catch(() => null);
    try {
      const mine = await waitFor(async () => {
        const rows = (await listSessions(probe)).filter((s) => s.application === app);
        return rows.some((s) => s.state === 'active' && s.query.includes('pg_sleep')) && rows.some((s) => s.query.includes('CREATE ROLE')) ? rows : null;
      }, { what: 'the three sessions with their statements' });
      expect(mine).toHaveLength(3);
      const text = JSON.stringify(mine);
      for (const canary of ['CanaryRolePw', 'CanaryTokenValue', 'CanaryClientSecret']) expect(text).not.toContain(canary);
      // The statements are still recognisable.
      expect(mine.map((s) => s.query).sort()).toEqual([
        `CREATE ROLE ${role} LOGIN PASSWORD '*****'`,
        "SELECT set_config('app.client_secret', '*****', false), pg_sleep(20)",
        "SET app.api_token = '*****'",
      ]);
      // The server itself does show the secret: the masking is ours, not an accident of the view.
      const raw = await probe.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE application_name = $1', [app]);
      expect(raw.rows.map((r) => r.query).join('\n')).toContain('CanaryRolePw');
    } finally {
      await probe.query('SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = $2', [app, 'active']).catch(() => null);
      await running;
      await roleTx.query('ROLLBACK');
    }
  });
});
