/**
 * Starts Sentry for the main process only when a DSN is configured; otherwise @sentry/electron
 * is not even loaded. Called before `ready` (Sentry must hook the app's lifecycle early): the
 * dynamic import resolves within the same turn of the event loop, long before ready fires.
 */
import { app } from 'electron';
import { crashReportingSettings, sentryOptions } from '../core/telemetry/crash-reporting';
import { scrubMessage } from '../core/util/redact';

export function startCrashReporting(): void {
  const options = sentryOptions(crashReportingSettings(), app.getVersion());
  if (!options) return;
  void import('@sentry/electron/main')
    .then((Sentry) => Sentry.init(options as unknown as Parameters<typeof Sentry.init>[0]))
    .catch((err: unknown) => process.stderr.write(`preflight: crash reporting could not start: ${scrubMessage(String(err))}\n`));
}
