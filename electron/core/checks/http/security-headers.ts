/** security.headers: API responses carry security headers. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'security.headers',
  title: 'API responses carry security headers',
  category: 'security',
  severity: 'medium',
  fix: 'Security-headers middleware: nosniff, frame protection, HSTS, Referrer-Policy, CSP; no X-Powered-By',
  reads: [],
});
