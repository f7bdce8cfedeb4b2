import { Command } from 'commander';
import type { CheckResult } from '../../../shared/schemas/check';
import type { RedisSample, RedisThresholds } from '../../../shared/schemas/redis';
import { redisChecks, DEFAULT_REDIS_THRESHOLDS } from '../../core/checks/redis';
import { mib } from '../../core/checks/redis/format';
import { RateTracker, RedisProbeClient, RedisUnreachableError, sampleRedis } from '../../core/probes/redis';
import { CliError, EXIT } from '../exit-codes';
import { info, percent, printJson } from '../output';
import { durationMs, fraction, positiveInt, redisUrl } from '../options';
import { commandSummary } from '../command-summaries';

/** Two samples `windowMs` apart over one connection; an unreachable target becomes exit 3. */
async function sampleWindow(url: string, windowMs: number): Promise<RedisSample> {
  const client = new RedisProbeClient(url, { reconnect: false });
  const tracker = new RateTracker();
  try {
    await sampleRedis(client, tracker);
    await new Promise((r) => setTimeout(r, windowMs));
    return await sampleRedis(client, tracker);
  } catch (err) {
    if (err instanceof RedisUnreachableError) throw new CliError(`Redis unreachable: ${err.message}`, EXIT.unreachable);
    // The server answered but refused INFO/PING to this user: a configuration problem, not an outage.
    if (/NOPERM/.test((err as Error).message)) throw new CliError(`Redis refused the sample: ${(err as Error).message}. Grant the user +info +ping.`, EXIT.usage);
    throw err;
  } finally {
    await client.close();
  }
}

const num = (v: number | null, digits = 1, unit = '') => (v === null ? '-' : `${v.toFixed(digits)}${unit}`);
const mb = (v: number | null) => (v === null ? '-' : mib(v));

function printHuman(s: RedisSample, checks: CheckResult[]): void {
  const w = s.windowSeconds === null ? '-' : `${s.windowSeconds.toFixed(1)} s`;
  process.stdout.write(
    [
      `hit rate      ${percent(s.hitRate)} over the last ${w} (${s.lookups ?? 0} lookups)${s.reset ? `   RESET: ${s.resetReason}` : ''}`,
      `lifetime      ${percent(s.lifetimeHitRate)} since the server started (${s.lifetimeLookups ?? '-'} lookups; not the current rate)`,
      `ops/sec       ${num(s.opsPerSec)} over ${w} (Preflight's own INFO/PING excluded)`,
      `memory        ${mb(s.usedMemoryBytes)} used, maxmemory ${s.maxMemoryBytes === null ? 'not set' : `${mb(s.maxMemoryBytes)} (${percent(s.memoryUtilization)})`}, fragmentation ${num(s.fragmentationRatio, 2)}`,
      `keys/sec      evicted ${num(s.evictedKeysPerSec, 2)}, expired ${num(s.expiredKeysPerSec, 2)} over ${w}`,
      `clients       ${s.connectedClients ?? '-'} connected, ${s.blockedClients ?? '-'} blocked, ${s.rejectedConnections ?? '-'} rejected since start`,
      `server        Redis ${s.version ?? '?'} (${s.role ?? 'role unknown'}), up ${s.uptimeSeconds ?? '-'} s, PING ${s.pingMs.toFixed(2)} ms${s.unknownSections.length ? `, sections not reported: ${s.unknownSections.join(', ')}` : ''}`,
      '',
      ...checks.map((c) => `[${c.status.toUpperCase()}] ${c.id}: ${c.summary}`),
    ].join('\n') + '\n',
  );
}

export function redisCommand(): Command {
  return new Command('redis')
    .description(commandSummary('redis'))
    .requiredOption('--url <redis-url>', 'redis:// or rediss:// URL (user and password may be in it)', redisUrl)
    .option('--window <duration>', 'time between the two samples, e.g. 10s, 500ms, 1m', durationMs({ min: 100, max: 3_600_000 }), 10_000)
    .option('--hit-rate <fraction>', 'minimum hit rate', fraction(), DEFAULT_REDIS_THRESHOLDS.hitRate)
    .option('--min-lookups <n>', 'fewer lookups in the window and the hit rate is not judged', positiveInt, DEFAULT_REDIS_THRESHOLDS.minLookups)
    .option('--memory-limit <fraction>', 'used_memory / maxmemory at which redis.memory fails (it warns from 0.7, as preflight check does)', fraction(), DEFAULT_REDIS_THRESHOLDS.memoryUtilization)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nExit codes: 0 no check failed, 1 a check failed, 2 bad usage, 3 unreachable.\nA window with too few lookups reports the hit-rate check as skipped ("not enough traffic to judge").')
    .action(async (opts: { url: string; window: number; hitRate: number; minLookups: number; memoryLimit: number; json?: boolean }) => {
      const thresholds: RedisThresholds = { hitRate: opts.hitRate, minLookups: opts.minLookups, memoryUtilization: opts.memoryLimit };
      if (!opts.json) info(`Sampling ${new URL(opts.url).host} twice, ${opts.window / 1000} s apart…`);
      const sample = await sampleWindow(opts.url, opts.window);
      const checks = redisChecks(sample, thresholds, 'sample');
      if (opts.json) printJson({ ...sample, checks });
      else printHuman(sample, checks);
      if (checks.some((c) => c.status === 'fail')) process.exitCode = EXIT.checkFailed;
    });
}
