/**
 * `preflight doctor` against the harness Postgres as a superuser, a pg_monitor user and a plain
 * user (three different reports), and Redis as the default user and as a `+info +ping` ACL user.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, freshDatabase, openSessions, sharedPostgres, sharedRedis } from '../harness';
import { runCli } from '../harness/cli';

type Report = { kind: string; user: string; reachable: boolean; findings: { level: string; id: string; text: string }[]; leastPrivilege: string[] };
const suffix = Math.random().toString(36).slice(2, 8);
const MONITOR = `doc_monitor_${suffix}`;
const PLAIN = `doc_plain_${suffix}`;
const REDIS_USER = `doc_redis_${suffix}`;
const PASSWORD = `Pw-${suffix}-x`;
const dir = mkdtempSync(join(tmpdir(), 'pf-doctor-'));
const profile = join(dir, 'profile.yaml');
let dbUrl = '';
let held: pg.Client[] = [];
let admin: Redis;

writeFileSync(
  profile,
  `version: 1
name: doctor-test
environments:
  - name: prod
    kind: production
    secrets:
      database_url: { env: DOCTOR_PG_URL }
      redis_url: { env: DOCTOR_REDIS_URL }
    targets:
      postgres: { url: { secret: database_url } }
      redis: { url: { secret: redis_url } }
`,
);

function as(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = PASSWORD;
  return u.href;
}

async function doctor(pgUrl: string, redisUrl: string): Promise<{ code: number; pg: Report; redis: Report; text: string }> {
  const env = { DOCTOR_PG_URL: pgUrl, DOCTOR_REDIS_URL: redisUrl };
  const json = await runCli(['doctor', '--profile', profile, '--env', 'prod', '--json'], { env });
  const text = await runCli(['doctor', '--profile', profile, '--env', 'prod'], { env });
  const parsed = JSON.parse(json.stdout) as { reports: Report[] };
  return { code: json.code, pg: parsed.reports.find((r) => r.kind === 'postgres')!, redis: parsed.reports.find((r) => r.kind === 'redis')!, text: text.stdout + text.stderr };
}
const level = (r: Report, id: string) => r.findings.find((f) => f.id === id)?.level ?? null;

beforeAll(async () => {
  const db = await freshDatabase('doctor');
  dbUrl = db.url;
  const c = new pg.Client({ connectionString: sharedPostgres().url });
  await c.connect();
  await c.query(`CREATE ROLE ${MONITOR} LOGIN PASSWORD '${PASSWORD}' IN ROLE pg_monitor`);
  await c.query(`CREATE ROLE ${PLAIN} LOGIN PASSWORD '${PASSWORD}'`);
  await c.end();
  // Another user's session, whose query text the plain user cannot see.
  held = await openSessions(db.url, 1, 'doctor-other-user');
  await held[0]!.query('SELECT 1 AS secret_looking_query');
  admin = new Redis(sharedRedis().url);
  await admin.call('ACL', 'SETUSER', REDIS_USER, 'on', `>${PASSWORD}`, 'resetkeys', 'resetchannels', '-@all', '+info', '+ping');
});
afterAll(async () => {
  await closeAll(held);
  await admin?.call('ACL', 'DELUSER', REDIS_USER).catch(() => undefined);
  admin?.disconnect();
});

describe('preflight doctor', () => {
  it('superuser and the default Redis user: warned, with the commands for least-privilege users', async () => {
    const r = await doctor(dbUrl, sharedRedis().url);
    expect(r.code).toBe(1);
    expect(level(r.pg, 'pg.superuser')).toBe('warn');
    expect(level(r.pg, 'pg.query-text')).toBe('ok');
    expect([level(r.redis, 'redis.ping'), level(r.redis, 'redis.info'), level(r.redis, 'redis.more-allowed')]).toEqual(['ok', 'ok', 'warn']);
    expect(r.redis.findings.find((f) => f.id === 'redis.more-allowed')!.text).toMatch(/@all/);
    expect(r.text).toContain('GRANT pg_monitor TO "preflight_monitor";');
    expect(r.text).toContain('ACL SETUSER preflight_monitor on >choose-a-long-random-password resetkeys resetchannels -@all +ping +info');
  });

  it('a pg_monitor user sees query text, is no superuser; a +info +ping Redis user is held to its allowlist', async () => {
    const r = await doctor(as(dbUrl, MONITOR), as(sharedRedis().url, REDIS_USER));
    expect(r.pg.user).toBe(MONITOR);
    expect(level(r.pg, 'pg.superuser')).toBeNull();
    expect(level(r.pg, 'pg.query-text')).toBe('ok');
    expect(r.pg.findings.find((f) => f.id === 'pg.query-text')!.text).toContain('pg_monitor');
    expect([level(r.redis, 'redis.ping'), level(r.redis, 'redis.info'), level(r.redis, 'redis.more-allowed')]).toEqual(['ok', 'ok', 'ok']);
    expect(r.text).not.toContain(PASSWORD);
  });

  it('a plain user cannot see other sessions’ query text and is told to GRANT pg_monitor', async () => {
    const r = await doctor(as(dbUrl, PLAIN), as(sharedRedis().url, REDIS_USER));
    expect(r.code).toBe(1);
    expect(level(r.pg, 'pg.superuser')).toBeNull();
    expect(level(r.pg, 'pg.query-text')).toBe('warn');
    expect(r.pg.findings.find((f) => f.id === 'pg.query-text')!.text).toMatch(/<insufficient privilege>.*GRANT pg_monitor/);
  });

  it('an unreachable target exits 3', async () => {
    const r = await doctor('postgres://nobody:x@127.0.0.1:1/none', 'redis://127.0.0.1:1');
    expect(r.code).toBe(3);
    expect(r.pg.reachable).toBe(false);
  });
});
