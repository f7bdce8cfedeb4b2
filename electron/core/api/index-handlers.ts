/**
 * Indexes page: one read-only probe per target, re-reading the index catalog on a slow loop
 * (default 5 minutes, never every sample) and publishing each report as `indexes.report`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Handlers } from '../../../shared/contract';
import type { IndexTarget } from '../../../shared/contracts/indexes';
import { ContractError } from '../../../shared/dispatch';
import type { IndexExpectation, IndexReport } from '../../../shared/schemas/indexes';
import { evaluateIndexes } from '../checks/indexes';
import { ProbeClient } from '../probes/postgres';
import { ExpectationFileError, parseIndexExpectations } from '../probes/postgres/expectations';
import { readIndexCatalog } from '../probes/postgres/indexes';
import { assertSchedulable, type SchedulableProbeId } from '../probes/active/guardrails';
import { defaultIndexListPath } from '../profile/discovery';
import { scrubMessage } from '../util/redact';
import { AUTH_STOPPED_HINT, isAuthFailure } from '../util/auth-failure';
import { fingerprint } from '../util/fingerprint';
import { TargetHealth } from '../monitor/target-health';
import type { EngineContext, FeatureHandlers } from './feature';

type IndexCallName = 'indexes.defaultExpectations' | 'indexes.watch' | 'indexes.unwatch' | 'indexes.targets' | 'indexes.status' | 'indexes.report' | 'indexes.refresh';

const MIN_REFRESH_MS = 10_000;

interface Watched {
  target: Omit<IndexTarget, 'status'>;
  health: TargetHealth;
  probe: ProbeClient;
  expectations: IndexExpectation[];
  timer: NodeJS.Timeout;
  latest: IndexReport | null;
  running: Promise<IndexReport> | null;
  lastRunAt: number;
}

export function createIndexHandlers(ctx: EngineContext): FeatureHandlers<IndexCallName> {
  const watched = new Map<string, Watched>();
  const get = (targetId: string): Watched => {
    const w = watched.get(targetId);
    if (!w) throw new ContractError(`No index check with id "${targetId}". Start one first.`, 'not_found');
    return w;
  };
  const describe = (w: Watched): IndexTarget => ({ ...w.target, status: w.health.snapshot() });
  const run = (w: Watched): Promise<IndexReport> => {
    if (w.health.state === 'auth_failed') return Promise.reject(new ContractError(w.health.snapshot().lastError?.message ?? 'Authentication failed.', 'auth_failed'));
    // A read still running is joined, never queued behind (DESIGN.md §3).
    w.running ??= readIndexCatalog(w.probe)
      .then((catalog) => {
        const report = evaluateIndexes(catalog, w.expectations);
        w.latest = report;
        w.lastRunAt = Date.now();
        w.health.ok(report.checkedAt);
        ctx.events.emit('indexes.report', { ...report, targetId: w.target.targetId });
        return report;
      })
      .catch((err: unknown) => {
        // Said, never swallowed: the page shows the target as failing and the report as stale.
        const authFailed = isAuthFailure(err);
        const failure = { at: new Date().toISOString(), message: scrubMessage((err as Error).message) + (authFailed ? ` ${AUTH_STOPPED_HINT}` : '') };
        w.health.fail(failure.at, failure.message, authFailed);
        if (authFailed) {
          // Never retry a failed login on a schedule (DESIGN.md §3).
          clearInterval(w.timer);
          void w.probe.close();
        }
        ctx.events.emit('indexes.failed', { targetId: w.target.targetId, ...failure });
        throw err;
      })
      .finally(() => {
        w.running = null;
      });
    return w.running;
  };

  const handlers: Pick<Handlers, IndexCallName> = {
    'indexes.defaultExpectations': async () => {
      if (ctx.presets.indexes) return ctx.presets.indexes;
      const path = defaultIndexListPath();
      if (!path) throw new ContractError('profiles/startinsight-indexes.yaml was not found (set PREFLIGHT_PROFILES_DIR).', 'not_found');
      return { yaml: readFileSync(path, 'utf8'), source: path };
    },
    'indexes.watch': async ({ url, expectYaml, intervalMs }) => {
      let expectations: IndexExpectation[];
      try {
        expectations = parseIndexExpectations(expectYaml, 'the expected indexes');
      } catch (err) {
        if (err instanceof ExpectationFileError) throw new ContractError(err.message, 'bad_input');
        throw err;
      }
      assertSchedulable('postgresCatalog' satisfies SchedulableProbeId);
      const probe = new ProbeClient(url, { role: 'reader' });
      const target = { targetId: randomUUID(), label: probe.label, fingerprint: fingerprint(url).slice(0, 8), intervalMs, expectations: expectations.length };
      // A failed read is reported by run() (`indexes.failed`, target.lastError); the loop goes on.
      const w: Watched = { target, health: new TargetHealth(), probe, expectations, latest: null, running: null, lastRunAt: 0, timer: setInterval(() => void run(w).catch(() => undefined), intervalMs) };
      w.timer.unref?.();
      watched.set(target.targetId, w);
      void run(w).catch(() => undefined);
      return describe(w);
    },
    'indexes.unwatch': async ({ targetId }) => {
      const w = watched.get(targetId);
      if (!w) return { stopped: false };
      watched.delete(targetId);
      clearInterval(w.timer);
      await w.probe.close();
      return { stopped: true };
    },
    'indexes.targets': async () => [...watched.values()].map(describe),
    'indexes.status': async ({ targetId }) => describe(get(targetId)),
    'indexes.report': async ({ targetId }) => get(targetId).latest,
    'indexes.refresh': async ({ targetId }) => {
      const w = get(targetId);
      if (w.running) return w.running;
      if (w.latest && Date.now() - w.lastRunAt < MIN_REFRESH_MS) return w.latest;
      try {
        return await run(w);
      } catch (err) {
        if (err instanceof ContractError) throw err;
        throw new ContractError((err as Error).message, isAuthFailure(err) ? 'auth_failed' : 'target_unreachable');
      }
    },
  };
  return {
    handlers,
    async close() {
      for (const w of watched.values()) {
        clearInterval(w.timer);
        await w.probe.close();
      }
      watched.clear();
    },
  };
}
