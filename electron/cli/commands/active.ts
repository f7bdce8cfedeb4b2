/**
 * `preflight ratelimit` and `preflight sse`: the active probes. They send real traffic, so
 * without --confirm they only say what they would send where, and exit 2.
 */
import { Command } from 'commander';
import type { ActivePlan, Consent } from '../../../shared/schemas/active';
import { DEFAULT_SSE_THRESHOLDS, rateLimitReport, sseReport } from '../../core/checks/active';
import { writeAudit } from '../../core/audit/audit-log';
import { consentFromFlags, ConsentError, flagsNeeded } from '../../core/consent/verify-consent';
import { CapExceededError, DEFAULT_CAPS, manualTrigger, MAX_RESET_CHECK_DEADLINE_MS, MAX_SSE_DEADLINE_MS, type Caps } from '../../core/probes/active/guardrails';
import { BadTargetError, planRateLimit, RESET_CHECK_MARGIN_MS, runRateLimitProbe, type RateLimitRequest } from '../../core/probes/active/ratelimit';
import { DEFAULT_SSE_HOLD_SECONDS, DEFAULT_SSE_STREAMS, MAX_SSE_SECONDS, planSse, runSseProbe, type SseRequest } from '../../core/probes/active/sse-hold';
import { HttpUnreachableError } from '../../core/probes/active/warm-pool';
import { TargetUnreachableError } from '../../core/probes/postgres';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson } from '../output';
import { durationSeconds, fraction, httpUrl, positiveInt, postgresUrl } from '../options';
import { commandSummary } from '../command-summaries';

interface GuardOptions {
  environment?: string;
  confirm?: boolean;
  confirmEnvironment?: string;
  confirmHost?: string;
  maxRequests?: number;
  concurrency?: number;
  timeout?: number;
  deadline?: number;
  max5xx?: number;
  json?: boolean;
}

function withGuardOptions(cmd: Command): Command {
  return cmd
    .option('--environment <name>', 'environment the target belongs to; a name containing "prod" needs --confirm-environment; without it a non-loopback host needs --confirm-host')
    .option('--confirm', 'send the traffic (without it the command only prints what it would send, and exits 2)')
    .option('--confirm-environment <name>', 'type the environment name again to confirm a production run')
    .option('--confirm-host <host>', "type the URL's host (host:port as in the URL) to confirm a run against a non-loopback host when no --environment is given")
    .option('--max-requests <n>', `lower the cap on requests this run may send (at most ${DEFAULT_CAPS.maxRequests})`, positiveInt)
    .option('--concurrency <n>', `lower the cap on requests in flight at once (at most ${DEFAULT_CAPS.maxConcurrency})`, positiveInt)
    .option('--timeout <duration>', `lower the per-request timeout (at most ${DEFAULT_CAPS.requestTimeoutMs / 1000}s)`, durationSeconds)
    .option('--deadline <duration>', `lower the total time the run may take (at most ${DEFAULT_CAPS.totalDeadlineMs / 1000}s; ratelimit --check-reset: up to ${MAX_RESET_CHECK_DEADLINE_MS / 1000}s, see "Hard caps" below)`, durationSeconds)
    .option('--max-5xx <ratio>', `stop when more than this share of responses are 5xx (at most ${DEFAULT_CAPS.max5xxRatio})`, fraction({ aboveZero: true }))
    .option('--json', 'print one JSON document on stdout');
}

const HARD_CAPS_HELP = `
Hard caps (flags can only lower them; a higher value exits 2):
  ${DEFAULT_CAPS.maxRequests} requests per run, ${DEFAULT_CAPS.maxConcurrency} in flight, ${DEFAULT_CAPS.requestTimeoutMs / 1000} s per request, ${DEFAULT_CAPS.totalDeadlineMs / 1000} s per run,
  stop above ${DEFAULT_CAPS.max5xxRatio * 100} % 5xx responses; no retries; Ctrl-C stops all traffic.
`;
const EXIT_HELP = '\nExit codes: 0 pass, 1 fail or inconclusive, 2 bad usage, refused or no --confirm (nothing sent), 3 target unreachable.\nEvery run and every refusal is written to the audit log (audit.jsonl in the data dir).';

