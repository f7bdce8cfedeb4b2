/** health.live: GET /health/live answers 200 alive. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'health.live',
  title: 'GET /health/live answers 200 alive',
  category: 'infrastructure',
  severity: 'medium',
  fix: 'Liveness endpoint answers 200 with the expected body',
  reads: ['health'],
});
