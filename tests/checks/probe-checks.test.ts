/** The catalogue's adapters over recorded observations: alembic heads, index counts, eviction allowances. */
import { describe, expect, it } from 'vitest';
import { evaluateDefinition } from '../../electron/core/checks/define';
import pgIndexes from '../../electron/core/checks/postgres/indexes';
import pgMigrations from '../../electron/core/checks/postgres/migrations-applied';
import redisEvictionsCheck from '../../electron/core/checks/redis/evictions';
import type { PostgresCatalogObservation } from '../../electron/core/probes/outputs';
import { Profile } from '../../electron/core/profile/schema';
import type { RedisSample } from '../../shared/schemas/redis';

function ctx(expectations: unknown) {
  const p = Profile.parse({ version: 1, name: 't', environments: [{ name: 'prod', kind: 'production' }], expectations });
  return { expectations: p.expectations, environment: p.environments[0]! };
}
type Ctx = ReturnType<typeof ctx>;
const migrationsVerdict = (o: PostgresCatalogObservation, c: Ctx) => evaluateDefinition(pgMigrations, { postgresCatalog: o }, c.expectations, c);
const indexesVerdict = (o: PostgresCatalogObservation, c: Ctx) => evaluateDefinition(pgIndexes, { postgresCatalog: o }, c.expectations, c);
const redisEvictions = (s: RedisSample, c: Ctx) => evaluateDefinition(redisEvictionsCheck, { redis: s }, c.expectations, c);

const index = (name: string, table: string, columns: string[]) => ({ schema: 'public', table, name, columns, unique: false, primary: false, valid: true, ready: true, building: false, method: 'btree', predicate: null, constraintName: null, constraintType: null, scans: 1, definition: `CREATE INDEX ${name}` });

function observation(alembicRevision: string | null, indexes = [index('idx_a', 'users', ['a']), index('idx_b', 'users', ['b'])]): PostgresCatalogObservation {
  return {
    catalog: { database: 'app', checkedAt: '2026-01-01T00:00:00Z', statsResetAt: null, indexes, tables: [{ schema: 'public', name: 'users', columns: ['a', 'b'], seqScans: 0, seqRowsRead: 0, indexScans: 0, liveRows: 0 }], catalogMs: 1 },
    migrations: { database: 'app', historyTable: 'preflight.schema_migrations', historyExists: false, alembicRevision, migrations: [], pending: 0, checksumMismatches: [], mismatches: [], outOfOrder: [] },
    migrationsDir: null,
  };
}

describe('pg.migrations-applied with an alembic head', () => {
  const c = ctx({ postgres: { migrations: { tool: 'alembic', head: 'b010_add_production_indexes' } } });
  it('passes at the head, fails on another revision, fails without alembic_version', () => {
    expect(migrationsVerdict(observation('b010_add_production_indexes'), c).status).toBe('pass');
    expect(migrationsVerdict(observation('b009_previous'), c)).toMatchObject({ status: 'fail', summary: 'alembic_version is b009_previous, expected b010_add_production_indexes.' });
    expect(migrationsVerdict(observation(null), c).summary).toContain('no alembic_version row');
  });
  it('is skipped when the profile expects no migrations (unknown, never pass)', () => {
    expect(migrationsVerdict(observation('x'), ctx({})).status).toBe('skipped');
  });
});

describe('pg.indexes with an index count', () => {
  it('warns when the LIKE count differs although every listed index is present', () => {
    const c = ctx({ postgres: { indexes: [{ name: 'idx_a', table: 'users', columns: ['a'] }], indexCount: { like: 'idx_%', expected: 3 } } });
    const v = indexesVerdict(observation(null), c);
    expect(v.status).toBe('warn');
    expect(v.summary).toContain("2 indexes in public match LIKE 'idx_%', expected 3");
    expect(indexesVerdict(observation(null), ctx({ postgres: { indexes: [{ name: 'idx_a', table: 'users', columns: ['a'] }], indexCount: { like: 'idx_%', expected: 2 } } })).status).toBe('pass');
  });
});

describe('redis.evictions with an allowance', () => {
  const sample = { windowSeconds: 10, evictedKeys: 5, evictedKeysPerSec: 0.5, maxMemoryPolicy: 'allkeys-lru' } as RedisSample;
  it('30 keys/min passes under an allowance of 60/min and fails at the default of 0', () => {
    expect(redisEvictions(sample, ctx({ redis: { evictionsPerMinuteAtMost: 60 } })).status).toBe('pass');
    expect(redisEvictions(sample, ctx({ redis: {} })).status).toBe('fail');
    expect(redisEvictions(sample, ctx({ redis: { evictionsPerMinuteAtMost: 10 } })).status).toBe('fail');
  });
});
