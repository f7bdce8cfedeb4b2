/** request-id.echoed: A caller’s X-Request-ID is echoed back. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'request-id.echoed',
  title: 'A caller’s X-Request-ID is echoed back',
  category: 'infrastructure',
  severity: 'low',
  fix: 'Request-ID middleware echoes the caller’s own X-Request-ID',
  reads: ['requestId'],
});
