import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import type { HttpTarget } from '../../../shared/contracts/http';
import { ContractError } from '../../../shared/dispatch';
import { HttpWatcher } from '../monitor/http-watcher';
import type { EngineContext, FeatureHandlers } from './feature';

type HttpCallName = 'http.watch' | 'http.unwatch' | 'http.targets' | 'http.status' | 'http.endpoints';

export function createHttpHandlers(ctx: EngineContext): FeatureHandlers<HttpCallName> {
  const watchers = new Map<string, HttpWatcher>();
  const watcher = (targetId: string): HttpWatcher => {
    const w = watchers.get(targetId);
    if (!w) throw new ContractError(`No watched API with id "${targetId}". Start probing it first.`, 'not_found');
    return w;
  };
  const describe = (w: HttpWatcher): HttpTarget => ({ targetId: w.targetId, label: w.label, intervalMs: w.intervalMs, runs: w.runs, skippedRuns: w.skippedRuns, status: w.health.snapshot() });
  const handlers: Pick<Handlers, HttpCallName> = {
    'http.watch': async ({ baseUrl, intervalMs, expectations, pgUrl, redisUrl }) => {
      const targetId = randomUUID();
      const w = new HttpWatcher({
        targetId,
        baseUrl: baseUrl.replace(/\/+$/, ''),
        intervalMs,
        expectations,
        pgUrl,
        redisUrl,
        onRun: (run) => ctx.events.emit('http.run', { targetId, at: run.at, durationMs: run.durationMs, failing: run.results.filter((r) => r.status === 'fail' || r.status === 'error').length }),
      });
      watchers.set(targetId, w);
      w.start();
      return describe(w);
    },
    'http.unwatch': async ({ targetId }) => {
      const w = watchers.get(targetId);
      if (!w) return { stopped: false };
      watchers.delete(targetId);
      await w.stop();
      return { stopped: true };
    },
    'http.targets': async () => [...watchers.values()].map(describe),
    'http.status': async ({ targetId }) => describe(watcher(targetId)),
    'http.endpoints': async ({ targetId }) => {
      const w = watcher(targetId);
      return { target: describe(w), lastRun: w.lastRun, endpoints: w.endpointRows() };
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
