/**
 * Active probes over the contract: plan (sends nothing), start after consent (progress and
 * the result arrive as events), cancel (every connection closes within a second), list runs.
 * Runs start only from a call a person made in the UI; nothing here schedules them.
 */
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import type { ActiveRunRequest, ActiveRunState } from '../../../shared/contracts/active';
import { ContractError } from '../../../shared/dispatch';
import type { ActivePlan, Consent } from '../../../shared/schemas/active';
import { writeAudit } from '../audit/audit-log';
import { rateLimitReport, sseReport } from '../checks/active';
import { assertWithinCaps, manualTrigger, resolveCaps, verifyTypedConsent } from '../probes/active/guardrails';
import { BadTargetError, planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../probes/active/sse-hold';
import type { EngineContext, FeatureHandlers } from './feature';

type ActiveCallName = 'active.plan' | 'active.start' | 'active.cancel' | 'active.runs';

const KEEP_RUNS = 20;

function toProbeRequest(req: ActiveRunRequest): { kind: 'ratelimit'; probe: RateLimitRequest } | { kind: 'sse'; probe: SseRequest } {
  if (req.kind === 'ratelimit') {
    return { kind: 'ratelimit', probe: { url: req.url, limit: req.limit, windowSeconds: req.windowSeconds, xffCheck: req.xffCheck, checkReset: req.checkReset, environment: req.environment } };
  }
  return { kind: 'sse', probe: { url: req.url, pgUrl: req.pgUrl, applicationName: req.applicationName || null, clientAddress: req.clientAddress || null, streams: req.streams, seconds: req.seconds, environment: req.environment } };
}

function planOf(req: ActiveRunRequest): ActivePlan {
  try {
    const r = toProbeRequest(req);
    return r.kind === 'ratelimit' ? planRateLimit(r.probe) : planSse(r.probe);
  } catch (err) {
    if (err instanceof BadTargetError) throw new ContractError(err.message, 'bad_input');
    throw err;
  }
}

export function createActiveHandlers(ctx: EngineContext): FeatureHandlers<ActiveCallName> {
  const runs = new Map<string, ActiveRunState>();
  const controllers = new Map<string, AbortController>();

  const remember = (state: ActiveRunState) => {
    runs.set(state.runId, state);
    for (const id of [...runs.keys()].slice(0, Math.max(0, runs.size - KEEP_RUNS))) if (!controllers.has(id)) runs.delete(id);
  };

  const start = (req: ActiveRunRequest, consent: Consent): ActiveRunState => {
    const plan = planOf(req);
    // Refuse at once, in the caller's face, before a run exists; the probe checks again.
    try {
      verifyTypedConsent(plan, consent);
      assertWithinCaps(plan, resolveCaps());
    } catch (err) {
      writeAudit({ action: `${plan.kind}.run`, target: req.url, environment: plan.environment, outcome: 'refused', details: { reason: (err as Error).message, source: 'ui' } });
      throw new ContractError((err as Error).message, 'consent_required');
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
    const r = toProbeRequest(req);
    const trigger = manualTrigger('ui');
    const work =
      r.kind === 'ratelimit'
        ? runRateLimitProbe(r.probe, { trigger, consent, signal: controller.signal, onProgress: (p) => progress(p.phase, p.sent, null) }).then((obs) => {
            state.rateLimit = rateLimitReport(obs);
          })
        : runSseProbe(r.probe, {
            trigger,
            consent,
            signal: controller.signal,
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
