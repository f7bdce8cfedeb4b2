/**
 * What tests use: the shared cluster and redis-server from the global setup, and private
 * instances for tests that stop, restart or break their server (so other files are unaffected).
 */
import pg from 'pg';
import { inject } from 'vitest';
import { EphemeralPostgres, startPostgres, type StartPostgresOptions } from '../../demo/ephemeral/postgres';
import { EphemeralRedis, startRedis, type StartRedisOptions } from '../../demo/ephemeral/redis';

export function sharedPostgres(): EphemeralPostgres {
  return new EphemeralPostgres(inject('harness').postgres);
}

export function sharedRedis(): EphemeralRedis {
  return new EphemeralRedis(inject('harness').redis);
}

/** A private cluster for a test that stops or restarts it; destroy it in afterAll. */
export function privatePostgres(options?: StartPostgresOptions): Promise<EphemeralPostgres> {
  return startPostgres(options);
}

export function privateRedis(options?: StartRedisOptions): Promise<EphemeralRedis> {
  return startRedis(options);
}

/** Creates a fresh database on the shared cluster so tests never see each other's tables. */
export async function freshDatabase(prefix = 't'): Promise<{ name: string; url: string }> {
  const cluster = sharedPostgres();
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return { name, url: cluster.urlFor(name) };
}

/** Opens `count` plain client sessions with a given application_name. */
export async function openSessions(url: string, count: number, applicationName: string): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: applicationName });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    }),
  );
}

export async function closeAll(clients: pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}

/** Polls until `check` returns a truthy value, instead of sleeping a fixed time. */
export async function waitFor<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
  throw new Error(`Timed out waiting for ${options.what ?? 'condition'}${last ? `: ${(last as Error).message}` : ''}`);
}
