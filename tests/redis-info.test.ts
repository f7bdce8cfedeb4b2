import { describe, expect, it } from 'vitest';
import { parseInfo, unknownSections } from '../electron/core/probes/redis/info';
import { RateTracker, detectReset, type CounterSnapshot } from '../electron/core/probes/redis/rates';
import { reconnectDelayMs } from '../electron/core/probes/redis/client';
import { parseRedisUrl } from '../electron/core/probes/redis/url';

// A managed server that answers only some sections, with CRLF line ends like the protocol.
const PARTIAL_SERVER = '# Server\r\nredis_version:6.2.6\r\nredis_mode:standalone\r\nuptime_in_seconds:1234\r\n';
const PARTIAL_STATS = '# Stats\r\nkeyspace_hits:90\r\nkeyspace_misses:10\r\ntotal_commands_processed:500\r\n';

describe('INFO parsing', () => {
  it('types the fields of each section and reads keyspace per database', () => {
    const info = parseInfo({
      server: '# Server\nredis_version:7.0.15\nredis_mode:standalone\nrun_id:abc\nuptime_in_seconds:42\n',
      clients: '# Clients\nconnected_clients:3\nblocked_clients:1\nmaxclients:10000\n',
      memory: '# Memory\nused_memory:1048576\nused_memory_rss:2097152\nmaxmemory:0\nmaxmemory_policy:noeviction\nmem_fragmentation_ratio:2.00\n',
      stats: '# Stats\ntotal_commands_processed:10\nkeyspace_hits:7\nkeyspace_misses:3\nevicted_keys:0\nexpired_keys:2\nrejected_connections:1\n',
      replication: '# Replication\nrole:master\nconnected_slaves:0\n',
      keyspace: '# Keyspace\ndb0:keys=5,expires=1,avg_ttl=0\ndb3:keys=2,expires=0,avg_ttl=0\n',
    });
    expect(info.server).toEqual({ version: '7.0.15', mode: 'standalone', runId: 'abc', uptimeSeconds: 42 });
    expect(info.clients).toEqual({ connectedClients: 3, blockedClients: 1, maxClients: 10000 });
    expect(info.memory).toEqual({ usedMemoryBytes: 1048576, usedMemoryRssBytes: 2097152, maxMemoryBytes: 0, maxMemoryPolicy: 'noeviction', fragmentationRatio: 2 });
    expect(info.stats?.rejectedConnections).toBe(1);
    expect(info.replication?.role).toBe('master');
    expect(info.keyspace).toEqual({ databases: { db0: { keys: 5, expires: 1 }, db3: { keys: 2, expires: 0 } }, totalKeys: 7 });
    expect(unknownSections(info)).toEqual([]);
  });

  it('turns sections a managed Redis leaves out into unknown (null), never zero or a crash', () => {
    const info = parseInfo({ server: PARTIAL_SERVER, clients: '', memory: null, stats: PARTIAL_STATS, replication: 'garbage without colon', keyspace: '# Keyspace\r\n' });
    expect(info.server?.version).toBe('6.2.6');
    expect(info.server?.runId).toBeNull();
    expect(info.clients).toBeNull();
    expect(info.memory).toBeNull();
    expect(info.replication).toBeNull();
    // An empty keyspace header is a known, empty keyspace.
    expect(info.keyspace).toEqual({ databases: {}, totalKeys: 0 });
    // Fields missing inside a section are null, not 0.
    expect(info.stats?.evictedKeys).toBeNull();
    expect(info.stats?.keyspaceHits).toBe(90);
    expect(unknownSections(info)).toEqual(['clients', 'memory', 'replication']);
  });

  it('reads sections out of an INFO all reply by their headers', () => {
    const all = `${PARTIAL_SERVER}\r\n${PARTIAL_STATS}`;
    const info = parseInfo({ server: all, stats: all });
    expect(info.server?.uptimeSeconds).toBe(1234);
    expect(info.stats?.totalCommandsProcessed).toBe(500);
  });
});

