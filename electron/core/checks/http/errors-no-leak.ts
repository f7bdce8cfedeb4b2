/** errors.no-leak: Error responses leak no internals. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'errors.no-leak',
  title: 'Error responses leak no internals',
  category: 'security',
  severity: 'high',
  fix: 'Global exception handlers: generic 500 body, validation/integrity/unavailable/auth errors mapped, no stack traces',
  reads: ['errors'],
});