function capsFrom(opts: GuardOptions, deadlineCeilingMs: number = DEFAULT_CAPS.totalDeadlineMs): Partial<Caps> {
  // Flags can tighten the hard caps, never loosen them.
  const over = (flag: string, value: number | undefined, cap: number, what: string) => {
    if (value !== undefined && value > cap) throw new CliError(`${flag} ${value} is above the hard cap: it can only lower ${what} (at most ${cap}).`, EXIT.usage);
  };
  over('--max-requests', opts.maxRequests, DEFAULT_CAPS.maxRequests, 'the requests per run');
  over('--concurrency', opts.concurrency, DEFAULT_CAPS.maxConcurrency, 'the requests in flight');
  over('--timeout', opts.timeout, DEFAULT_CAPS.requestTimeoutMs / 1000, 'the per-request timeout in seconds');
  over('--deadline', opts.deadline, deadlineCeilingMs / 1000, deadlineCeilingMs > DEFAULT_CAPS.totalDeadlineMs ? 'the total run time in seconds, or raise it for --check-reset' : 'the total run time in seconds');
  over('--max-5xx', opts.max5xx, DEFAULT_CAPS.max5xxRatio, 'the share of 5xx responses tolerated');
  return {
    maxRequests: opts.maxRequests,
    maxConcurrency: opts.concurrency,
    requestTimeoutMs: opts.timeout === undefined ? undefined : Math.round(opts.timeout * 1000),
    totalDeadlineMs: opts.deadline === undefined ? undefined : Math.round(opts.deadline * 1000),
    max5xxRatio: opts.max5xx,
  };
}

/** Environment recorded when none is given: the run is then gated on the typed host. */
export const UNSPECIFIED_ENVIRONMENT = 'unspecified';

/**
 * Without --confirm: say what would be sent where, send nothing, exit 2. A non-loopback host
 * with no --environment also needs its host typed back with --confirm-host.
 */
function consentOrRefuse(plan: ActivePlan, opts: GuardOptions): Consent {
  const environmentNamed = opts.environment !== undefined;
  if (!opts.confirm) {
    const needed = flagsNeeded(plan, environmentNamed);
    throw new CliError(`${plan.description}\nNothing was sent. Add --confirm to run it${needed ? ` (and ${needed})` : ''}.`, EXIT.usage);
  }
  return consentFromFlags(plan, { confirmEnvironment: opts.confirmEnvironment, confirmHost: opts.confirmHost, environmentNamed });
}

/** Ctrl-C cancels the run (all traffic stops) instead of killing the process mid-flight. */
function cancelOnSigint(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    info('Cancelling: closing every connection…');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', onSigint) };
}

function mapProbeError(err: unknown): never {
  if (err instanceof HttpUnreachableError || err instanceof TargetUnreachableError) throw new CliError(`Target unreachable: ${err.message}`, EXIT.unreachable);
  if (err instanceof ConsentError || err instanceof CapExceededError || err instanceof BadTargetError) throw new CliError(err.message, EXIT.usage, err.code);
  throw err;
}

/**
 * The flow both active commands share: plan (refusing caps or bad targets), consent (or refuse
 * and send nothing), run with Ctrl-C as cancel, then print the report and exit 1 unless it passed.
 */
