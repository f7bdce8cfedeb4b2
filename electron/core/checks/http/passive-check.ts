/**
 * The passive HTTP checks share one observation (one request per probe, all at once) and one
 * expectations shape; each is still its own module (http/<id>.ts) declaring its id, severity
 * and fix. This builds such a definition: evaluate runs the HTTP feature's pure checks and
 * keeps the verdict of its own id.
 */
import type { CheckResult } from '../../../../shared/schemas/check';
import { defineCheck, skipped, verdictOf } from '../define';
import type { Environment } from '../../profile/fields';
import { evaluateHttp } from '../http';
import { httpExpectationsFor } from '../../profile/http-expectations';
import { healthSchemasFor } from '../profile-http';
import { PASSIVE_HTTP } from './expectations';

interface PassiveMeta {
  id: string;
  title: string;
  category: CheckResult['category'];
  severity: CheckResult['severity'];
  fix: string;
  notApplicable?(environment: Environment): string | null;
  /** The `http.*` keys its verdict turns on (all eleven share the whole passive shape). */
  reads: readonly (keyof typeof PASSIVE_HTTP)[];
}

export function passiveHttpCheck(meta: PassiveMeta) {
  return defineCheck({
    ...meta,
    reads: meta.reads.map((k) => `http.${k}`),
    needs: ['http'],
    expectations: { http: PASSIVE_HTTP },
    evaluate({ http: o }, { http }, { environment }) {
      if (!environment) throw new Error(`${meta.id} judges a check run of a profile environment (none given)`);
      if (meta.id === 'webhook.signature' && !http.webhook) return skipped('The profile names no webhook endpoint (expectations.http.webhook).');
      const results = evaluateHttp(o, httpExpectationsFor({ http }, environment), healthSchemasFor({ http }));
      const r = results.find((x) => x.id === meta.id);
      if (!r) throw new Error(`the HTTP checks have no result for ${meta.id} (they return ${results.map((x) => x.id).join(', ')})`);
      return verdictOf(r);
    },
  });
}
