/**
 * The passive HTTP checks as `preflight http` and the Endpoints watcher run them: the verdicts of
 * http.ts over one observation, each named by its catalogue definition (checks/http/<id>.ts) —
 * the same id, title, category, severity and fix as `preflight check`. A profile's own fix text
 * (its `fixes:` records) comes in through `fixOf`, as the engine's fixFor gives it.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { HttpExpectationsInput, HttpObservation } from '../../../shared/schemas/http';
import type { CheckDefinition } from './define';
import { evaluateHttp } from './http';
import { STARTINSIGHT_BODIES, type HealthBodySchemas } from './http-bodies';
import corsAllowlist from './http/cors-allowlist';
import errorsNoLeak from './http/errors-no-leak';
import healthBasic from './http/health-basic';
import healthLive from './http/health-live';
import healthReady from './http/health-ready';
import healthReadyConsistent from './http/health-ready-consistent';
import requestIdEchoed from './http/request-id-echoed';
import requestIdGenerated from './http/request-id-generated';
import securityHeaders from './http/security-headers';
import tlsExpiry from './http/tls-expiry';
import webhookSignature from './http/webhook-signature';

type Named = Pick<CheckDefinition, 'id' | 'title' | 'category' | 'severity' | 'fix'>;

const DEFINITIONS: ReadonlyMap<string, Named> = new Map(
  [healthBasic, healthLive, healthReady, healthReadyConsistent, requestIdGenerated, requestIdEchoed, corsAllowlist, webhookSignature, errorsNoLeak, securityHeaders, tlsExpiry].map((d) => [d.id, d]),
);

/** Every passive HTTP check over one observation, in report order, named by the catalogue. */
export function httpResults(
  o: HttpObservation,
  expectations: HttpExpectationsInput = {},
  schemas: HealthBodySchemas = STARTINSIGHT_BODIES,
  fixOf: (def: Named) => string = (def) => def.fix,
): CheckResult[] {
  return evaluateHttp(o, expectations, schemas).map((v) => {
    const def = DEFINITIONS.get(v.id);
    if (!def) throw new Error(`the HTTP check ${v.id} has no catalogue definition (checks/http/)`);
    return { id: def.id, title: def.title, category: def.category, severity: def.severity, fix: fixOf(def), status: v.status, summary: v.summary, evidence: v.evidence, durationMs: v.durationMs };
  });
}