async function runActiveCommand<O, R extends { verdict: string }>(
  opts: GuardOptions,
  steps: {
    action: 'ratelimit.run' | 'sse.run';
    /** The URL traffic would go to (masked in the audit log). */
    target: string;
    plan: () => ActivePlan;
    run: (consent: Consent, signal: AbortSignal) => Promise<O>;
    report: (obs: O) => R;
    lines: (report: R, obs: O) => string[];
  },
): Promise<void> {
  let plan: ActivePlan | null = null;
  let consent: Consent;
  try {
    plan = steps.plan();
    consent = consentOrRefuse(plan, opts);
  } catch (err) {
    // Every refusal is audited, like the guardrails' own: who, when, where, what would have been sent.
    writeAudit({
      action: steps.action,
      target: steps.target,
      environment: opts.environment ?? UNSPECIFIED_ENVIRONMENT,
      outcome: 'refused',
      details: { reason: (err as Error).message, wouldSend: plan?.description ?? null, plannedRequests: plan?.requestCount ?? null, endpoint: plan?.endpoint ?? null, source: 'cli' },
    });
    mapProbeError(err);
  }
  if (!opts.json) info(plan.description);
  const cancel = cancelOnSigint();
  try {
    const obs = await steps.run(consent, cancel.signal).catch(mapProbeError);
    const report = steps.report(obs);
    if (opts.json) printJson(report);
    else process.stdout.write(`${steps.lines(report, obs).join('\n')}\n`);
    if (report.verdict !== 'pass') process.exitCode = EXIT.checkFailed;
  } finally {
    cancel.release();
  }
}

export function ratelimitCommand(): Command {
  const cmd = new Command('ratelimit')
    .description(commandSummary('ratelimit'))
    .requiredOption('--url <endpoint-url>', 'endpoint to probe, e.g. https://api.example.com/api/insights', httpUrl)
    .requiredOption('--limit <n>', 'expected limit N per window', positiveInt)
    .option('--window <duration>', 'the limiter window', durationSeconds, 60)
    .option('--count <n>', 'requests in the burst (default N+1)', positiveInt)
    .option('--xff-check', 'repeat the burst with a forged X-Forwarded-For per request')
    .option('--check-reset', 'after the advertised reset, send one more request and expect it to pass')
    .option('--bearer-env <VAR>', 'send Authorization: Bearer with the token in this environment variable (never printed)');
  withGuardOptions(cmd)
    .addHelpText('after', `${HARD_CAPS_HELP}  --check-reset: the run needs the window + ${RESET_CHECK_MARGIN_MS / 1000} s; above the ${DEFAULT_CAPS.totalDeadlineMs / 1000} s deadline it is refused unless you give
    --deadline explicitly (at most ${MAX_RESET_CHECK_DEADLINE_MS / 1000} s, so windows up to ${(MAX_RESET_CHECK_DEADLINE_MS - RESET_CHECK_MARGIN_MS) / 1000} s).
${EXIT_HELP}`)
    .action(async (opts: GuardOptions & { url: string; limit: number; window: number; count?: number; xffCheck?: boolean; checkReset?: boolean; bearerEnv?: string }) => {
      let req!: RateLimitRequest;
      await runActiveCommand(opts, {
        action: 'ratelimit.run',
        target: opts.url,
        plan: () => {
          let headers: Record<string, string> | undefined;
          if (opts.bearerEnv) {
            const token = process.env[opts.bearerEnv];
            if (!token) throw new CliError(`Environment variable ${opts.bearerEnv} is empty or not set (--bearer-env).`, EXIT.usage);
            headers = { authorization: `Bearer ${token}` };
          }
          const caps = capsFrom(opts, opts.checkReset ? MAX_RESET_CHECK_DEADLINE_MS : DEFAULT_CAPS.totalDeadlineMs);
          const identityLabel = opts.bearerEnv ? `a bearer token from environment variable ${opts.bearerEnv}` : undefined;
          req = { url: opts.url, limit: opts.limit, windowSeconds: opts.window, requestCount: opts.count, xffCheck: Boolean(opts.xffCheck), checkReset: Boolean(opts.checkReset), environment: opts.environment ?? UNSPECIFIED_ENVIRONMENT, headers, identityLabel, caps };
          return planRateLimit(req);
        },
        run: (consent, signal) => runRateLimitProbe(req, { trigger: manualTrigger('cli'), consent, signal, judge: rateLimitReport }),
        report: rateLimitReport,
        lines: (report, obs) => [
          `verdict       ${report.verdict}`,
          `sent          ${report.sent} requests in ${report.burstMs.toFixed(0)} ms (all sent within ${report.sendSpreadMs.toFixed(0)} ms, ${obs.prewarmedConnections} pre-warmed connections)`,
          `statuses      ${Object.entries(report.statuses).map(([k, v]) => `${k}×${v}`).join(', ')}`,
          `first 429 at  ${report.first429At ?? 'none'} (expected ${report.limit + 1}; limit ${report.limit} per ${report.windowSeconds} s)`,
          `Retry-After   ${report.retryAfter ?? '—'}`,
          `XFF spoof     ${report.xffBypass === null ? 'not judged' : report.xffBypass ? 'BYPASS: limit can be dodged by forging X-Forwarded-For' : 'no bypass'}`,
          ...report.checks.map((c) => `${c.status.padEnd(6)} ${c.id}: ${c.summary}`),
        ],
      });
    });
  return cmd;
}

