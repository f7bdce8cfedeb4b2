/**
 * Every watched target can be asked where it stands (`<feature>.status`: state + last error),
 * so a page never depends on having caught a live event; a failed login stops the watcher
 * instead of retrying on a schedule (DESIGN.md §3); a malformed URL is refused as input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../electron/core/api/engine';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import type { EphemeralRedis } from '../demo/ephemeral/redis';
import { callNames, calls, type CallOutput } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import { TargetStatus } from '../shared/schemas/target-status';
import { privatePostgres, privateRedis, waitFor } from './harness';
import { PROJECT_ROOT } from './harness/cli';

const engine = createEngine({ transport: 'http', version: 'test' });
let pgCluster: EphemeralPostgres;
let redis: EphemeralRedis;

beforeAll(async () => {
  [pgCluster, redis] = await Promise.all([
    privatePostgres({ hbaLines: ['host all pf_login 127.0.0.1/32 scram-sha-256'] }),
    privateRedis({ args: ['--requirepass', 'right-redis-pw'] }),
  ]);
  const admin = new pg.Client({ connectionString: pgCluster.url });
  await admin.connect();
  await admin.query("CREATE ROLE pf_login LOGIN PASSWORD 'right-pg-pw'");
  await admin.end();
});
afterAll(async () => {
  await engine.close();
  await Promise.all([pgCluster?.destroy(), redis?.destroy()]);
});

const call = async <K extends Parameters<typeof dispatchCall>[1]>(name: K, input: unknown) => unwrap(await dispatchCall(engine.handlers, name, input));
const loginUrl = (password: string) => pgCluster.url.replace('postgres://postgres@', `postgres://pf_login:${password}@`);
const failedLogins = () => (readFileSync(join(pgCluster.info.dir, 'server.log'), 'utf8').match(/password authentication failed for user "pf_login"/g) ?? []).length;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe('one rule for every watch: a status call with the state and the last error', () => {
  // Features that own watched targets (a watch call and a list of targets); connections.watch only forwards to pg/redis.
  const watched = callNames.filter((n) => n.endsWith('.watch')).map((n) => n.slice(0, -'.watch'.length)).filter((f) => callNames.includes(`${f}.targets` as never));

  it('each feature that watches a target answers <feature>.status with a TargetStatus', () => {
    expect(watched.length).toBeGreaterThanOrEqual(4);
    for (const feature of watched) {
      const status = calls[`${feature}.status` as keyof typeof calls];
      expect(status, `${feature}.status is missing from the contract`).toBeDefined();
      const shape = (status.output as unknown as { shape: Record<string, unknown> }).shape;
      expect(shape.status, `${feature}.status must return { status: TargetStatus }`).toBe(TargetStatus);
    }
  });

  it('each such status call is read by the renderer (pages do not rely on live events alone)', () => {
    const sources = filesUnder(join(PROJECT_ROOT, 'renderer', 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const feature of watched) expect(sources, `no page reads ${feature}.status`).toContain(`'${feature}.status'`);
  });
});

describe('malformed URLs are input errors, not outages', () => {
  it.each([
    ['pg.watch', { url: 'postgres://u:hunter2@127.0.0.1:notaport/db' }],
    ['indexes.watch', { url: 'postgres://u:hunter2@127.0.0.1:notaport/db', expectYaml: '- table: t\n  columns: [id]\n' }],
    ['redis.watch', { url: 'redis://:hunter2@127.0.0.1:notaport' }],
    ['http.watch', { baseUrl: 'http://127.0.0.1:8080', redisUrl: 'redis://:hunter2@127.0.0.1:99999' }],
  ] as const)('%s refuses it with a message about the port that never repeats the password', async (name, input) => {
    const env = await dispatchCall(engine.handlers, name, input);
    expect('error' in env && env.error.code).toBe('bad_input');
    const message = 'error' in env ? env.error.message : '';
    expect(message).toMatch(/not a valid URL: the port/);
    expect(message).not.toContain('hunter2');
    expect(unwrap(await dispatchCall(engine.handlers, 'pg.targets', {}))).toEqual([]);
  });
});

describe('a failed login stops the watcher and asks for new credentials', () => {
  it('Postgres: one failed login, state auth_failed with the reason, no retries; the right password watches again', async () => {
    const before = failedLogins();
    const target = (await call('pg.watch', { url: loginUrl('wrong-pg-pw'), intervalMs: 1000 })) as CallOutput<'pg.watch'>;
    const stopped = await waitFor(async () => {
      const t = (await call('pg.status', { targetId: target.targetId })) as CallOutput<'pg.status'>;
      return t.status.state === 'auth_failed' ? t : null;
    }, { timeoutMs: 15_000, what: 'the watcher to stop on the failed login' });
    expect(stopped.status.lastError?.message).toMatch(/Authentication failed .*check the user and password.*will not retry/);
    expect(stopped.status.lastError?.message).not.toContain('wrong-pg-pw');
    // Several intervals later, still exactly one failed login in the server's log.
    await new Promise((r) => setTimeout(r, 3500));
    expect(failedLogins() - before).toBe(1);

    const again = (await call('pg.watch', { url: loginUrl('right-pg-pw'), intervalMs: 1000 })) as CallOutput<'pg.watch'>;
    expect(again.fingerprint).not.toBe(stopped.fingerprint);
    expect(again.label).toBe(stopped.label);
    await waitFor(async () => ((await call('pg.status', { targetId: again.targetId })) as CallOutput<'pg.status'>).status.state === 'up', { timeoutMs: 15_000, what: 'the right password to be watched' });
  });

  it('Indexes: a failed login is read once, then the slow loop stops', async () => {
    const before = failedLogins();
    const target = (await call('indexes.watch', { url: loginUrl('wrong-pg-pw'), expectYaml: '- table: t\n  columns: [id]\n', intervalMs: 60_000 })) as CallOutput<'indexes.watch'>;
    await waitFor(async () => ((await call('indexes.status', { targetId: target.targetId })) as CallOutput<'indexes.status'>).status.state === 'auth_failed', { timeoutMs: 15_000, what: 'auth_failed' });
    const refresh = await dispatchCall(engine.handlers, 'indexes.refresh', { targetId: target.targetId });
    expect('error' in refresh && refresh.error.code).toBe('auth_failed');
    expect(failedLogins() - before).toBe(1);
  });

  it('Redis: WRONGPASS stops the watcher (the server counts one denied AUTH, not one per tick)', async () => {
    const admin = new Redis({ port: redis.info.port, host: '127.0.0.1', password: 'right-redis-pw', lazyConnect: true });
    await admin.connect();
    // ACL LOG groups failed AUTHs by user and reason and counts them.
    const denied = async () => {
      const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
      return entries.map((e) => Object.fromEntries(Array.from({ length: e.length / 2 }, (_, i) => [String(e[2 * i]), e[2 * i + 1]]))).filter((e) => e.reason === 'auth').reduce((n, e) => n + Number(e.count), 0);
    };
    const before = await denied();
    const url = `redis://:wrong-redis-pw@127.0.0.1:${redis.info.port}`;
    const target = (await call('redis.watch', { url, intervalMs: 1000 })) as CallOutput<'redis.watch'>;
    const stopped = await waitFor(async () => {
      const t = (await call('redis.status', { targetId: target.targetId })) as CallOutput<'redis.status'>;
      return t.status.state === 'auth_failed' ? t : null;
    }, { timeoutMs: 15_000, what: 'the Redis watcher to stop' });
    expect(stopped.status.lastError?.message).toMatch(/Authentication failed/);
    await new Promise((r) => setTimeout(r, 3500));
    expect((await denied()) - before).toBe(1);
    admin.disconnect();
  });
});

describe('the form and the loop agree on the interval', () => {
  it('watching the same database again with another interval changes the running loop', async () => {
    const url = loginUrl('right-pg-pw');
    const first = (await call('pg.watch', { url, intervalMs: 5000 })) as CallOutput<'pg.watch'>;
    const second = (await call('pg.watch', { url, intervalMs: 2000 })) as CallOutput<'pg.watch'>;
    expect(second.targetId).toBe(first.targetId);
    expect(((await call('pg.status', { targetId: first.targetId })) as CallOutput<'pg.status'>).intervalMs).toBe(2000);
  });
});
