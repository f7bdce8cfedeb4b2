/** redis.rejected-connections: clients turned away at maxclients, in the window and since start. */
import type { RedisSample } from '../../../../shared/schemas/redis';
import { defineCheck, type Verdict } from '../define';
import { secs } from './format';

export function rejectedVerdict(sample: RedisSample): Verdict {
  const evidence = {
    rejectedConnectionsInWindow: sample.rejectedConnectionsInWindow,
    rejectedConnectionsSinceStart: sample.rejectedConnections,
    connectedClients: sample.connectedClients,
    maxClients: sample.maxClients,
    windowSeconds: sample.windowSeconds,
  };
  if (sample.rejectedConnections === null) return { status: 'skipped', summary: 'Unknown: the server did not report rejected_connections.', evidence };
  if (sample.rejectedConnectionsInWindow !== null && sample.rejectedConnectionsInWindow > 0) {
    return { status: 'fail', summary: `${sample.rejectedConnectionsInWindow} connections rejected in the last ${secs(sample.windowSeconds ?? 0)} (maxclients ${sample.maxClients ?? 'unknown'}).`, evidence };
  }
  if (sample.rejectedConnections > 0) return { status: 'warn', summary: `${sample.rejectedConnections} connections rejected since the server started, none in the current window.`, evidence };
  return { status: 'pass', summary: 'No connection rejected since the server started.', evidence };
}

export default defineCheck({
  id: 'redis.rejected-connections',
  title: 'Redis rejects no connections',
  category: 'infrastructure',
  severity: 'high',
  fix: 'Redis plan and maxclients sized for the app (and no connection leak): no client is turned away',
  needs: ['redis'],
  expectations: {},
  evaluate: ({ redis }) => rejectedVerdict(redis),
});
