/**
 * app.reportRendererError: off without a reporter, validated, and a renderer in an error loop
 * cannot flood the DSN; and main's Sentry opens no renderer channel of its own.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/api/engine';
import { electronSentryOptions } from '../../electron/core/telemetry/crash-reporting';
import { PROJECT_ROOT } from '../harness/cli';
import type { RendererErrorReport } from '../../shared/contracts/telemetry';
import { dispatchCall } from '../../shared/dispatch';

const report = (n: number): RendererErrorReport => ({ source: 'window.error', name: 'TypeError', message: `x is undefined (${n})`, stack: null, page: '#/postgres' });

describe('renderer error reports', () => {
  it('answer reported: false where crash reporting is off (no DSN, preflight serve)', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    expect(await dispatchCall(engine.handlers, 'app.reportRendererError', report(1))).toEqual({ result: { reported: false } });
    await engine.close();
  });

  it('pass at most 10 a minute to the reporter, the same error twice in a row once, and refuse oversized fields', async () => {
    const received: RendererErrorReport[] = [];
    const engine = createEngine({ transport: 'ipc', version: 'test', reportRendererError: (r) => received.push(r) > 0 });
    const answers = [];
    answers.push(await dispatchCall(engine.handlers, 'app.reportRendererError', report(0)));
    answers.push(await dispatchCall(engine.handlers, 'app.reportRendererError', report(0)));
    for (let n = 1; n <= 14; n++) answers.push(await dispatchCall(engine.handlers, 'app.reportRendererError', report(n)));
    expect(received.map((r) => r.message)).toEqual(Array.from({ length: 10 }, (_, n) => `x is undefined (${n})`));
    expect(answers.filter((a) => 'result' in a && (a.result as { reported: boolean }).reported)).toHaveLength(10);
    const huge = await dispatchCall(engine.handlers, 'app.reportRendererError', { ...report(99), message: 'm'.repeat(2001) });
    expect('error' in huge && huge.error.code).toBeTruthy();
    expect(received).toHaveLength(10);
    await engine.close();
  });

  it("main's @sentry/electron sets up no renderer channel of its own (no sentry-ipc scheme, no ipcMain listeners)", () => {
    const options = electronSentryOptions({ dsn: 'http://k@127.0.0.1:9/1', minidumps: false }, '1.0.0');
    // The installed SDK's own enum (read by path: its package exports load Electron).
    const { IPCMode } = createRequire(import.meta.url)(join(PROJECT_ROOT, 'node_modules', '@sentry', 'electron', 'common', 'ipc.js')) as { IPCMode: { Classic: number; Protocol: number } };
    expect(options!.ipcMode & IPCMode.Classic).toBe(0);
    expect(options!.ipcMode & IPCMode.Protocol).toBe(0);
    expect(options!.sendDefaultPii).toBe(false);
    expect(electronSentryOptions({ dsn: null, minidumps: false }, '1.0.0')).toBeNull();
  });
});
