/** Connection-pool checks over one Postgres activity sample (pg_stat_activity, one round trip). */
import type { ActivitySample } from '../../../shared/schemas/postgres';
import { formatSeconds } from '../../../shared/format';
import { fail, pass, warn, type CheckContext, type Verdict } from './types';

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
const sec = (s: number) => formatSeconds(s);

function pgExpectations(ctx: CheckContext) {
  return ctx.expectations.postgres ?? { poolUtilization: { warn: 0.5, fail: 0.8 }, idleInTransactionSeconds: { warn: 5, fail: 30 }, lockWaitSeconds: { warn: 1, fail: 10 }, maxConnectionsAtLeast: undefined, connectionBudget: undefined };
}

export function evaluatePoolUtilization(sample: ActivitySample, ctx: CheckContext): Verdict {
  const exp = pgExpectations(ctx);
  const ratio = sample.usableConnections > 0 ? sample.total / sample.usableConnections : 1;
  const evidence = {
    sampledAt: sample.sampledAt,
    connections: sample.total,
    maxConnections: sample.maxConnections,
    usableConnections: sample.usableConnections,
    utilizationOfUsable: Number(ratio.toFixed(4)),
    thresholds: exp.poolUtilization,
    maxConnectionsAtLeast: exp.maxConnectionsAtLeast ?? null,
    connectionBudget: exp.connectionBudget ?? null,
    byApplication: sample.byApplication.slice(0, 5),
  };
  const now = `${sample.total} of ${sample.usableConnections} usable connections (${pct(ratio)}; max_connections ${sample.maxConnections}) at ${sample.sampledAt}`;
  if (exp.maxConnectionsAtLeast !== undefined && sample.maxConnections < exp.maxConnectionsAtLeast) {
    return fail(`max_connections is ${sample.maxConnections}, the plan must give at least ${exp.maxConnectionsAtLeast}; ${now}`, evidence);
  }
  if (exp.connectionBudget !== undefined && sample.total > exp.connectionBudget) {
    return fail(`${sample.total} connections exceed the budget of ${exp.connectionBudget}; ${now}`, evidence);
  }
  if (ratio >= exp.poolUtilization.fail) return fail(`At or above ${pct(exp.poolUtilization.fail)}: ${now}`, evidence);
  if (ratio >= exp.poolUtilization.warn) return warn(`At or above ${pct(exp.poolUtilization.warn)}: ${now}`, evidence);
  return pass(`Below ${pct(exp.poolUtilization.warn)}: ${now}`, evidence);
}

export function evaluateIdleInTransaction(sample: ActivitySample, ctx: CheckContext): Verdict {
  const band = pgExpectations(ctx).idleInTransactionSeconds;
  const longest = sample.longestIdleInTransactionSeconds ?? 0;
  const sessions = sample.idleInTransaction;
  const evidence = { sampledAt: sample.sampledAt, sessions: sessions.length, longestSeconds: longest, thresholdsSeconds: band, oldest: sessions.slice(0, 10) };
  if (sessions.length === 0) return pass(`No session idle in transaction at ${sample.sampledAt}`, evidence);
  const what = `${sessions.length} session(s) idle in transaction, longest ${sec(longest)} (pid ${sessions[0]!.pid}, application "${sessions[0]!.application}") at ${sample.sampledAt}`;
  if (longest >= band.fail) return fail(`${what}; limit ${sec(band.fail)}`, evidence);
  if (longest >= band.warn) return warn(`${what}; warning at ${sec(band.warn)}`, evidence);
  return pass(`${what}; all under ${sec(band.warn)}`, evidence);
}

export function evaluateLockWaits(sample: ActivitySample, ctx: CheckContext): Verdict {
  const band = pgExpectations(ctx).lockWaitSeconds;
  const waits = sample.blocked.map((b) => b.waitingSeconds ?? 0);
  const longest = waits.length ? Math.max(...waits) : 0;
  const evidence = { sampledAt: sample.sampledAt, waitingOnLocks: sample.waitingOnLocks, longestWaitSeconds: longest, thresholdsSeconds: band, blocked: sample.blocked.slice(0, 10) };
  if (sample.waitingOnLocks === 0 && sample.blocked.length === 0) return pass(`No session waiting on a lock at ${sample.sampledAt}`, evidence);
  const first = sample.blocked[0];
  const what = `${Math.max(sample.waitingOnLocks, sample.blocked.length)} session(s) waiting on locks, longest ${sec(longest)}${first ? ` (pid ${first.pid} blocked by ${first.blockedBy.join(', ')})` : ''} at ${sample.sampledAt}`;
  if (longest >= band.fail) return fail(`${what}; limit ${sec(band.fail)}`, evidence);
  if (longest >= band.warn) return warn(`${what}; warning at ${sec(band.warn)}`, evidence);
  return pass(`${what}; all under ${sec(band.warn)}`, evidence);
}
