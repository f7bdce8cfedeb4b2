/** Test-side Redis traffic (the app's role): plain ioredis, never the probe under test. */
import { Redis } from 'ioredis';

/**
 * Sends only the commands the test sends: no ready-check INFO on connect or on the reconnect
 * after a server restart (ioredis's default), which would land in another test's commandstats
 * at a moment nobody chose.
 */
export async function trafficClient(url: string): Promise<Redis> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
  r.on('error', () => undefined);
  await r.connect();
  await r.ping();
  return r;
}

/** SETs `count` keys named `${prefix}:0…`. */
export async function seedKeys(r: Redis, prefix: string, count: number): Promise<void> {
  const p = r.pipeline();
  for (let i = 0; i < count; i++) p.set(`${prefix}:${i}`, 'v');
  await p.exec();
}

/** Exactly `hits` GETs of existing keys and `misses` GETs of missing ones. */
export async function lookups(r: Redis, prefix: string, hits: number, misses: number): Promise<void> {
  const p = r.pipeline();
  for (let i = 0; i < hits; i++) p.get(`${prefix}:${i}`);
  for (let i = 0; i < misses; i++) p.get(`${prefix}:missing:${i}`);
  const results = await p.exec();
  const found = results!.filter(([, v]) => v !== null).length;
  if (found !== hits) throw new Error(`expected ${hits} hits, got ${found}`);
}

/** `INFO commandstats` as { command: { calls, rejected, failed } }. */
export async function commandStats(r: Redis): Promise<Record<string, { calls: number; rejected: number; failed: number }>> {
  const text = await r.info('commandstats');
  const out: Record<string, { calls: number; rejected: number; failed: number }> = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):(.*)$/gm)) {
    const f = Object.fromEntries(m[2]!.trim().split(',').map((kv) => kv.split('=') as [string, string]));
    out[m[1]!] = { calls: Number(f.calls ?? 0), rejected: Number(f.rejected_calls ?? 0), failed: Number(f.failed_calls ?? 0) };
  }
  return out;
}
