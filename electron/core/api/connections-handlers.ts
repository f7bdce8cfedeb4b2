/** Saved connections over the contract; watching one decrypts it inside the engine only. */
import type { Handlers } from '../../../shared/contract';
import { ConnectionStore } from '../connections/connection-store';
import { dataDir } from '../util/data-dir';
import type { EngineContext, FeatureHandlers } from './feature';

type ConnectionsCallName = 'connections.status' | 'connections.list' | 'connections.save' | 'connections.delete' | 'connections.watch' | 'connections.acceptBasicText';

/** `watchers`: the engine's own pg.watch and redis.watch, which take the real URL. */
export function createConnectionsHandlers(ctx: EngineContext, watchers: Pick<Handlers, 'pg.watch' | 'redis.watch'>): FeatureHandlers<ConnectionsCallName> {
  let store: ConnectionStore | null = null;
  const connections = () => (store ??= new ConnectionStore(dataDir(), ctx.options.secretCipher ?? null));
  return {
    handlers: {
      'connections.status': async () => connections().status(),
      'connections.list': async ({ profile, environment }) => connections().list(profile, environment),
      'connections.save': async (input) => connections().save(input),
      'connections.delete': async ({ id }) => ({ deleted: connections().delete(id) }),
      'connections.acceptBasicText': async () => connections().acceptBasicText(),
      'connections.watch': async ({ id, intervalMs, budget, planLimit, thresholds }) => {
        const { kind, url, environment } = await connections().open(id);
        // The saved connection's environment is what a cancel/terminate confirmation names.
        if (kind === 'postgres') return { kind, targetId: (await watchers['pg.watch']({ url, intervalMs, budget, planLimit, environment })).targetId };
        return { kind, targetId: (await watchers['redis.watch']({ url, intervalMs, thresholds })).targetId };
      },
    },
    close: async () => undefined,
  };
}
