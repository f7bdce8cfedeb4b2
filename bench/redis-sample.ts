/**
 * What one Redis sample costs: section INFO (what the watcher sends: PING + INFO server,
 * clients, memory, stats, replication, keyspace in one round trip, parsed) versus `INFO all`
 * (what most tools send), with 1,000 idle clients connected to a private redis-server.
 * Both are measured interleaved in one run, so machine load hits them alike.
 *
 *   node bin/run-ts.mjs bench/redis-sample.ts [--samples 2000] [--clients 1000]
 *
 * Budget (DESIGN.md §5): a sample < 1 ms p50.
 */
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startRedis } from '../demo/ephemeral/redis';
import { INFO_SECTIONS, parseInfo, RateTracker, RedisProbeClient, sampleRedis } from '../electron/core/probes/redis';
import { percentileOf } from './stats';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} expects a positive whole number`);
  return n;
}

const SAMPLES = arg('samples', 2000);
const CLIENTS = arg('clients', 1000);
const WARMUP = 100;

function summary(us: number[]): { p50: number; p95: number; mean: number } {
  return { p50: percentileOf(us, 50), p95: percentileOf(us, 95), mean: us.reduce((a, b) => a + b, 0) / us.length };
}

async function openIdleClients(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, () => new Promise<Socket>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
        s.once('error', reject);
      })),
    );
    sockets.push(...batch);
  }
  return sockets;
}

/** Server-side µs spent in INFO so far (commandstats), read on the admin connection. */
async function serverInfoUsec(admin: Redis): Promise<number> {
  const text = await admin.info('commandstats');
  return Number(/cmdstat_info:calls=\d+,usec=(\d+)/.exec(text)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const redis = await startRedis({ args: ['--maxclients', String(CLIENTS + 100)] });
  const admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
  const idle = await openIdleClients(redis.info.port, CLIENTS);
  const probe = new RedisProbeClient(redis.url);
  const tracker = new RateTracker();
  // For reference only: Redis ≥ 7 also takes several sections in one INFO command.
  const multi = new Redis(redis.url, { lazyConnect: true, enableReadyCheck: false, disableClientInfo: true });
  await multi.connect();
  try {
    const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
    const sectionUs: number[] = [];
    const sampleUs: number[] = [];
    const allUs: number[] = [];
    const multiUs: number[] = [];
    let sectionServer = 0;
    let allServer = 0;
    // Each read of commandstats is itself an INFO, counted once the next read happens: measure
    // that overhead (two reads back to back) and take it out of both figures.
    let overhead = 0;
    for (let i = 0; i < 200; i++) {
      const a = await serverInfoUsec(admin);
      overhead += (await serverInfoUsec(admin)) - a;
    }
    overhead /= 200;
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const measure = i >= WARMUP;
      // 1. Section INFO, one round trip, parsed.
      let before = await serverInfoUsec(admin);
      let t = performance.now();
      const { replies } = await probe.info(INFO_SECTIONS);
      parseInfo(replies);
      if (measure) {
        sectionUs.push((performance.now() - t) * 1000);
        sectionServer += (await serverInfoUsec(admin)) - before;
      }
      // 2. INFO all, one command, parsed the same way.
      before = await serverInfoUsec(admin);
      t = performance.now();
      const all = await probe.infoAll();
      parseInfo(Object.fromEntries(INFO_SECTIONS.map((s) => [s, all])));
      if (measure) {
        allUs.push((performance.now() - t) * 1000);
        allServer += (await serverInfoUsec(admin)) - before;
      }
      // 3. One INFO naming the six sections (Redis ≥ 7 only), parsed.
      t = performance.now();
      const several = (await multi.call('INFO', ...INFO_SECTIONS)) as string;
      parseInfo(Object.fromEntries(INFO_SECTIONS.map((s) => [s, several])));
      if (measure) multiUs.push((performance.now() - t) * 1000);
      // 4. The whole watcher sample: PING (timed) + section INFO + rates.
      t = performance.now();
      await sampleRedis(probe, tracker);
      if (measure) sampleUs.push((performance.now() - t) * 1000);
    }
    const s = summary(sectionUs);
    const a = summary(allUs);
    const w = summary(sampleUs);
    const m = summary(multiUs);
    const fmt = (n: number) => n.toFixed(0).padStart(6);
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`redis-sample: ${SAMPLES} samples each after ${WARMUP} warm-up, interleaved; ${connected} clients connected (${CLIENTS} idle); ${cpus().length} cores, load average ${load}`);
    console.log('                                     client round trip µs      server µs/sample');
    console.log('                                        p50     p95    mean      (commandstats)');
    console.log(`section INFO (6 sections, pipelined)  ${fmt(s.p50)}  ${fmt(s.p95)}  ${fmt(s.mean)}      ${(sectionServer / SAMPLES - overhead).toFixed(1)}`);
    console.log(`INFO all                              ${fmt(a.p50)}  ${fmt(a.p95)}  ${fmt(a.mean)}      ${(allServer / SAMPLES - overhead).toFixed(1)}`);
    console.log(`one INFO naming 6 sections (Redis 7+)  ${fmt(m.p50)}  ${fmt(m.p95)}  ${fmt(m.mean)}`);
    console.log(`watcher sample (PING + section INFO)  ${fmt(w.p50)}  ${fmt(w.p95)}  ${fmt(w.mean)}`);
    console.log(`ratio INFO all / section INFO: p50 ${(a.p50 / s.p50).toFixed(2)}x, p95 ${(a.p95 / s.p95).toFixed(2)}x, server time ${((allServer / SAMPLES - overhead) / (sectionServer / SAMPLES - overhead)).toFixed(2)}x`);
    console.log(`(server µs exclude ${overhead.toFixed(1)} µs per commandstats read used to measure them)`);
    console.log(`budget < 1000 µs p50 per sample: section INFO ${s.p50 < 1000 ? 'within' : 'OVER'}, whole watcher sample ${w.p50 < 1000 ? 'within' : 'OVER'}`);
  } finally {
    await probe.close();
    multi.disconnect();
    for (const s of idle) s.destroy();
    admin.disconnect();
    await redis.destroy();
  }
}

await main();
