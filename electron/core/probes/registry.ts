/**
 * The probe registry: one runner per probe id (`ProbeOutputs` keys), each beside its probe.
 * Adding a probe: its code and `runner.ts` under probes/<target>/, its output type in
 * outputs.ts, one line here.
 */
import { ratelimitRunner, sseRunner } from './active/runner';
import { httpRunner } from './http/runner';
import type { ProbeName } from './outputs';
import { postgresCatalogRunner, postgresRunner } from './postgres/runner';
import { redisRunner } from './redis/runner';
import type { ProbeRunner } from './runner';
import { envFileRunner, repoRunner, secretsBaselineRunner } from './static/runner';

export type { ActiveJudges, ProbeRunContext, ProbeRunner } from './runner';

/** One runner per probe id, each producing that id's ProbeOutputs entry. */
export type ProbeRegistry = { [N in ProbeName]: ProbeRunner<N> };

export const PROBES: ProbeRegistry = {
  postgres: postgresRunner,
  postgresCatalog: postgresCatalogRunner,
  redis: redisRunner,
  http: httpRunner,
  envFile: envFileRunner,
  repo: repoRunner,
  secretsBaseline: secretsBaselineRunner,
  ratelimit: ratelimitRunner,
  sse: sseRunner,
};
