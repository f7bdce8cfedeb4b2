import type { PgTarget } from '../../../../shared/schemas/postgres';
import { client } from '../../api/client';
import { TargetListStates, TargetPicker, useWatchedTargets } from '../../components/WatchedTargets';
import { toneFor } from '../../components/judged';
import { Loadable } from '../../components/Loadable';
import { TargetStatusBanner } from '../../components/TargetStatusBanner';
import { Tile } from '../../components/Tile';
import { useTargetStatus } from '../../components/useTargetStatus';
import { formatAge, formatClock, formatInterval, formatPercent, formatSeconds } from '../../format';
import { ConnectForm } from './ConnectForm';
import { ConnectionsChart } from './ConnectionsChart';
import { SessionsTable } from './SessionsTable';
import { SESSIONS_REFRESH_MS, TRIGGER_TEXT, usePgTarget } from './usePgTarget';

const listPgTargets = () => client.call('pg.targets', {});
const unwatchPg = (targetId: string) => client.call('pg.unwatch', { targetId });
const pgStatus = (targetId: string) => client.call('pg.status', { targetId });

export function PostgresPage() {
  const { targets, selected, setSelected, target: listed, loadError, stop, adopt } = useWatchedTargets<PgTarget>(listPgTargets, unwatchPg);
  const { ticks, sessions, sessionsError, sessionsAt, sessionsBy, refreshSessions } = usePgTarget(selected);
  const latest = ticks.at(-1);
  const { target: current } = useTargetStatus(pgStatus, selected, latest?.at);
  const target = current ?? listed;
  const lastUpTick = [...ticks].reverse().find((t) => t.sample);
  const lastUp = lastUpTick?.sample ?? null;
  const judged = lastUpTick?.judgements;
  const windowMinutes = ticks.length > 1 ? (Date.parse(ticks.at(-1)!.at) - Date.parse(ticks[0]!.at)) / 60_000 : 0;

  return (
    <section className="page" aria-labelledby="pg-title">
      <header className="page-header">
        <h1 id="pg-title">Postgres connection use</h1>
        <TargetPicker targets={targets} selected={selected} onSelect={setSelected} onStop={() => void stop()} label="Watched database" stopText="Stop watching" />
      </header>

      <ConnectForm onConnected={adopt} selectedIntervalMs={target?.intervalMs ?? null} />

      <TargetListStates targets={targets} loadError={loadError} emptyTitle="No database watched yet" emptyText="Paste a Postgres URL above. Preflight opens one read-only connection and samples pg_stat_activity." />

      {target ? (
        <>
          <TargetStatusBanner
            status={current?.status ?? null}
            downTitle="Database down"
            startingTitle="Taking the first sample…"
            intervalMs={target.intervalMs}
            staleNote={lastUp ? `The figures below are from the last good sample, at ${formatClock(lastUp.sampledAt)}.` : null}
          />
          {lastUp ? (
            <div className="tiles" data-testid="pg-tiles">
              <Tile
                label="Utilisation"
                testId="tile-utilisation"
                value={`${lastUp.total} / ${lastUp.usableConnections}`}
                detail={`${formatPercent(lastUp.usableConnections ? lastUp.total / lastUp.usableConnections : null)} of usable (max_connections ${lastUp.maxConnections} − ${lastUp.reservedConnections} reserved) · ${lastUp.budget ? `${formatPercent(lastUp.budgetUtilization)} of budget ${lastUp.budget}` : 'no budget set'}${lastUp.planLimit ? ` · ${formatPercent(lastUp.planUtilization)} of plan limit ${lastUp.planLimit}` : ''}`}
                tone={toneFor(judged, 'pg.pool-utilization')}
              />
              <Tile
                label="Idle in transaction"
                value={lastUp.idleInTransaction.length}
                detail={`longest ${formatSeconds(lastUp.longestIdleInTransactionSeconds)}`}
                tone={toneFor(judged, 'pg.idle-in-transaction')}
              />
              <Tile
                label="Lock waits"
                testId="tile-lock-waits"
                value={lastUp.waitingOnLocks}
                detail={lastUp.blocked.length ? lastUp.blocked.map((b) => `pid ${b.pid} ← ${b.blockedBy.join(', ')}`).join(' · ') : 'nobody waiting'}
                tone={toneFor(judged, 'pg.lock-waits')}
              />
              <Tile label="Oldest transaction" value={formatSeconds(lastUp.oldestTransactionSeconds)} detail={`oldest running query ${formatSeconds(lastUp.oldestQuerySeconds)}`} />
              <Tile label="Sample cost" value={`${lastUp.serverMs.toFixed(2)} ms`} detail={`server time · ${lastUp.sampleMs.toFixed(1)} ms round trip`} />
            </div>
          ) : null}
          <h2>
            Connections by state <span className="subtle">every {formatInterval(target.intervalMs)} · last {windowMinutes.toFixed(1)} min · skipped ticks {target.skippedTicks}</span>
          </h2>
          <ConnectionsChart ticks={ticks} budget={target.budget} planLimit={target.planLimit} maxConnections={lastUp?.maxConnections ?? null} />
          <h2>
            Sessions{' '}
            <span className="subtle">
              <span data-testid="sessions-age" data-refreshed-by={sessionsBy?.trigger} data-tile-refreshes={sessionsBy?.tileRefreshes ?? 0}>
                as of {sessionsAt ? `${formatClock(sessionsAt)} (${formatAge(sessionsAt)} old${sessionsBy ? `, read ${TRIGGER_TEXT[sessionsBy.trigger]}` : ''})` : '—'}
              </span>{' '}
              · refreshed every {SESSIONS_REFRESH_MS / 1000} s and at once when lock waits or idle-in-transaction sessions change · click a row for the full query · filters accept text or &gt;N / &lt;N
            </span>
            <button type="button" className="secondary small" onClick={() => void refreshSessions('request')} data-testid="pg-sessions-refresh">
              Refresh now
            </button>
          </h2>
          <Loadable value={sessions} error={sessionsError} loadingTitle="Loading sessions…" errorTitle="Could not list sessions">
            {(rows) => <SessionsTable sessions={rows} targetId={target.targetId} refresh={refreshSessions} />}
          </Loadable>
        </>
      ) : null}
    </section>
  );
}
