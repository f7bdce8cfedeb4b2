/** webhook.signature: Webhook rejects missing or forged signatures. */
import { passiveHttpCheck } from './passive-check';

export default passiveHttpCheck({
  id: 'webhook.signature',
  title: 'Webhook rejects missing or forged signatures',
  category: 'security',
  severity: 'critical',
  fix: 'The webhook endpoint verifies its signature header; a missing or forged signature is refused with a 4xx',
  reads: ['webhook'],
});
