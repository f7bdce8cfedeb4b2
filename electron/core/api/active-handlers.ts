/**
 * Active probes over the contract: plan (sends nothing), start after consent (progress and
 * the result arrive as events), cancel (every connection closes within a second), list runs.
 * Runs start only from a call a person made in the UI; nothing here schedules them.
 */
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import type { ActiveRunRequest, ActiveRunState, BearerIdentityRef } from '../../../shared/contracts/active';
import { ContractError } from '../../../shared/dispatch';
import type { ActivePlan, Consent } from '../../../shared/schemas/active';
import { writeAudit } from '../audit/audit-log';
import { rateLimitReport, sseReport } from '../checks/active';
import { verifyTypedConsent } from '../consent/verify-consent';
import { assertWithinCaps, CapExceededError, manualTrigger, resolveCaps } from '../probes/active/guardrails';
import { BadTargetError, planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../probes/active/sse-hold';
import type { Environment } from '../profile/schema';
import { bearerLabel, resolveBearer, SecretUnavailableError } from '../profile/secrets';
import { profileByName } from './named-profile';
import type { EngineContext, FeatureHandlers } from './feature';

type ActiveCallName = 'active.plan' | 'active.start' | 'active.cancel' | 'active.runs';

const KEEP_RUNS = 20;

/**
 * The environment whose secret names the bearer identity. Its token is sent only to that
 * environment's own API host, so a reference can never carry a secret to another server.
 */
function identityEnvironment(ref: BearerIdentityRef, url: string): Environment {
  const loaded = profileByName(ref.profile);
  const environment = loaded.profile.environments.find((e) => e.name === ref.environment);
  if (!environment) throw new ContractError(`Profile "${ref.profile}" has no environment "${ref.environment}".`, 'bad_input');
  if (!(ref.secret in environment.secrets)) throw new ContractError(`Environment "${ref.environment}" of profile "${ref.profile}" defines no secret "${ref.secret}".`, 'bad_input');
  const api = environment.targets.api?.baseUrl;
  let host: string | null = null;
  try {
    host = new URL(url).host;
  } catch {
    // planRateLimit reports the bad URL
  }
  if (!api || new URL(api).host !== host) {
    throw new ContractError(`Refused: secret "${ref.secret}" belongs to environment "${ref.environment}", whose API is ${api ? new URL(api).host : 'not configured'}; it is never sent to ${host ?? 'another host'}.`, 'bad_input');
  }
  return environment;
}

function toProbeRequest(req: ActiveRunRequest, identity: { headers?: Record<string, string> } = {}): { kind: 'ratelimit'; probe: RateLimitRequest } | { kind: 'sse'; probe: SseRequest } {
  if (req.kind === 'ratelimit') {
    const caps = req.deadlineSeconds === undefined ? undefined : { totalDeadlineMs: Math.round(req.deadlineSeconds * 1000) };
    const identityLabel = req.identity ? `${bearerLabel(req.identity.secret)} (profile ${req.identity.profile}, environment ${req.identity.environment})` : undefined;
    return { kind: 'ratelimit', probe: { url: req.url, limit: req.limit, windowSeconds: req.windowSeconds, xffCheck: req.xffCheck, checkReset: req.checkReset, environment: req.environment, caps, identityLabel, headers: identity.headers } };
  }
  return { kind: 'sse', probe: { url: req.url, pgUrl: req.pgUrl, applicationName: req.applicationName || null, clientAddress: req.clientAddress || null, streams: req.streams, seconds: req.seconds, environment: req.environment } };
}

function planOf(req: ActiveRunRequest): ActivePlan {
  try {
    if (req.kind === 'ratelimit' && req.identity) identityEnvironment(req.identity, req.url);
    const r = toProbeRequest(req);
    return r.kind === 'ratelimit' ? planRateLimit(r.probe) : planSse(r.probe);
  } catch (err) {
    if (err instanceof BadTargetError) throw new ContractError(err.message, 'bad_input');
    if (err instanceof CapExceededError) throw new ContractError(err.message, 'cap_exceeded');
    throw err;
  }
}

/** A refusal before a run exists: audited like the guardrails' own (nothing was sent). */
function auditRefusal(req: ActiveRunRequest, plan: ActivePlan | null, err: unknown): void {
  writeAudit({ action: `${req.kind}.run`, target: req.url, environment: req.environment, outcome: 'refused', details: { reason: (err as Error).message, wouldSend: plan?.description ?? null, plannedRequests: plan?.requestCount ?? null, source: 'ui' } });
}

export function createActiveHandlers(ctx: EngineContext): FeatureHandlers<ActiveCallName> {
  const runs = new Map<string, ActiveRunState>();
  const controllers = new Map<string, AbortController>();

  const remember = (state: ActiveRunState) => {
    runs.set(state.runId, state);
    for (const id of [...runs.keys()].slice(0, Math.max(0, runs.size - KEEP_RUNS))) if (!controllers.has(id)) runs.delete(id);
  };

  const start = async (req: ActiveRunRequest, consent: Consent): Promise<ActiveRunState> => {
    let plan: ActivePlan;
    try {
      plan = planOf(req);
    } catch (err) {
      auditRefusal(req, null, err);
      throw err;
    }
    // Refuse at once, in the caller's face, before a run exists; the probe checks again.
    try {
      verifyTypedConsent(plan, consent);
      assertWithinCaps(plan, resolveCaps());
    } catch (err) {
      auditRefusal(req, plan, err);
      throw new ContractError((err as Error).message, 'consent_required');
    }
    // Only now, with consent, is the bearer token read (into the request headers, nowhere else).
    let identity: { headers?: Record<string, string> } = {};
    if (req.kind === 'ratelimit' && req.identity) {
      try {
        identity = await resolveBearer(req.identity.secret, identityEnvironment(req.identity, req.url));
      } catch (err) {
        auditRefusal(req, plan, err);
        if (err instanceof SecretUnavailableError) throw new ContractError(err.message, 'secret_unavailable');
        throw err;
      }
    }
    const runId = randomUUID();
    const controller = new AbortController();
    const started = performance.now();
    const state: ActiveRunState = { runId, kind: plan.kind, plan, status: 'running', startedAt: new Date().toISOString(), progress: null, samples: [], rateLimit: null, sse: null, error: null };
    remember(state);
    controllers.set(runId, controller);
    const progress = (phase: string, sent: number, sample: ActiveRunState['samples'][number] | null) => {
      state.progress = { runId, kind: plan.kind, phase, sent, planned: plan.requestCount, elapsedMs: Number((performance.now() - started).toFixed(1)), sample };
      ctx.events.emit('active.progress', state.progress);
    };
    const r = toProbeRequest(req, identity);
    const trigger = manualTrigger('ui');
    const work =
      r.kind === 'ratelimit'
        ? runRateLimitProbe(r.probe, { trigger, consent, signal: controller.signal, judge: rateLimitReport, onProgress: (p) => progress(p.phase, p.sent, null) }).then((obs) => {
            state.rateLimit = rateLimitReport(obs);
          })
        : runSseProbe(r.probe, {
            trigger,
            consent,
            signal: controller.signal,
            judge: (obs) => sseReport(obs),
            onSample: (s) => {
              state.samples.push(s);
              progress(s.phase, 0, s);
            },
          }).then((obs) => {
            state.sse = sseReport(obs);
          });
    work
      .then(() => {
        state.status = 'finished';
      })
      .catch((err: unknown) => {
        state.status = 'failed';
        state.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        controllers.delete(runId);
        ctx.events.emit('active.finished', state);
      });
    return state;
  };

  const handlers: Pick<Handlers, ActiveCallName> = {
    'active.plan': async (req) => planOf(req),
    'active.start': async ({ request, consent }) => start(request, consent),
    'active.cancel': async ({ runId }) => {
      const controller = controllers.get(runId);
      if (!controller) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    'active.runs': async () => [...runs.values()].reverse(),
  };
  return {
    handlers,
    async close() {
      for (const c of controllers.values()) c.abort();
    },
  };
}
