/** cors.allowlist: CORS allows only the production HTTPS origins. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'cors.allowlist',
  title: 'CORS allows only the production HTTPS origins',
  category: 'security',
  severity: 'critical',
  fix: 'CORS restricted to the production front-end origins over HTTPS; any other origin refused',
  reads: ['cors', 'production'],
});
