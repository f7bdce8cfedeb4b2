import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consent } from '../../shared/schemas/active';
import type { ActivePlan } from '../../shared/schemas/active';
import { afterAll } from 'vitest';

/** Points the audit log at a fresh temp dir for this test file. */
export function useTempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-active-'));
  process.env.PREFLIGHT_DATA_DIR = dir;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The consent a person gives after reading the plan (typing the name for production, the host otherwise). */
export function consentFor(plan: ActivePlan): Consent {
  return { host: plan.host, endpoint: plan.endpoint, requestCount: plan.requestCount, environment: plan.environment, typedEnvironment: plan.production ? plan.environment : undefined, typedHost: plan.production ? undefined : plan.host };
}
