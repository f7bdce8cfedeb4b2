import { z } from 'zod';
import { BackendAction, BackendPlan, BackendSignalResult, PgTarget, PgTick, SessionRow } from '../schemas/postgres';
import { PostgresUrl } from '../schemas/urls';

const TargetRef = z.object({ targetId: z.string().min(1).max(100) });
/** A backend pid: PostgreSQL pids are positive int4. */
const BackendPid = z.number().int().positive().max(2_147_483_647);

export const pgCalls = {
  'pg.watch': {
    input: z.object({
      url: PostgresUrl,
      intervalMs: z.number().int().min(1000).max(600_000).default(5000),
      budget: z.number().int().positive().max(100_000).nullable().default(null),
      planLimit: z.number().int().positive().max(1_000_000).nullable().default(null),
      /** The environment a cancel/terminate confirmation names (e.g. production); default: the database name. */
      environment: z.string().trim().min(1).max(100).optional(),
    }),
    output: PgTarget,
  },
  'pg.unwatch': { input: TargetRef, output: z.object({ stopped: z.boolean() }) },
  'pg.targets': { input: z.object({}), output: z.array(PgTarget) },
  /** One target with its current state and last error: what the page reads on mount. */
  'pg.status': { input: TargetRef, output: PgTarget },
  'pg.history': {
    input: TargetRef.extend({ limit: z.number().int().positive().max(20_000).default(720) }),
    output: z.array(PgTick),
  },
  /** Sessions with their query text normalised (literals → $n placeholders, comments dropped). */
  'pg.sessions': { input: TargetRef, output: z.array(SessionRow) },
  /**
   * The raw query text of one session, for the UI's explicit per-row reveal only (never listed,
   * exported, logged or stored); null when that session is gone.
   */
  'pg.sessionQuery': {
    input: TargetRef.extend({ pid: z.number().int().positive() }),
    output: z.object({ pid: z.number().int(), query: z.string(), queryTruncated: z.boolean() }).nullable(),
  },
  /** What cancelling or terminating one session would hit (pid, application, environment, what to type); signals nothing. */
  'pg.backendPlan': {
    input: TargetRef.extend({ pid: BackendPid, action: BackendAction }),
    output: BackendPlan,
  },
  /**
   * pg_cancel_backend / pg_terminate_backend on a separate writer connection, after the typed
   * confirmation of the plan; audited; never one of Preflight's own backends.
   */
  'pg.signalBackend': {
    input: TargetRef.extend({
      pid: BackendPid,
      action: BackendAction,
      backendStart: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'must be the backendStart of pg.backendPlan (UTC, e.g. 2026-01-01T00:00:00.123456Z)'),
      confirm: z.string().max(200),
    }),
    output: BackendSignalResult,
  },
} as const;

export const pgEvents = {
  'pg.tick': PgTick,
} as const;
