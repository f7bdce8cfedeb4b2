/** tls.expiry: The API’s TLS certificate is trusted and not about to expire. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'tls.expiry',
  title: 'The API’s TLS certificate is trusted and not about to expire',
  category: 'security',
  severity: 'high',
  fix: 'HTTPS on the API with a trusted certificate renewed well before it expires',
  // A plain http API outside production has no certificate; in production, http itself is the finding.
  notApplicable: (env) => (env.kind !== 'production' && env.targets.api?.baseUrl.startsWith('http:') ? 'a plain http API outside production has no certificate to check' : null),
  reads: [],
});