export function sseCommand(): Command {
  const cmd = new Command('sse')
    .description(commandSummary('sse'))
    .requiredOption('--url <stream-url>', 'SSE endpoint, e.g. https://api.example.com/api/insights/1/trend-stream', httpUrl)
    .requiredOption('--pg-url <url>', "the app's database, sampled read-only through pg_stat_activity", postgresUrl)
    .option('--app-name <name>', "the app's application_name in pg_stat_activity")
    .option('--client-addr <ip>', "the app's client address in pg_stat_activity (instead of --app-name)")
    // The caps are enforced when the run is planned, where a refusal is audited, not here.
    .option('--streams <n>', `streams to open (at most ${DEFAULT_CAPS.maxConcurrency})`, positiveInt, DEFAULT_SSE_STREAMS)
    .option('--seconds <n>', `how long to keep them open (at most ${MAX_SSE_SECONDS} s)`, durationSeconds, DEFAULT_SSE_HOLD_SECONDS)
    .option('--max-held <n>', 'most sessions the streams may hold (released only when they close; default half the opened streams)', (v) => Number(positiveInt(v)))
    .option('--total-limit <n>', "the app's sessions must stay below this", positiveInt, DEFAULT_SSE_THRESHOLDS.totalLimit);
  withGuardOptions(cmd)
    .addHelpText('after', `${HARD_CAPS_HELP}  sse: the deadline is --seconds + 12 s settle + 15 s, at most ${MAX_SSE_DEADLINE_MS / 1000} s; --seconds at most ${MAX_SSE_SECONDS}, --streams at most ${DEFAULT_CAPS.maxConcurrency}.
${EXIT_HELP}`)
    .action(async (opts: GuardOptions & { url: string; pgUrl: string; appName?: string; clientAddr?: string; streams: number; seconds: number; maxHeld?: number; totalLimit: number }) => {
      const thresholds = { ...DEFAULT_SSE_THRESHOLDS, totalLimit: opts.totalLimit, maxHeld: opts.maxHeld };
      let req!: SseRequest;
      await runActiveCommand(opts, {
        action: 'sse.run',
        target: opts.url,
        plan: () => {
          req = { url: opts.url, pgUrl: opts.pgUrl, applicationName: opts.appName ?? null, clientAddress: opts.clientAddr ?? null, streams: opts.streams, seconds: opts.seconds, environment: opts.environment ?? UNSPECIFIED_ENVIRONMENT, caps: capsFrom(opts) };
          return planSse(req);
        },
        run: (consent, signal) => runSseProbe(req, { trigger: manualTrigger('cli'), consent, signal, judge: (obs) => sseReport(obs, thresholds) }),
        report: (obs) => sseReport(obs, thresholds),
        lines: (report, obs) => [
          `verdict     ${report.verdict}`,
          `streams     ${report.streamsOpened} opened, ${report.streamsRefused} refused (429), ${report.streamsFailed} failed, for ${obs.seconds} s`,
          `sessions    baseline ${report.baselineConnections}, ${report.sustainedConnections} while open (median), peak ${report.peakConnections}, after ${report.afterConnections} (${obs.samples.length} samples over ${(obs.durationMs / 1000).toFixed(1)} s)`,
          `held       ${report.heldConnections} sessions released only when the streams closed`,
          `${report.checks[0]!.status.padEnd(6)} ${report.checks[0]!.id}: ${report.summary}`,
        ],
      });
    });
  return cmd;
}
