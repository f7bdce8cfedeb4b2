/**
 * The seam between probes and checks: what each probe leaves behind, by probe id. A check
 * names the probes it needs (`needs: ['postgres']`) and its evaluate receives exactly these
 * types, so no check casts an observation. Probe ids are this interface's keys and nothing else.
 */
import type { ActiveProbeKind, RateLimitObservation, SseObservation } from '../../../shared/schemas/active';
import type { HttpObservation } from '../../../shared/schemas/http';
import type { MigrationStatus } from '../../../shared/schemas/migrations';
import type { ActivitySample } from '../../../shared/schemas/postgres';
import type { RedisSample } from '../../../shared/schemas/redis';
import type { IndexCatalog } from './postgres/indexes';
import type { EnvFileObservation } from './static/env-file';
import type { RepoObservation } from './static/repo-scan';

/** Index catalog and migration status, read on one connection. */
export interface PostgresCatalogObservation {
  catalog: IndexCatalog;
  /** Null when the profile expects no migrations. */
  migrations: MigrationStatus | null;
  /** The migration folder read, relative as the profile wrote it. */
  migrationsDir: string | null;
}

/** The rate-limit runs of one check run, by the profile's rate-limit id (`expectations.http.rateLimits[].id`). */
export type RateLimitRuns = Record<string, RateLimitObservation>;

/** The secret fingerprints taken when the checklist walkthrough started. */
export interface SecretsBaselineObservation {
  walkthroughId: string | null;
  startedAt: string | null;
  baseline: { name: string; length: number; fingerprint: string }[];
}

export interface ProbeOutputs {
  postgres: ActivitySample;
  postgresCatalog: PostgresCatalogObservation;
  redis: RedisSample;
  http: HttpObservation;
  ratelimit: RateLimitRuns;
  sse: SseObservation;
  envFile: EnvFileObservation;
  repo: RepoObservation;
  secretsBaseline: SecretsBaselineObservation;
}

/** A probe's id: the one vocabulary the engine, the checks, the plans, the contract and the audit log use. */
export type ProbeName = keyof ProbeOutputs;

/** The active probes (they send load) are probe ids like the others: `ActiveProbeKind` must stay a subset of ProbeName. */
export type ActiveProbeName = ActiveProbeKind & ProbeName;
type AssertSubset<T extends ProbeName> = T;
export type _ActiveKindsAreProbeNames = AssertSubset<ActiveProbeKind>;

/** What a probe left behind: its data, or why there is none. */
export type ProbeOutcome<T = unknown> =
  | { status: 'ok'; data: T; at: string; durationMs: number }
  | { status: 'error'; error: string; at: string; durationMs: number }
  | { status: 'skipped'; reason: string };

export type Observations = { [N in ProbeName]?: ProbeOutcome<ProbeOutputs[N]> };
