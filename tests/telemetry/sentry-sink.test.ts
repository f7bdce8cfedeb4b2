/**
 * Crash reports through a local HTTP sink standing in for Sentry: the error thrown in main
 * arrives, masked; none of the canaries does (URL passwords, tokens, `password=`, SQL literals,
 * console lines); and with no DSN configured nothing is sent at all. An error thrown in the
 * renderer: tests/e2e/renderer-crash-reporting.test.ts.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashReportingSettings, sentryOptions } from '../../electron/core/telemetry/crash-reporting';
import { PROJECT_ROOT } from '../harness/cli';
import { startSentrySink, type SentrySink } from './sentry-sink';

const CANARY = `sentry-canary-${Math.random().toString(36).slice(2)}`;
let sink: SentrySink;

function runChild(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.mjs'), join(PROJECT_ROOT, 'tests', 'telemetry', 'crash-child.ts')], { cwd: PROJECT_ROOT, env: { ...process.env, PREFLIGHT_SENTRY_DSN: '', CANARY, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  sink = await startSentrySink();
});
afterAll(() => sink.close());

describe('crash reporting', () => {
  it('is off until a DSN is configured: no options, nothing sent', async () => {
    expect(sentryOptions(crashReportingSettings({}, join(PROJECT_ROOT, 'no-such-dir')), '1')).toBeNull();
    const child = await runChild({});
    expect(child.stdout).toContain('crash reporting off');
    expect(sink.envelopes).toEqual([]);
  });

  it('sends the error to the DSN with every canary masked and no console breadcrumb', async () => {
    const child = await runChild({ PREFLIGHT_SENTRY_DSN: sink.dsn });
    expect(child.stdout, child.stderr).toContain('sent');
    const all = sink.envelopes.join('\n');
    const event = all.split('\n').find((line) => line.includes('"exception"'));
    expect(event, all.slice(0, 2000)).toBeDefined();
    expect(event).toContain('crash while sampling postgres://monitor:*****@db.internal:5432/app');
    expect(event).toContain('"sdk"');
    expect(all).not.toContain(CANARY);
    const parsed = JSON.parse(event!) as { user?: unknown; server_name?: unknown; breadcrumbs: { category: string; message: string }[] };
    // Console breadcrumbs are off; the others arrive masked.
    expect(parsed.breadcrumbs.map((b) => b.category)).toEqual(['probe', 'pg']);
    expect(parsed.breadcrumbs[1]!.message).toMatch(/^SELECT \* FROM users WHERE api_key = /);
    expect(parsed.user).toBeUndefined();
    expect(parsed.server_name).toBeUndefined();
  });
});
