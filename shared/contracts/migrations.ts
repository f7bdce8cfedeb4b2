import { z } from 'zod';
import { ApplyResult, MigrationEvent, MigrationPlan, MigrationStatus, VerifyResult } from '../schemas/migrations';
import { TypedConfirmation } from '../schemas/confirmation';
import { PostgresUrl } from '../schemas/urls';

export const MigrationTarget = z.object({
  targetId: z.string(),
  label: z.string(),
  dir: z.string(),
  /** The environment an apply is recorded under (default: the database name). */
  environment: z.string(),
  /** host:port of the database, as in the URL. */
  host: z.string(),
  /** By the one "is production" rule (electron/core/consent/production.ts). */
  production: z.boolean(),
  /** What an apply asks to be typed back (the active probes' rule): the environment's name for production, else the host. */
  confirm: TypedConfirmation,
  runningRunId: z.string().nullable(),
});
export type MigrationTarget = z.infer<typeof MigrationTarget>;

const TargetRef = z.object({ targetId: z.string().min(1).max(100) });

export const migrationCalls = {
  'migrations.open': {
    input: z.object({
      url: PostgresUrl,
      dir: z.string().min(1).max(1000).default('migrations'),
      /** The environment an apply is recorded under (e.g. staging, production); defaults to the database name. */
      environment: z.string().trim().min(1).max(100).optional(),
    }),
    output: MigrationTarget,
  },
  'migrations.close': { input: TargetRef, output: z.object({ closed: z.boolean() }) },
  'migrations.targets': { input: z.object({}), output: z.array(MigrationTarget) },
  'migrations.status': { input: TargetRef, output: MigrationStatus },
  'migrations.plan': { input: TargetRef, output: MigrationPlan },
  'migrations.verify': { input: TargetRef, output: VerifyResult },
  /** Starts an apply; progress arrives as `migrations.event`, the end as `migrations.result`. */
  'migrations.apply': {
    input: TargetRef.extend({
      /** What the person typed back: must be the target's `confirm.value`. */
      confirm: z.string().max(200),
      ackLint: z.array(z.string().max(100)).max(20).default([]),
    }),
    output: z.object({ runId: z.string() }),
  },
  'migrations.cancel': { input: z.object({ runId: z.string().min(1).max(100) }), output: z.object({ cancelled: z.boolean() }) },
} as const;

export const migrationEvents = {
  'migrations.event': MigrationEvent.extend({ targetId: z.string() }),
  'migrations.result': ApplyResult.extend({ targetId: z.string() }),
} as const;
