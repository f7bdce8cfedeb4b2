/**
 * The catalogue's evaluate functions for the probes of the Redis, HTTP, index/migration and
 * active-probe features: each reads its probe's observation and reuses that feature's pure
 * check, with thresholds from the profile. The catalogue's own id/title/severity win; only
 * status, summary and evidence come from the feature's check.
 */
import type { RateLimitObservation, SseObservation } from '../../../shared/schemas/active';
import type { CheckResult } from '../../../shared/schemas/check';
import type { HttpObservation } from '../../../shared/schemas/http';
import type { IndexExpectation } from '../../../shared/schemas/indexes';
import type { MigrationStatus } from '../../../shared/schemas/migrations';
import type { RedisSample } from '../../../shared/schemas/redis';
import type { IndexCatalog } from '../probes/postgres/indexes';
import type { Expectations } from '../profile/schema';
import { checkRateLimitBoundary, checkSseConnectionHold, checkXffBypass } from './active';
import { evaluateHttp } from './http';
import { evaluateIndexes, indexCheck } from './indexes';
import { healthSchemasFor, httpExpectationsFor } from './profile-http';
import { checkEvictions, checkHitRate, checkMemory, checkRejectedConnections } from './redis';
import { fail, pass, skipped, warn, type CheckContext, type Verdict } from './types';

export const verdictOf = (r: CheckResult): Verdict => ({ status: r.status, summary: r.summary, evidence: r.evidence });

// ---- HTTP ------------------------------------------------------------------------------------

/** The passive HTTP checks by catalogue id, all from one observation. */
export function httpVerdict(id: string, o: HttpObservation, ctx: CheckContext): Verdict {
  const results = evaluateHttp(o, httpExpectationsFor(ctx.expectations, ctx.environment), healthSchemasFor(ctx.expectations));
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`the HTTP checks have no result for ${id} (they return ${results.map((x) => x.id).join(', ')})`);
  if (id === 'webhook.signature' && !ctx.expectations.http?.webhook) return skipped('The profile names no webhook endpoint (expectations.http.webhook).');
  return verdictOf(r);
}

// ---- Redis -----------------------------------------------------------------------------------

type RedisExp = NonNullable<Expectations['redis']>;
const REDIS_DEFAULTS: RedisExp = { hitRateAtLeast: 0.8, memoryUsedRatio: { warn: 0.75, fail: 0.9 }, evictionsPerMinuteAtMost: 0, partialInfo: false, windowSeconds: 1, minLookups: 100 };
const redisExp = (ctx: CheckContext): RedisExp => ctx.expectations.redis ?? REDIS_DEFAULTS;

export function redisHitRate(s: RedisSample, ctx: CheckContext): Verdict {
  const x = redisExp(ctx);
  return verdictOf(checkHitRate(s, { hitRate: x.hitRateAtLeast, minLookups: x.minLookups }));
}

export function redisMemory(s: RedisSample, ctx: CheckContext): Verdict {
  const band = redisExp(ctx).memoryUsedRatio;
  const v = verdictOf(checkMemory(s, { memoryUtilization: band.fail }));
  if (v.status === 'pass' && s.memoryUtilization !== null && s.memoryUtilization >= band.warn) {
    return warn(`${v.summary} Above the warning line of ${(band.warn * 100).toFixed(0)} %.`, { ...v.evidence, warnAt: band.warn });
  }
  return v;
}

export function redisEvictions(s: RedisSample, ctx: CheckContext): Verdict {
  const allowedPerMinute = redisExp(ctx).evictionsPerMinuteAtMost;
  const v = verdictOf(checkEvictions(s));
  if (v.status !== 'fail' || allowedPerMinute === 0 || s.evictedKeysPerSec === null) return v;
  const perMinute = s.evictedKeysPerSec * 60;
  if (perMinute <= allowedPerMinute) return pass(`${v.summary} Within the allowed ${allowedPerMinute} keys/min (${perMinute.toFixed(1)} keys/min).`, { ...v.evidence, allowedPerMinute });
  return fail(`${v.summary} Over the allowed ${allowedPerMinute} keys/min (${perMinute.toFixed(1)} keys/min).`, { ...v.evidence, allowedPerMinute });
}

export function redisRejectedConnections(s: RedisSample): Verdict {
  return verdictOf(checkRejectedConnections(s));
}

// ---- Postgres catalog: indexes and migrations ------------------------------------------------

export interface PostgresCatalogObservation {
  catalog: IndexCatalog;
  /** Null when the profile expects no migrations. */
  migrations: MigrationStatus | null;
  /** The migration folder read, relative as the profile wrote it. */
  migrationsDir: string | null;
}

