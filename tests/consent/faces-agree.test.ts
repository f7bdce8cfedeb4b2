/**
 * One rule each for "is this production?" and "what must be typed back" (electron/core/consent):
 * the same inputs give the same decision from the API (the window's and the browser's face) and
 * from the CLI, for the active probes and for migrations alike.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import type { MigrationTarget } from '../../shared/contracts/migrations';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { ActivePlan } from '../../shared/schemas/active';
import { describeConfirmation } from '../../shared/schemas/confirmation';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { freshDatabase } from '../harness';
import { runCli } from '../harness/cli';
import { consentFor, useTempDataDir } from '../active/helpers';

useTempDataDir();
let engine: Engine;
let limiter: LimiterServer;
let db: string;
const dir = mkdtempSync(join(tmpdir(), 'faces-mig-'));
writeFileSync(join(dir, '0001_create_users.sql'), 'CREATE TABLE users (id int);');

beforeAll(async () => {
  limiter = await startLimiterServer({ mode: 'correct', limit: 5, windowMs: 60_000 });
  db = (await freshDatabase('faces')).url;
  engine = createEngine({ transport: 'http', version: 'test' });
});
afterAll(async () => {
  await engine?.close();
  await limiter?.close();
});

const call = async <T>(name: string, input: unknown) => unwrap(await dispatchCall(engine.handlers, name, input)) as T;
const burst = (environment: string) => ({ kind: 'ratelimit' as const, url: limiter.url, limit: 5, windowSeconds: 60, xffCheck: false, checkReset: false, environment });

describe('the faces agree on the consent rules', () => {
  it('"is production" and what is typed back: API plans, the migrations target and the CLI say the same for each environment name', async () => {
    const decided: Record<string, boolean> = {};
    for (const environment of ['production', 'Prod-EU', 'staging']) {
      const plan = await call<ActivePlan>('active.plan', burst(environment));
      const target = await call<MigrationTarget>('migrations.open', { url: db, dir, environment });
      decided[environment] = plan.production;
      expect(target.production, environment).toBe(plan.production);
      // Same rule, other host: the environment's name for production, else the target's own host.
      expect(target.confirm, environment).toEqual(plan.production ? plan.confirm : { what: 'host', value: new URL(db).host });
      expect(plan.confirm, environment).toEqual(plan.production ? { what: 'environment', value: environment } : { what: 'host', value: new URL(limiter.url).host });

      const cli = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', '--environment', environment]);
      expect(cli.code, environment).toBe(2);
      expect(cli.stderr.includes(`--confirm-environment ${environment}, since this is production`), environment).toBe(plan.production);
      const migrate = await runCli(['migrate', 'apply', '--url', db, '--dir', dir, '--env', environment]);
      expect(migrate.code, environment).toBe(2);
      expect(migrate.stderr, environment).toContain(`so ${describeConfirmation(target.confirm)} cannot be typed`);
      await call('migrations.close', { targetId: target.targetId });
    }
    // The rule itself: by name, any case.
    expect(decided).toEqual({ production: true, 'Prod-EU': true, staging: false });
    expect(limiter.requests).toBe(0);
  });

  it('a production name typed in the wrong case is refused by every face; typed exactly, every face goes ahead', async () => {
    const environment = 'Prod-EU';
    const plan = await call<ActivePlan>('active.plan', burst(environment));
    const target = await call<MigrationTarget>('migrations.open', { url: db, dir, environment });
    limiter.resetCounters();

    const apiWrong = await dispatchCall(engine.handlers, 'active.start', { request: burst(environment), consent: { ...consentFor(plan), typedEnvironment: 'prod-eu' } });
    expect(apiWrong).toMatchObject({ error: { code: 'consent_required' } });
    const cliWrong = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', '--environment', environment, '--confirm', '--confirm-environment', 'prod-eu']);
    expect(cliWrong.code).toBe(2);
    expect(cliWrong.stderr).toMatch(/"Prod-EU" is a production environment; type its name exactly/);
    const migWrong = await dispatchCall(engine.handlers, 'migrations.apply', { targetId: target.targetId, confirm: 'prod-eu' });
    expect(migWrong).toMatchObject({ error: { code: 'not_confirmed' } });
    expect(limiter.requests).toBe(0);

    const cliRight = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', '--environment', environment, '--confirm', '--confirm-environment', environment, '--json']);
    expect(cliRight.code, cliRight.stderr).not.toBe(2);
    expect(limiter.requests).toBe(6);
    const apiRight = await call<{ runId: string }>('active.start', { request: burst(environment), consent: consentFor(plan) });
    expect(apiRight.runId).toEqual(expect.any(String));
    await expect.poll(() => limiter.requests, { timeout: 20_000 }).toBe(12);
    const migRight = await call<{ runId: string }>('migrations.apply', { targetId: target.targetId, confirm: environment });
    expect(migRight.runId).toEqual(expect.any(String));
  });
});
