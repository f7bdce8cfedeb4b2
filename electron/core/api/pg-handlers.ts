import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import { ContractError } from '../../../shared/dispatch';
import type { PgTarget } from '../../../shared/schemas/postgres';
import { PgWatcher } from '../monitor/pg-watcher';
import { InvalidTargetError, pgTargetIdentity } from '../probes/postgres';
import type { EngineContext, FeatureHandlers } from './feature';

type PgCallName = 'pg.watch' | 'pg.unwatch' | 'pg.targets' | 'pg.history' | 'pg.sessions';

function pgIdentityOf(url: string) {
  try {
    return pgTargetIdentity(url);
  } catch (err) {
    if (err instanceof InvalidTargetError) throw new ContractError(err.message, 'bad_input');
    throw err;
  }
}

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
    intervalMs: w.intervalMs,
    budget: w.budget,
    planLimit: w.planLimit,
    skippedTicks: w.skippedTicks,
  });
  const handlers: Pick<Handlers, PgCallName> = {
    'pg.watch': async ({ url, intervalMs, budget, planLimit }) => {
      // One watcher per database identity (host, port, database, user), however the URL is
      // spelled; a different password or TLS setting for it is refused by the connection budget.
      const identity = pgIdentityOf(url);
      const existing = [...watchers.values()].find((w) => w.client.identity.key === identity.key && w.client.identity.loginFingerprint === identity.loginFingerprint);
      if (existing) return describe(existing);
      const w = new PgWatcher({ targetId: randomUUID(), url, intervalMs, budget, planLimit, onTick: (tick) => ctx.events.emit('pg.tick', tick) });
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
    'pg.history': async ({ targetId, limit }) => watcher(targetId).history.last(limit),
    'pg.sessions': async ({ targetId }) => watcher(targetId).sessions(),
  };
  return {
    handlers,
    async close() {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      watchers.clear();
    },
  };
}
