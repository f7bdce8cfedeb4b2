import type { Judgements } from '../../../../shared/schemas/check';
import type { RedisSample, RedisTarget } from '../../../../shared/schemas/redis';
import { client } from '../../api/client';
import { TargetListStates, TargetPicker, useWatchedTargets } from '../../components/WatchedTargets';
import { toneFor } from '../../components/judged';
import { TargetStatusBanner } from '../../components/TargetStatusBanner';
import { useTargetStatus } from '../../components/useTargetStatus';
import { Tile } from '../../components/Tile';
import { formatInterval, formatPercent } from '../../format';
import { ClientsChart } from './ClientsChart';
import { HitRateChart } from './HitRateChart';
import { MemoryChart } from './MemoryChart';
import { RedisChecks } from './RedisChecks';
import { RedisConnectForm } from './RedisConnectForm';
import { formatBytes, formatRate, formatUptime } from './redis-format';
import { useRedisTarget } from './useRedisTarget';

function Tiles(props: { s: RedisSample; judged: Judgements | undefined }) {
  const { s, judged } = props;
  const w = s.windowSeconds === null ? 'no window yet' : `last ${s.windowSeconds.toFixed(1)} s`;
  return (
    <div className="tiles" data-testid="redis-tiles">
      <Tile
        label="Hit rate (window)"
        testId="tile-hit-rate"
        value={s.hitRate === null ? 'no lookups' : formatPercent(s.hitRate)}
        detail={`${s.lookups ?? 0} lookups · ${w}${s.reset ? ' · counters reset' : ''}`}
        tone={toneFor(judged, 'redis.hit-rate')}
      />
      <Tile label="Lifetime hit rate" testId="tile-lifetime" value={formatPercent(s.lifetimeHitRate)} detail={`since the server started · ${s.lifetimeLookups ?? '—'} lookups · not the current rate`} />
      <Tile label="Ops/sec" testId="tile-ops" value={formatRate(s.opsPerSec, 'ops/s')} detail={`${w} · Preflight's own INFO/PING excluded`} />
      <Tile
        label="Evictions"
        testId="tile-evictions"
        value={formatRate(s.evictedKeysPerSec, 'keys/s', 2)}
        detail={`${s.evictedKeys ?? '—'} evicted, ${s.expiredKeys ?? '—'} expired · ${w}`}
        tone={toneFor(judged, 'redis.evictions')}
      />
      <Tile
        label="Memory"
        testId="tile-memory"
        value={formatBytes(s.usedMemoryBytes)}
        detail={s.maxMemoryBytes ? `${formatPercent(s.memoryUtilization)} of maxmemory ${formatBytes(s.maxMemoryBytes)} · fragmentation ${s.fragmentationRatio ?? '—'}` : `no maxmemory limit · fragmentation ${s.fragmentationRatio ?? '—'}`}
        tone={toneFor(judged, 'redis.memory')}
      />
      <Tile
        label="Clients"
        testId="tile-clients"
        value={`${s.connectedClients ?? '—'} connected`}
        detail={`${s.blockedClients ?? '—'} blocked · ${s.rejectedConnections ?? '—'} rejected since start${s.maxClients ? ` · maxclients ${s.maxClients}` : ''}`}
        tone={toneFor(judged, 'redis.rejected-connections')}
      />
      <Tile label="Version" testId="tile-version" value={s.version ?? 'unknown'} detail={`${s.role ?? 'role unknown'} · ${s.mode ?? 'mode unknown'} · PING ${s.pingMs.toFixed(2)} ms`} />
      <Tile label="Uptime" testId="tile-uptime" value={formatUptime(s.uptimeSeconds)} detail={s.unknownSections.length ? `INFO sections not reported: ${s.unknownSections.join(', ')}` : 'all INFO sections reported'} />
    </div>
  );
}

const listRedisTargets = () => client.call('redis.targets', {});
const unwatchRedis = (targetId: string) => client.call('redis.unwatch', { targetId });
const redisStatus = (targetId: string) => client.call('redis.status', { targetId });

export function RedisPage() {
  const { targets, selected, setSelected, target: listed, loadError, stop, adopt } = useWatchedTargets<RedisTarget>(listRedisTargets, unwatchRedis);
  const { ticks, checks } = useRedisTarget(selected);
  const latest = ticks.at(-1);
  const { target: current } = useTargetStatus(redisStatus, selected, latest?.at);
  const target = current ?? listed;
  const lastUpTick = [...ticks].reverse().find((t) => t.sample);
  const lastUp = lastUpTick?.sample ?? null;
  const spanMinutes = ticks.length > 1 ? (Date.parse(ticks.at(-1)!.at) - Date.parse(ticks[0]!.at)) / 60_000 : 0;

  return (
    <section className="page" aria-labelledby="redis-title">
      <header className="page-header">
        <h1 id="redis-title">Redis cache health</h1>
        <TargetPicker targets={targets} selected={selected} onSelect={setSelected} onStop={() => void stop()} label="Watched Redis" stopText="Stop watching" />
      </header>

      <RedisConnectForm onConnected={adopt} selectedIntervalMs={target?.intervalMs ?? null} />

      <TargetListStates targets={targets} loadError={loadError} emptyTitle="No Redis watched yet" emptyText="Paste a Redis URL above. Preflight samples INFO by section and measures the hit rate over each window, from counter deltas." />

      {target ? (
        <>
          <TargetStatusBanner status={current?.status ?? null} downTitle="Redis down" startingTitle="Taking the first sample…" intervalMs={target.intervalMs} />
          {lastUp ? <Tiles s={lastUp} judged={lastUpTick?.judgements} /> : null}
          {checks ? (
            <>
              <h2>
                Checks <span className="subtle">newest sample · hit rate judged over the 5 min rolling window</span>
              </h2>
              <RedisChecks checks={checks} />
            </>
          ) : null}
          <h2>
            Cache hit rate <span className="subtle">per {formatInterval(target.intervalMs)} sample window and 5 min rolling · last {spanMinutes.toFixed(1)} min · threshold {formatPercent(target.thresholds.hitRate)} · skipped ticks {target.skippedTicks}</span>
          </h2>
          <HitRateChart ticks={ticks} threshold={target.thresholds.hitRate} />
          <div className="chart-pair">
            <div>
              <h2>
                Memory <span className="subtle">MiB · last {spanMinutes.toFixed(1)} min</span>
              </h2>
              <MemoryChart ticks={ticks} maxMemoryBytes={lastUp?.maxMemoryBytes ?? null} limit={target.thresholds.memoryUtilization} />
            </div>
            <div>
              <h2>
                Clients <span className="subtle">connected and blocked · last {spanMinutes.toFixed(1)} min</span>
              </h2>
              <ClientsChart ticks={ticks} />
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