const snap = (atMs: number, o: Partial<CounterSnapshot> = {}): CounterSnapshot => ({
  atMs, runId: 'r1', uptimeSeconds: atMs / 1000, hits: 0, misses: 0, commands: 0, evicted: 0, expired: 0, rejected: 0, ownCommands: 0, ...o,
});

describe('windowed rates', () => {
  it('divides by the real elapsed time and subtracts Preflight’s own commands', () => {
    const t = new RateTracker();
    expect(t.push(snap(0, { hits: 100, misses: 100, commands: 1000 })).window).toBeNull();
    const u = t.push(snap(2500, { hits: 190, misses: 110, commands: 1257, ownCommands: 7 }));
    expect(u.window?.seconds).toBe(2.5);
    expect(u.window?.hitRate).toBe(0.9);
    expect(u.window?.lookups).toBe(100);
    expect(u.window?.commands).toBe(250);
    expect(u.window?.opsPerSec).toBe(100);
  });

  it('restarts the window on a new run_id, uptime going down, or a counter going down', () => {
    expect(detectReset(snap(0), snap(1000, { runId: 'r2' }))).toMatch(/run_id/);
    expect(detectReset(snap(5000), snap(6000, { uptimeSeconds: 1 }))).toMatch(/uptime/);
    expect(detectReset(snap(0, { hits: 50 }), snap(1000, { hits: 3 }))).toMatch(/hits/);
    expect(detectReset(snap(0, { hits: 50 }), snap(1000, { hits: 60 }))).toBeNull();
    const t = new RateTracker();
    t.push(snap(0, { hits: 900, misses: 100 }));
    const u = t.push(snap(1000, { runId: 'r2', uptimeSeconds: 0, hits: 5, misses: 500 }));
    expect(u.reset).toBe(true);
    expect(u.window).toBeNull();
    expect(u.rolling['1m'].hitRate).toBeNull();
    // The next window starts from the post-reset snapshot.
    const next = t.push(snap(2000, { runId: 'r2', uptimeSeconds: 1, hits: 15, misses: 500 }));
    expect(next.reset).toBe(false);
    expect(next.window?.hitRate).toBe(1);
    expect(next.window?.lookups).toBe(10);
  });

  it('rolls 1 min / 5 min / 1 h windows and says how much of each the samples cover', () => {
    const t = new RateTracker();
    let u;
    // One sample every 30 s for 2 h; 10 hits and 10 misses per 30 s, except the last minute
    // (two intervals) where each interval brings 20 hits and no miss.
    for (let i = 0; i <= 240; i++) {
      const late = i > 238;
      const hits = Math.min(i, 238) * 10 + (late ? (i - 238) * 20 : 0);
      const misses = Math.min(i, 238) * 10;
      u = t.push(snap(i * 30_000, { hits, misses }));
    }
    expect(u!.rolling['1m']).toMatchObject({ windowSeconds: 60, coveredSeconds: 60, hitRate: 40 / 40, lookups: 40 });
    expect(u!.rolling['5m'].coveredSeconds).toBe(300);
    // 5 min = 8 ordinary intervals (80 hits, 80 misses) + the 2 late ones (40 hits).
    expect(u!.rolling['5m'].lookups).toBe(200);
    expect(u!.rolling['5m'].hitRate).toBe(0.6);
    expect(u!.rolling['1h'].coveredSeconds).toBe(3600);
    expect(t.size).toBeLessThanOrEqual(122);
  });

  it('backs off with capped jitter between reconnects', () => {
    expect(reconnectDelayMs(1, 10_000, () => 0)).toBe(100);
    expect(reconnectDelayMs(1, 10_000, () => 1)).toBe(200);
    expect(reconnectDelayMs(30, 10_000, () => 1)).toBe(10_000);
    expect(reconnectDelayMs(30, 10_000, () => 0)).toBe(5_000);
  });

  it('parses redis:// and rediss:// URLs and refuses others', () => {
    expect(parseRedisUrl('rediss://u:p%40ss@cache.example:6380/2')).toEqual({ host: 'cache.example', port: 6380, username: 'u', password: 'p@ss', tls: true });
    expect(() => parseRedisUrl('http://x')).toThrow(/redis:\/\//);
  });
});
