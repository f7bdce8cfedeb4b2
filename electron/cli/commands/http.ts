import { Command } from 'commander';
import type { CheckResult } from '../../../shared/schemas/check';
import { HttpExpectations, type HttpObservation } from '../../../shared/schemas/http';
import { httpResults } from '../../core/checks/http-results';
import { healthSchemasFor } from '../../core/checks/profile-http';
import { httpExpectationsFor } from '../../core/profile/http-expectations';
import { findEnvironment, fixFor } from '../../core/engine/run-checks';
import type { UrlRef } from '../../core/profile/schema';
import { resolveUrl, SecretUnavailableError } from '../../core/profile/secrets';
import { runPassiveProbes } from '../../core/probes/http';
import { maskUrl } from '../../core/util/redact';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson } from '../output';
import { configErrorsToExit2, loadProfileOrExit } from './check';
import { baseUrl, origin, pathOrNone, positiveInt, postgresUrl, redisUrl } from '../options';
import { commandSummary } from '../command-summaries';

interface HttpOptions {
  baseUrl?: string;
  profile?: string;
  env?: string;
  allowedOrigin?: string[];
  credentials: boolean;
  production?: boolean;
  foreignOrigin?: string;
  pgUrl?: string;
  redisUrl?: string;
  webhookPath?: string | null;
  testErrorPath?: string | null;
  timeoutMs?: number;
  json?: boolean;
}

export function httpCommand(): Command {
  return new Command('http')
    .description(commandSummary('http'))
    .option('--base-url <url>', 'the API to probe, e.g. https://api.startinsight.app (default with --profile: the environment\'s api target)', baseUrl)
    .option('--profile <file>', 'read the expectations (origins, paths, health bodies, production) and targets from a profile (docs/profiles.md)')
    .option('--env <name>', 'the environment of --profile')
    .option('--allowed-origin <origin>', 'an origin CORS must allow (repeat for each)', origin)
    .option('--no-credentials', 'allowed origins are not expected to get Access-Control-Allow-Credentials')
    .option('--production', 'production rules: allowed origins must be https, HSTS required, https target')
    .option('--foreign-origin <origin>', 'an origin CORS must refuse (default https://evil.example)')
    .option('--pg-url <postgres-url>', "the API's database, probed directly to cross-check /health/ready", postgresUrl)
    .option('--redis-url <redis-url>', "the API's Redis, PINGed directly to cross-check /health/ready", redisUrl)
    .option('--webhook-path <path>', 'signed webhook endpoint, or "none" (default /api/payments/webhook)', pathOrNone)
    .option('--test-error-path <path>', 'endpoint that raises a test error, or "none" (default /api/test-sentry)', pathOrNone)
    .option('--timeout-ms <n>', 'timeout of each request, in milliseconds (default 2000)', positiveInt)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText(
      'after',
      '\nEvery probe makes one request with its own timeout and never retries. Webhook probes send a non-payment event only.\n' +
        'With --profile FILE --env NAME the expectations come from the profile (the flags for them are then ignored);\n' +
        '--base-url, --pg-url and --redis-url still override its targets; a target secret that cannot be resolved is exit 2.\n' +
        'Exit codes: 0 every check passed (or warned/skipped), 1 a check failed or errored, 2 bad usage, 3 the API did not answer at all.',
    )
    .action(async (opts: HttpOptions) => {
      if (opts.profile || opts.env) return runFromProfile(opts);
      if (!opts.baseUrl) throw new CliError('http needs --base-url <url>, or --profile <file> --env <name>', EXIT.usage);
      const parsed = HttpExpectations.safeParse({
        allowedOrigins: opts.allowedOrigin ?? [],
        credentials: opts.credentials,
        production: Boolean(opts.production),
        ...(opts.foreignOrigin ? { foreignOrigin: opts.foreignOrigin } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        paths: {
          ...(opts.webhookPath !== undefined ? { webhook: opts.webhookPath } : {}),
          ...(opts.testErrorPath !== undefined ? { testError: opts.testErrorPath } : {}),
        },
      });
      if (!parsed.success) throw new CliError(`Bad options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, EXIT.usage);
      const expectations = parsed.data;
      const observation = await runPassiveProbes(opts.baseUrl, { expectations, pgUrl: opts.pgUrl, redisUrl: opts.redisUrl });
      report(opts, opts.baseUrl, observation, httpResults(observation, expectations));
    });
}

async function runFromProfile(opts: HttpOptions): Promise<void> {
  if (!opts.profile || !opts.env) throw new CliError('--profile and --env go together', EXIT.usage);
  const loaded = loadProfileOrExit(opts.profile);
  const environment = await configErrorsToExit2(async () => findEnvironment(loaded, opts.env!));
  const baseUrl = opts.baseUrl ?? environment.targets.api?.baseUrl;
  if (!baseUrl) throw new CliError(`environment "${environment.name}" has no api target; give --base-url`, EXIT.usage);
  const x = loaded.profile.expectations;
  const expectations = HttpExpectations.parse({ ...httpExpectationsFor(x, environment), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
  // The readiness cross-check needs the environment's own Postgres and Redis: a secret that does
  // not resolve is a configuration error (exit 2), not a reason to skip the cross-check quietly.
  const target = async (flag: string | undefined, ref: UrlRef | undefined): Promise<string | undefined> => {
    if (flag || !ref) return flag;
    try {
      return await resolveUrl(ref, environment);
    } catch (err) {
      if (err instanceof SecretUnavailableError) throw new CliError(`environment "${environment.name}" (${loaded.file}): cannot resolve ${err.message}`, EXIT.usage);
      throw err;
    }
  };
  const pgUrl = await target(opts.pgUrl, environment.targets.postgres?.url);
  const redisUrl = await target(opts.redisUrl, environment.targets.redis?.url);
  const observation = await runPassiveProbes(baseUrl, { expectations, pgUrl, redisUrl });
  // The fix a result names is the profile's own (its `fixes:`), as `preflight check` names it.
  report(opts, baseUrl, observation, httpResults(observation, expectations, healthSchemasFor(x), (def) => fixFor(def, loaded.profile.fixes)));
}

function report(opts: HttpOptions, baseUrl: string, observation: HttpObservation, results: CheckResult[]): void {
  const unreachable = observation.exchanges.every((e) => e.status === null);
  const requests = observation.exchanges.length;
  const unreachableMessage = `The API at ${maskUrl(baseUrl)} did not answer: ${observation.exchanges[0]?.error ?? 'no answer'}.`;
  if (opts.json) {
    printJson({
      // Exit 3 carries the same error member as every other --json failure (issue 11).
      ...(unreachable ? { error: { code: 'target_unreachable', message: unreachableMessage } } : {}),
      baseUrl: maskUrl(baseUrl),
      startedAt: observation.startedAt,
      durationMs: observation.durationMs,
      requests,
      results: results.map(({ id, status, summary, evidence, title, category, severity, fix, durationMs }) => ({ id, status, summary, evidence, title, category, severity, fix, durationMs })),
    });
  } else {
    const width = Math.max(...results.map((r) => r.id.length));
    for (const r of results) process.stdout.write(`${r.status.toUpperCase().padEnd(7)} ${r.id.padEnd(width)}  ${r.summary}\n`);
    info(`${requests} requests in ${observation.durationMs.toFixed(0)} ms against ${maskUrl(baseUrl)}.`);
  }
  if (unreachable) {
    if (!opts.json) info(unreachableMessage);
    process.exitCode = EXIT.unreachable;
  } else if (results.some((r) => r.status === 'fail' || r.status === 'error')) process.exitCode = EXIT.checkFailed;
}
