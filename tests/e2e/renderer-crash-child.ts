/**
 * The desktop app's crash path for the renderer, without Electron: main's Sentry options (here
 * through @sentry/node, as tests/telemetry/crash-child.ts), an engine whose renderer reports go to
 * captureRendererCrash (as electron/main does), and the real UI served over the HTTP bridge.
 * Prints the UI's URL; on SIGTERM flushes Sentry and exits. Run by tests/e2e/renderer-crash-reporting.test.ts.
 */
import * as Sentry from '@sentry/node';
import { createEngine } from '../../electron/core/api/engine';
import { captureRendererCrash, crashReportingSettings, sentryOptions } from '../../electron/core/telemetry/crash-reporting';
import { startBridge } from '../../electron/server/http-bridge';
import { RENDERER_DIST } from '../../electron/server/renderer-build';

const options = sentryOptions(crashReportingSettings(), '0.0.0-test');
if (!options) throw new Error('renderer-crash-child needs PREFLIGHT_SENTRY_DSN');
Sentry.init(options as unknown as Sentry.NodeOptions);
const engine = createEngine({
  transport: 'http',
  version: 'test',
  reportRendererError: (report) => {
    captureRendererCrash(Sentry, report);
    return true;
  },
});
const bridge = await startBridge({ engine, rendererDir: RENDERER_DIST });
process.stdout.write(`ui ${bridge.url}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await Sentry.flush(10_000);
    await bridge.close();
    await engine.close();
    process.exit(0);
  })();
});
