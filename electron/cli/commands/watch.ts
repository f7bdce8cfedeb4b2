/**
 * `preflight watch`: the first-24-hours launch watch, headless. Exit 0 no alert fired, 1 an
 * alert fired, 2 usage or config, 3 nothing reachable at the start. `--jsonl` prints one JSON
 * object per line on stdout (start, sample, alert, gap, check-run, marker, end); messages go to stderr.
 */
import { Command } from 'commander';
import { ConfigError, findEnvironment } from '../../core/engine/run-checks';
import { summarizeWatch } from '../../core/report/watch-summary';
import { WatchStore } from '../../core/store/watch-store';
import { guardProcess } from '../../core/util/process-guard';
import { startMetricsServer, watchRegistry } from '../../core/watch/prometheus';
import { INTERVAL_TARGETS } from '../../core/watch/targets';
import { webhookNotifier } from '../../core/watch/notify-webhook';
import { SecretUnavailableError } from '../../core/profile/secrets';
import { NothingReachableError, WatchSession, type WatchEvent } from '../../core/watch/session';
import { CliError, EXIT } from '../exit-codes';
import { info } from '../output';
import { commaList, durationMs, tcpPortOrFree } from '../options';
import { loadProfileOrExit } from './check';
import { commandSummary } from '../command-summaries';

function describe(e: WatchEvent): string | null {
  switch (e.type) {
    case 'start':
      return `${e.resumed ? 'Resumed' : 'Started'} watch ${e.session} until ${e.plannedEnd}: ${e.targets.map((t) => `${t.label} every ${t.intervalMs / 1000} s`).join(', ')}`;
    case 'alert':
      return `${e.at} ALERT ${e.state.toUpperCase()} ${e.rule}: ${e.message}`;
    case 'gap':
      return `${e.at} gap ${e.from} → ${e.to} (${e.cause}${e.target ? `, ${e.target}` : ''}): ${e.detail}`;
    case 'check-run':
      return `${e.at} check run ${e.score}/100${e.failing.length ? ` failing ${e.failing.join(', ')}` : ''}`;
    case 'marker':
      return `${e.at} marker: ${e.label}`;
    case 'end':
      return `${e.at} watch ${e.status}: ${e.alertsFired ? `${e.alertsFired} alert(s) fired` : 'no alert fired'}`;
    default:
      return null;
  }
}

export function watchCommand(): Command {
  return new Command('watch')
    .description(commandSummary('watch'))
    .requiredOption('--profile <file>', 'profile YAML (its alerts: and first-24h steps)')
    .requiredOption('--env <name>', 'environment name from the profile')
    .option('--duration <d>', 'how long to watch', durationMs({ min: 1000, max: 7 * 86_400_000 }), 86_400_000)
    .option('--interval <d>', 'commit (and report) every; also the Postgres/Redis sampling interval unless --intervals says otherwise', durationMs({ min: 100, max: 600_000 }), 5000)
    .option('--intervals <list>', 'per target, e.g. postgres=5s,indexes=5m,redis=5s,api=10s,sentry=1m,checks=15m')
    .option('--rate-window <d>', 'trailing window of the per-hour rates (5xx, Sentry errors)', durationMs({ min: 1000, max: 86_400_000 }), 3_600_000)
    .option('--store <file>', 'SQLite store (default: watch.sqlite in the data folder)')
    .option('--resume', 'continue the newest unfinished watch of this profile and environment')
    .option('--jsonl', 'one JSON object per line on stdout')
    .option('--metrics-port <n>', 'serve Prometheus /metrics on 127.0.0.1:N while watching', tcpPortOrFree)
    .addHelpText('after', '\nExit codes: 0 no alert fired, 1 an alert fired, 2 bad usage or config, 3 nothing reachable at the start.')
    .action(async (opts: { profile: string; env: string; duration: number; interval: number; intervals?: string; rateWindow: number; store?: string; resume?: boolean; jsonl?: boolean; metricsPort?: number }) => {
      guardProcess(info);
      const loaded = loadProfileOrExit(opts.profile);
      try {
        findEnvironment(loaded, opts.env);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.usage);
      }
      const intervals = parseIntervals(opts.intervals, opts.interval);
      const notify = await webhookNotifier(loaded, opts.env, info).catch((err: Error) => {
        throw new CliError(err instanceof SecretUnavailableError ? `alert webhook: ${err.message}` : err.message, EXIT.usage);
      });
      const store = new WatchStore(opts.store);
      const write = (e: WatchEvent) => {
        if (e.type === 'alert') notify?.(e);
        if (opts.jsonl) process.stdout.write(`${JSON.stringify(e)}\n`);
        else {
          const line = describe(e);
          if (line) info(line);
        }
      };
      const session = new WatchSession({
        loaded,
        environment: opts.env,
        store,
        durationMs: opts.duration,
        tickMs: opts.interval,
        intervals,
        rateWindowMs: opts.rateWindow,
        resume: opts.resume,
        onEvent: write,
        verdict: (s, id) => summaryVerdict(s, loaded.profile, id),
      });
      let metrics: { url: string; close(): Promise<void> } | null = null;
      try {
        store.prune();
        await session.start();
        if (opts.metricsPort !== undefined) {
          metrics = await startMetricsServer(watchRegistry(() => [{ profile: loaded.profile.name, environment: opts.env, latestValues: session.latestValues, alerts: session.alerts, targetStates: session.targetStates }]), opts.metricsPort);
          info(`Prometheus metrics at ${metrics.url}`);
        }
        const onSignal = () => void session.stop('stopped');
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const code = await session.done();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.exitCode = code;
      } catch (err) {
        if (err instanceof NothingReachableError) throw new CliError(err.message, EXIT.unreachable);
        if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
        throw err;
      } finally {
        await metrics?.close();
        store.close();
      }
    });
}

function parseIntervals(list: string | undefined, base: number): Record<string, number> {
  const out: Record<string, number> = { postgres: base, redis: base };
  if (!list) return out;
  const parse = durationMs({ min: 100, max: 86_400_000 });
  for (const part of commaList(list)) {
    const [name, value] = part.split('=');
    if (!name || !value || !(INTERVAL_TARGETS as string[]).includes(name)) throw new CliError(`--intervals: "${part}" is not target=duration with target ${INTERVAL_TARGETS.join(', ')}`, EXIT.usage);
    try {
      out[name] = parse(value);
    } catch (err) {
      throw new CliError(`--intervals ${name}: ${(err as Error).message}`, EXIT.usage);
    }
  }
  return out;
}

/** The `end` event's verdict: the report's first-24h lines and alert episodes, compact. */
export function summaryVerdict(store: WatchStore, profile: Parameters<typeof summarizeWatch>[1], id: string): unknown {
  const s = summarizeWatch(store, profile, id);
  return {
    verdict: s.verdict,
    alerts: s.alerts.map((a) => ({ rule: a.rule, firedAt: new Date(a.firedAt).toISOString(), resolvedAt: a.resolvedAt ? new Date(a.resolvedAt).toISOString() : null, durationMs: a.durationMs })),
    items: s.items.map((i) => ({ step: i.stepId, held: i.held, line: i.line })),
    gaps: s.gaps.length,
  };
}