function likeToRegExp(like: string): RegExp {
  const body = like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`);
}

export function indexesVerdict(o: PostgresCatalogObservation, ctx: CheckContext): Verdict {
  const pgx = ctx.expectations.postgres;
  const listed = pgx?.indexes ?? [];
  if (!listed.length && !pgx?.indexCount) return skipped('The profile lists no expected indexes (expectations.postgres.indexes).');
  const toExpectation = (i: (typeof listed)[number]): IndexExpectation => ({ name: i.name, table: i.table, columns: i.columns, unique: i.unique, where: i.where, method: i.method, optional: i.optional, note: i.note });
  const report = evaluateIndexes(o.catalog, listed.filter((i) => !i.optional).map(toExpectation));
  const optional = evaluateIndexes(o.catalog, listed.filter((i) => i.optional).map(toExpectation)).indexes;
  const v = verdictOf(indexCheck(report));
  const evidence: Record<string, unknown> = { ...v.evidence, optional };
  let { status, summary } = v;
  if (pgx?.indexCount) {
    const re = likeToRegExp(pgx.indexCount.like);
    const count = o.catalog.indexes.filter((ix) => ix.schema === 'public' && re.test(ix.name)).length;
    evidence.indexCount = { like: pgx.indexCount.like, expected: pgx.indexCount.expected, found: count };
    if (count !== pgx.indexCount.expected) {
      summary += ` ${count} indexes in public match LIKE '${pgx.indexCount.like}', expected ${pgx.indexCount.expected}.`;
      if (status === 'pass') status = 'warn';
    } else summary += ` ${count} indexes match LIKE '${pgx.indexCount.like}', as expected.`;
  }
  return { status, summary, evidence };
}

export function migrationsVerdict(o: PostgresCatalogObservation, ctx: CheckContext): Verdict {
  const exp = ctx.expectations.postgres?.migrations;
  if (!exp) return skipped('The profile names no migrations to expect (expectations.postgres.migrations).');
  const m = o.migrations;
  if (!m) return skipped('The migration status was not read.');
  const problems: string[] = [];
  const notes: string[] = [];
  const rows = m.migrations;
  if (exp.dir) {
    const notApplied = rows.filter((r) => r.state === 'pending' || r.state === 'failed');
    if (notApplied.length) problems.push(`${notApplied.length} of ${rows.filter((r) => r.fileName).length} migration files not applied (${notApplied.map((r) => `${r.fileName} ${r.state}`).join(', ')})`);
    if (m.checksumMismatches.length) problems.push(`edited after they ran (checksum differs): ${m.checksumMismatches.join(', ')}`);
    const missing = rows.filter((r) => r.state === 'file_missing');
    if (missing.length) notes.push(`applied but not in ${exp.dir}: ${missing.map((r) => `${r.version}_${r.name}`).join(', ')}`);
    if (!rows.length) notes.push(`${exp.dir} holds no migration files`);
  }
  if (exp.head) {
    if (exp.tool === 'alembic') {
      if (m.alembicRevision === null) problems.push(`no alembic_version row in ${m.database} (expected ${exp.head})`);
      else if (m.alembicRevision !== exp.head) problems.push(`alembic_version is ${m.alembicRevision}, expected ${exp.head}`);
    } else {
      const names = (r: (typeof rows)[number]) => [r.version, `${r.version}_${r.name}`, r.fileName, r.fileName?.replace(/\.sql$/, '')];
      const head = rows.find((r) => names(r).includes(exp.head));
      const applied = rows.filter((r) => r.state === 'applied' || r.state === 'file_missing' || r.state === 'checksum_mismatch');
      const latest = applied.at(-1);
      if (!head || !applied.includes(head)) problems.push(`migration ${exp.head} is not applied${latest ? ` (latest applied: ${latest.version}_${latest.name})` : ' (nothing applied)'}`);
      else if (latest && latest !== head) notes.push(`newer than the expected head: ${latest.version}_${latest.name}`);
    }
  }
  const evidence = { database: m.database, historyTable: m.historyTable, alembicRevision: m.alembicRevision, expected: exp, migrations: rows.map((r) => ({ version: r.version, name: r.name, state: r.state, appliedAt: r.appliedAt })), problems, notes };
  if (problems.length) return fail(`${problems.join('; ')}.`, evidence);
  const applied = rows.filter((r) => r.state === 'applied').length;
  const at = exp.head ? `at ${exp.head}` : 'up to date';
  const summary = `Database ${m.database} is ${at}${exp.dir ? `: ${applied} of ${applied} files in ${exp.dir} applied, checksums intact` : ''}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
  return notes.length ? warn(summary, evidence) : pass(summary, evidence);
}

// ---- Active probes ---------------------------------------------------------------------------

/** The rate-limit runs, by the profile's rate-limit id. */
export type RateLimitRuns = Record<string, RateLimitObservation>;

const WORST_FIRST: Verdict['status'][] = ['fail', 'error', 'warn', 'pass', 'skipped'];

/**
 * Every probed entry of `rateLimits[]` is judged (each was sent as a burst): one entry gives its
 * own verdict; several give the worst, with each entry's verdict in the summary and evidence.
 */
export function rateLimitVerdict(runs: RateLimitRuns, which: 'boundary' | 'xff'): Verdict {
  const judged = Object.entries(runs).map(([id, obs]) => ({ id, r: which === 'boundary' ? checkRateLimitBoundary(obs, `ratelimit.${id}`) : checkXffBypass(obs) }));
  if (!judged.length) return skipped('The profile has no probed rate limit (expectations.http.rateLimits with probe: true).');
  if (judged.length === 1) return verdictOf(judged[0]!.r);
  const worst = WORST_FIRST.find((status) => judged.some(({ r }) => r.status === status))!;
  const summary = judged.map(({ id, r }) => `${id} (${r.status}): ${r.summary}`).join(' | ');
  return { status: worst, summary, evidence: { entries: judged.map(({ id, r }) => ({ id, status: r.status, summary: r.summary, evidence: r.evidence })) } };
}

export function sseVerdict(o: SseObservation, ctx: CheckContext): Verdict {
  const totalLimit = ctx.expectations.http?.sse?.maxDbConnections ?? 50;
  return verdictOf(checkSseConnectionHold(o, { totalLimit, returnTolerance: 0 }));
}
