/** pg.pool-utilization: sessions against the connections non-superusers can use, the plan's floor and the app's budget. */
import { z } from 'zod';
import { Band } from '../../profile/fields';
import { defineCheck, fail, pass, warn } from '../define';
import { pct } from './format';

export default defineCheck({
  id: 'pg.pool-utilization',
  title: 'Database connections well below the plan’s limit',
  category: 'performance',
  severity: 'critical',
  fix: 'The app’s connection pools (size + overflow per instance × instances) fit well inside the database plan’s connection limit',
  needs: ['postgres'],
  expectations: {
    postgres: {
      /** max_connections the plan must give (e.g. a managed plan's tier). */
      maxConnectionsAtLeast: z.number().int().positive().optional(),
      /** Connections the app may use in total (pool_size + max_overflow per instance × instances). */
      connectionBudget: z.number().int().positive().optional(),
      poolUtilization: Band.default({ warn: 0.5, fail: 0.8 }),
    },
  },
  evaluate({ postgres: sample }, { postgres: exp }) {
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
  },
});
