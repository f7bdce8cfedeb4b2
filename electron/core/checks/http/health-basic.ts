/** health.basic: GET /health answers 200 with the expected body. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'health.basic',
  title: 'GET /health answers 200 with the expected body',
  category: 'infrastructure',
  severity: 'high',
  fix: 'A liveness health endpoint (the platform’s health check path) that always answers 200 with the expected body',
  reads: ['health'],
});
