/** request-id.generated: Every response carries a generated X-Request-ID (UUID). */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'request-id.generated',
  title: 'Every response carries a generated X-Request-ID (UUID)',
  category: 'infrastructure',
  severity: 'medium',
  fix: 'Request-ID middleware generates an id (UUID) per request',
  reads: ['requestId'],
});
