/**
 * A main process that crashes: @sentry/node initialised with the app's own options module
 * (electron/core/telemetry/crash-reporting.ts, as electron/main uses it with @sentry/electron),
 * then canaries in a console line, a breadcrumb, an error message and SQL. Run by
 * tests/telemetry/sentry-sink.test.ts with PREFLIGHT_SENTRY_DSN pointing at a local sink.
 */
import * as Sentry from '@sentry/node';
import { crashReportingSettings, sentryOptions } from '../../electron/core/telemetry/crash-reporting';

const c = (n: number) => `${process.env.CANARY}-${n}`;
const options = sentryOptions(crashReportingSettings(), '0.0.0-test');
if (!options) {
  process.stdout.write('crash reporting off\n');
} else {
  Sentry.init(options as unknown as Sentry.NodeOptions);
  // eslint-disable-next-line no-console -- a console breadcrumb must not be recorded
  console.log(`connecting with ${c(1)}`);
  Sentry.addBreadcrumb({ category: 'probe', message: `GET https://api.example/health?token=${c(2)}` });
  Sentry.addBreadcrumb({ category: 'pg', message: `SELECT * FROM users WHERE api_key = '${c(3)}'` });
  Sentry.setExtra('lastUrl', `redis://default:${c(4)}@cache:6379`);
  Sentry.captureException(new Error(`crash while sampling postgres://monitor:${c(5)}@db.internal:5432/app (password=${c(6)})`));
  await Sentry.flush(10_000);
  process.stdout.write('sent\n');
}
