/** health.ready-consistent: Readiness agrees with what Preflight sees of Postgres and Redis. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'health.ready-consistent',
  title: 'Readiness agrees with what Preflight sees of Postgres and Redis',
  category: 'infrastructure',
  severity: 'high',
  fix: 'Readiness answers 503 not ready naming the failing dependency when one is down, and never lies',
  reads: ['health'],
});
