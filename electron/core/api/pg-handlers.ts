import { randomUUID } from 'node:crypto';
import { reuseOrRetire } from '../monitor/rewatch';
import type { Handlers } from '../../../shared/contract';
import { ContractError } from '../../../shared/dispatch';
import type { PgTarget } from '../../../shared/schemas/postgres';
import { PgWatcher } from '../monitor/pg-watcher';
import { pgTargetIdentity } from '../probes/postgres';
import { fingerprint } from '../util/fingerprint';
import type { EngineContext, FeatureHandlers } from './feature';
import { writeAudit } from '../audit/audit-log';
import { planBackendSignal, signalBackend } from '../pg-admin/signal-backend';

type PgCallName = 'pg.watch' | 'pg.unwatch' | 'pg.targets' | 'pg.status' | 'pg.history' | 'pg.sessions' | 'pg.sessionQuery' | 'pg.backendPlan' | 'pg.signalBackend';

export function createPgHandlers(ctx: EngineContext): FeatureHandlers<PgCallName> {
  const watchers = new Map<string, PgWatcher>();
  const watcher = (targetId: string): PgWatcher => {
    const w = watchers.get(targetId);
    if (!w) throw new ContractError(`No watched database with id "${targetId}". Connect to it first.`, 'not_found');
    return w;
  };
  const describe = (w: PgWatcher): PgTarget => ({
    targetId: w.targetId,
    label: w.label,
    fingerprint: fingerprint(w.client.url).slice(0, 8),
    intervalMs: w.intervalMs,
    status: w.status,
    budget: w.budget,
    planLimit: w.planLimit,
    skippedTicks: w.skippedTicks,
    environment: w.environment,
  });
  const signalTarget = (w: PgWatcher) => ({ url: w.client.url, environment: w.environment, via: ctx.options.transport });
  const handlers: Pick<Handlers, PgCallName> = {
    'pg.watch': async ({ url, intervalMs, budget, planLimit, environment }) => {
      // One watcher per database identity (host, port, database, user), however the URL is
      // spelled; a different password or TLS setting for it is refused by the connection budget.
      const identity = pgTargetIdentity(url);
      const existing = [...watchers.values()].find((w) => w.client.identity.key === identity.key && (w.status.state === 'auth_failed' || w.client.identity.loginFingerprint === identity.loginFingerprint));
      // No await unless a watcher exists: concurrent requests must see the one created first.
      const reused = existing && (await reuseOrRetire(watchers, existing, intervalMs));
      if (reused) {
        if (environment) reused.environment = environment;
        return describe(reused);
      }
      const w = new PgWatcher({ targetId: randomUUID(), url, intervalMs, budget, planLimit, environment, onTick: (tick) => ctx.events.emit('pg.tick', tick) });
      watchers.set(w.targetId, w);
      w.start();
      return describe(w);
    },
    'pg.unwatch': async ({ targetId }) => {
      const w = watchers.get(targetId);
      if (!w) return { stopped: false };
      watchers.delete(targetId);
      await w.stop();
      return { stopped: true };
    },
    'pg.targets': async () => [...watchers.values()].map(describe),
    'pg.status': async ({ targetId }) => describe(watcher(targetId)),
    'pg.history': async ({ targetId, limit }) => watcher(targetId).history.last(limit),
    'pg.sessions': async ({ targetId }) => watcher(targetId).sessions(),
    'pg.sessionQuery': async ({ targetId, pid }) => {
      const w = watcher(targetId);
      const raw = await w.rawQuery(pid);
      // Who looked at which session's raw text is recorded; the text itself never is.
      writeAudit({ action: 'pg.reveal-query', target: w.client.url, outcome: raw ? 'succeeded' : 'failed', details: { pid } });
      return raw && { pid, ...raw };
    },
    'pg.backendPlan': async ({ targetId, pid, action }) => {
      const w = watcher(targetId);
      return planBackendSignal(w.client, signalTarget(w), pid, action);
    },
    'pg.signalBackend': async ({ targetId, ...request }) => {
      const w = watcher(targetId);
      return signalBackend(signalTarget(w), request);
    },
  };
  return {
    handlers,
    async close() {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      watchers.clear();
    },
  };
}
