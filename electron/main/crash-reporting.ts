/**
 * Starts Sentry for the main process only when a DSN is configured; otherwise @sentry/electron
 * is not even loaded. Called before `ready` (Sentry must hook the app's lifecycle early): the
 * dynamic import resolves within the same turn of the event loop, long before ready fires.
 * Renderer crashes arrive over the contract (app.reportRendererError) and are captured here,
 * through the same beforeSend masker (docs/security.md).
 */
import { app } from 'electron';
import type { RendererErrorReport } from '../../shared/contracts/telemetry';
import { captureRendererCrash, crashReportingSettings, electronSentryOptions } from '../core/telemetry/crash-reporting';
import { scrubMessage } from '../core/util/redact';

let capture: ((report: RendererErrorReport) => void) | null = null;

export function startCrashReporting(): void {
  const options = electronSentryOptions(crashReportingSettings(), app.getVersion());
  if (!options) return;
  void import('@sentry/electron/main')
    .then((Sentry) => {
      Sentry.init(options as unknown as Parameters<typeof Sentry.init>[0]);
      capture = (report) => captureRendererCrash(Sentry, report);
    })
    .catch((err: unknown) => process.stderr.write(`preflight: crash reporting could not start: ${scrubMessage(String(err))}\n`));
}

/** For the engine: false while crash reporting is off (no DSN) or not started yet. */
export function reportRendererCrash(report: RendererErrorReport): boolean {
  if (!capture) return false;
  capture(report);
  return true;
}
