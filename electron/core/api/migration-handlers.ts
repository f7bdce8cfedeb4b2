/**
 * Migrations page: status, plan and verify on a read-only probe; apply on the runner's own
 * writer connection, only with the environment name typed, audited, with per-statement
 * progress events and cancel.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Handlers } from '../../../shared/contract';
import type { MigrationTarget } from '../../../shared/contracts/migrations';
import { ContractError } from '../../../shared/dispatch';
import { auditApplyError, auditApplyRefused, auditApplyResult, auditApplyStarted } from '../migrations/apply-audit';
import { applyMigrations, buildPlan, ChecksumMismatchError, loadMigrations, MigrationFileError, readMigrationStatus, verifyMigrations, type MigrationFile } from '../migrations';
import { ProbeClient } from '../probes/postgres';
import { isProductionEnvironment } from '../consent/production';
import { typedConfirmationFor } from '../consent/typed-confirmation';
import { confirmationMatches, describeConfirmation } from '../../../shared/schemas/confirmation';
import type { EngineContext, FeatureHandlers } from './feature';

type MigrationCallName = 'migrations.open' | 'migrations.close' | 'migrations.targets' | 'migrations.status' | 'migrations.plan' | 'migrations.verify' | 'migrations.apply' | 'migrations.cancel';

interface Opened {
  target: MigrationTarget;
  url: string;
  probe: ProbeClient;
  run: { runId: string; controller: AbortController; done: Promise<void> } | null;
}

function files(dir: string): MigrationFile[] {
  try {
    return loadMigrations(dir);
  } catch (err) {
    if (err instanceof MigrationFileError) throw new ContractError(err.message, 'bad_input');
    throw err;
  }
}

/** Engine errors a person should read as they are. */
async function readable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof ChecksumMismatchError) throw new ContractError(err.message, 'checksum_mismatch');
    throw err;
  }
}

export function createMigrationHandlers(ctx: EngineContext): FeatureHandlers<MigrationCallName> {
  const opened = new Map<string, Opened>();
  const get = (targetId: string): Opened => {
    const o = opened.get(targetId);
    if (!o) throw new ContractError(`No migration target with id "${targetId}". Open one first.`, 'not_found');
    return o;
  };
  const describe = (o: Opened): MigrationTarget => ({ ...o.target, runningRunId: o.run?.runId ?? null });

  const handlers: Pick<Handlers, MigrationCallName> = {
    'migrations.open': async ({ url, dir, environment: named }) => {
      const absolute = resolve(dir);
      files(absolute);
      const environment = named ?? (decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres');
      const host = new URL(url).host;
      const production = isProductionEnvironment(environment);
      const confirm = typedConfirmationFor({ environment, host, production });
      const probe = new ProbeClient(url, { role: 'reader' });
      const o: Opened = { url, probe, run: null, target: { targetId: randomUUID(), label: probe.label, dir: absolute, environment, host, production, confirm, runningRunId: null } };
      opened.set(o.target.targetId, o);
      return describe(o);
    },
    'migrations.close': async ({ targetId }) => {
      const o = opened.get(targetId);
      if (!o) return { closed: false };
      o.run?.controller.abort();
      await o.run?.done;
      opened.delete(targetId);
      await o.probe.close();
      return { closed: true };
    },
    'migrations.targets': async () => [...opened.values()].map(describe),
    'migrations.status': async ({ targetId }) => {
      const o = get(targetId);
      return readable(readMigrationStatus(o.probe, files(o.target.dir)));
    },
    'migrations.plan': async ({ targetId }) => {
      const o = get(targetId);
      return readable(buildPlan(o.probe, files(o.target.dir)));
    },
    'migrations.verify': async ({ targetId }) => {
      const o = get(targetId);
      return readable(verifyMigrations(o.probe, files(o.target.dir)));
    },
    'migrations.apply': async ({ targetId, confirm, ackLint }) => {
      const o = get(targetId);
      const environment = o.target.environment;
      if (!confirmationMatches(o.target.confirm, confirm)) {
        auditApplyRefused({ target: o.url, environment, extra: { via: ctx.options.transport } }, `${o.target.confirm.what === 'environment' ? 'environment name' : 'host'} not confirmed`);
        throw new ContractError(`Type ${describeConfirmation(o.target.confirm)} exactly to apply; nothing was applied.`, 'not_confirmed');
      }
      if (o.run) throw new ContractError(`A migration run (${o.run.runId}) is already in progress on this target.`, 'busy');
      const list = files(o.target.dir);
      const runId = randomUUID();
      const controller = new AbortController();
      const audit = { target: o.url, environment, runId, extra: { via: ctx.options.transport } };
      // On record before the writer connection opens: a run that dies half-way still left a trace.
      auditApplyStarted(audit, list);
      const done = applyMigrations(o.url, list, {
        runId,
        ackLint,
        signal: controller.signal,
        onEvent: (e) => ctx.events.emit('migrations.event', { ...e, targetId }),
      })
        .then((result) => {
          auditApplyResult(audit, result);
          ctx.events.emit('migrations.result', { ...result, targetId });
        })
        .catch((err: Error) => {
          auditApplyError(audit, err);
          ctx.events.emit('migrations.event', { runId, targetId, at: new Date().toISOString(), kind: 'failed', version: null, statement: null, message: err.message, durationMs: null });
          ctx.events.emit('migrations.result', { runId, targetId, database: '', outcome: 'failed', files: [], durationMs: 0, error: err.message });
        })
        .finally(() => {
          o.run = null;
        });
      o.run = { runId, controller, done };
      return { runId };
    },
    'migrations.cancel': async ({ runId }) => {
      const o = [...opened.values()].find((x) => x.run?.runId === runId);
      if (!o?.run) return { cancelled: false };
      o.run.controller.abort();
      return { cancelled: true };
    },
  };
  return {
    handlers,
    async close() {
      for (const o of opened.values()) {
        o.run?.controller.abort();
        await o.run?.done;
        await o.probe.close();
      }
      opened.clear();
    },
  };
}
