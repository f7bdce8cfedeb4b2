import { z } from 'zod';
import { TypedConfirmation } from './confirmation';
import { Judgements } from './check';
import { TargetStatus } from './target-status';

/** One row of "who is blocked by whom" from pg_blocking_pids. */
export const BlockedSession = z.object({
  pid: z.number().int(),
  blockedBy: z.array(z.number().int()),
  waitingSeconds: z.number().nullable(),
  application: z.string(),
});

export const IdleInTransactionSession = z.object({
  pid: z.number().int(),
  application: z.string(),
  seconds: z.number(),
});

export const NamedCount = z.object({ name: z.string(), count: z.number().int() });

/** One sample of connection use, computed server-side in a single round trip. */
export const ActivitySample = z.object({
  maxConnections: z.number().int(),
  reservedConnections: z.number().int(),
  usableConnections: z.number().int(),
  total: z.number().int(),
  byState: z.record(z.string(), z.number().int()),
  byApplication: z.array(NamedCount),
  byDatabase: z.array(NamedCount),
  byClient: z.array(NamedCount),
  /** Sessions of other processes using Preflight's application_name: counted like any other (own backends are left out by pid). */
  namedLikePreflight: z.number().int().default(0),
  waitingOnLocks: z.number().int(),
  blocked: z.array(BlockedSession),
  idleInTransaction: z.array(IdleInTransactionSession),
  oldestQuerySeconds: z.number().nullable(),
  oldestTransactionSeconds: z.number().nullable(),
  longestIdleInTransactionSeconds: z.number().nullable(),
  utilization: z.number(),
  budget: z.number().int().nullable(),
  budgetUtilization: z.number().nullable(),
  /** The provider's connection limit (StartInsight on Supabase: 60 Free, 500 Pro). */
  planLimit: z.number().int().nullable(),
  planUtilization: z.number().nullable(),
  serverVersion: z.string(),
  sampledAt: z.string(),
  /** Round trip seen by the client, in milliseconds. */
  sampleMs: z.number(),
  /** Time the server spent evaluating the sample query, in milliseconds. */
  serverMs: z.number(),
});
export type ActivitySample = z.infer<typeof ActivitySample>;

export const SessionRow = z.object({
  pid: z.number().int(),
  user: z.string().nullable(),
  application: z.string(),
  client: z.string(),
  database: z.string().nullable(),
  state: z.string(),
  waitEventType: z.string().nullable(),
  waitEvent: z.string().nullable(),
  queryAgeSeconds: z.number().nullable(),
  transactionAgeSeconds: z.number().nullable(),
  stateAgeSeconds: z.number().nullable(),
  blockedBy: z.array(z.number().int()),
  query: z.string(),
  queryTruncated: z.boolean(),
  /** Said beside a row worth a second look, e.g. another process calling itself "preflight". */
  note: z.string().nullable().default(null),
});
export type SessionRow = z.infer<typeof SessionRow>;

/** What the UI receives after each tick of a watched database. */
export const PgTick = z.object({
  targetId: z.string(),
  at: z.string(),
  status: z.enum(['up', 'down', 'skipped']),
  sample: ActivitySample.nullable(),
  error: z.string().nullable(),
  /** The catalogue checks' verdicts on this sample (tiles take their colour from these). */
  judgements: Judgements.default(null),
});
export type PgTick = z.infer<typeof PgTick>;

export const PgTarget = z.object({
  targetId: z.string(),
  /** Connection URL with the password masked; the real URL never leaves the engine. */
  label: z.string(),
  /** Short salted fingerprint of the full URL: tells apart two watches whose masked labels are equal. */
  fingerprint: z.string(),
  intervalMs: z.number().int(),
  status: TargetStatus,
  budget: z.number().int().nullable(),
  planLimit: z.number().int().nullable(),
  skippedTicks: z.number().int(),
  /** Named in the confirmation of a cancel/terminate (default: the database name). */
  environment: z.string(),
});
export type PgTarget = z.infer<typeof PgTarget>;

export const BackendAction = z.enum(['cancel', 'terminate']);
export type BackendAction = z.infer<typeof BackendAction>;

/** What a cancel/terminate confirmation names, read before anything is signalled. */
export const BackendPlan = z.object({
  pid: z.number().int(),
  action: BackendAction,
  application: z.string(),
  user: z.string().nullable(),
  database: z.string().nullable(),
  state: z.string(),
  /** The session's start (microseconds): the signal goes only to this session, not to a later one reusing the pid. */
  backendStart: z.string(),
  environment: z.string(),
  production: z.boolean(),
  /** What the person types back: the environment's name for production, the host otherwise. */
  confirm: TypedConfirmation,
  description: z.string(),
});
export type BackendPlan = z.infer<typeof BackendPlan>;

export const BackendSignalResult = z.object({
  pid: z.number().int(),
  action: BackendAction,
  /** False when the session ended (or its pid went to another session) before the signal. */
  signalled: z.boolean(),
  application: z.string().nullable(),
  message: z.string(),
});
export type BackendSignalResult = z.infer<typeof BackendSignalResult>;
