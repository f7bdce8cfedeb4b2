/** health.ready: GET /health/ready reports database and Redis healthy. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'health.ready',
  title: 'GET /health/ready reports database and Redis healthy',
  category: 'infrastructure',
  severity: 'critical',
  fix: 'Readiness endpoint checks the database and Redis and answers 200 ready',
  reads: ['health'],
});
