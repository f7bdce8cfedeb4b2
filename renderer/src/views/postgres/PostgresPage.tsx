import { useCallback, useEffect, useState } from 'react';
import type { PgTarget } from '../../../../shared/schemas/postgres';
import { client } from '../../api/client';
import { StateMessage } from '../../components/StateMessage';
import { Tile, type Tone } from '../../components/Tile';
import { formatInterval, formatPercent, formatSeconds } from '../../format';
import { ConnectForm } from './ConnectForm';
import { ConnectionsChart } from './ConnectionsChart';
import { SessionsTable } from './SessionsTable';
import { SESSIONS_REFRESH_MS, usePgTarget } from './usePgTarget';

function tone(value: number | null | undefined, warn: number, bad: number): Tone {
  if (value === null || value === undefined) return 'neutral';
  return value >= bad ? 'bad' : value >= warn ? 'warn' : 'ok';
}

export function PostgresPage() {
  const [targets, setTargets] = useState<PgTarget[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const list = await client.call('pg.targets', {});
      setTargets(list);
      setSelected((s) => (s && list.some((t) => t.targetId === s) ? s : (list[0]?.targetId ?? null)));
      setLoadError(null);
    } catch (err) {
      setLoadError((err as Error).message);
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const target = targets?.find((t) => t.targetId === selected) ?? null;
  const { ticks, sessions, sessionsError, sessionsAt, refreshSessions } = usePgTarget(selected);
  const latest = ticks.at(-1);
  const lastUp = [...ticks].reverse().find((t) => t.sample)?.sample ?? null;
  const windowMinutes = ticks.length > 1 ? (Date.parse(ticks.at(-1)!.at) - Date.parse(ticks[0]!.at)) / 60_000 : 0;

  const stop = async () => {
    if (!selected) return;
    await client.call('pg.unwatch', { targetId: selected });
    await reload();
  };

  return (
    <section className="page" aria-labelledby="pg-title">
      <header className="page-header">
        <h1 id="pg-title">Postgres connection use</h1>
        {targets && targets.length > 0 ? (
          <div className="target-picker">
            <select value={selected ?? ''} onChange={(e) => setSelected(e.target.value)} aria-label="Watched database">
              {targets.map((t) => (
                <option key={t.targetId} value={t.targetId}>
                  {t.label}
                </option>
              ))}
            </select>
            <button type="button" className="secondary" onClick={() => void stop()}>
              Stop watching
            </button>
          </div>
        ) : null}
      </header>

      <ConnectForm
        onConnected={(t) => {
          setSelected(t.targetId);
          void reload();
        }}
      />

      {loadError ? <StateMessage kind="error" title="Could not reach the Preflight engine">{loadError}</StateMessage> : null}
      {targets === null && !loadError ? <StateMessage kind="loading" title="Loading…" /> : null}
      {targets && targets.length === 0 ? (
        <StateMessage kind="empty" title="No database watched yet">
          Paste a Postgres URL above. Preflight opens one read-only connection and samples pg_stat_activity.
        </StateMessage>
      ) : null}

      {target ? (
        <>
          {latest?.status === 'down' ? (
            <StateMessage kind="error" title="Database down">
              {latest.error} — retrying every {formatInterval(target.intervalMs)}.
            </StateMessage>
          ) : null}
          {!latest ? <StateMessage kind="loading" title="Taking the first sample…" /> : null}
          {lastUp ? (
            <div className="tiles" data-testid="pg-tiles">
              <Tile
                label="Utilisation"
                testId="tile-utilisation"
                value={`${lastUp.total} / ${lastUp.usableConnections}`}
                detail={`${formatPercent(lastUp.usableConnections ? lastUp.total / lastUp.usableConnections : null)} of usable (max_connections ${lastUp.maxConnections} − ${lastUp.reservedConnections} reserved) · ${lastUp.budget ? `${formatPercent(lastUp.budgetUtilization)} of budget ${lastUp.budget}` : 'no budget set'}${lastUp.planLimit ? ` · ${formatPercent(lastUp.planUtilization)} of plan limit ${lastUp.planLimit}` : ''}`}
                tone={lastUp.budget !== null && lastUp.total > lastUp.budget ? 'bad' : tone(lastUp.usableConnections ? lastUp.total / lastUp.usableConnections : 1, 0.5, 0.8)}
              />
              <Tile
                label="Idle in transaction"
                value={lastUp.idleInTransaction.length}
                detail={`longest ${formatSeconds(lastUp.longestIdleInTransactionSeconds)}`}
                tone={tone(lastUp.longestIdleInTransactionSeconds, 10, 60)}
              />
              <Tile
                label="Lock waits"
                value={lastUp.waitingOnLocks}
                detail={lastUp.blocked.length ? lastUp.blocked.map((b) => `pid ${b.pid} ← ${b.blockedBy.join(', ')}`).join(' · ') : 'nobody waiting'}
                tone={lastUp.waitingOnLocks > 0 ? 'warn' : 'ok'}
              />
              <Tile label="Oldest transaction" value={formatSeconds(lastUp.oldestTransactionSeconds)} detail={`oldest running query ${formatSeconds(lastUp.oldestQuerySeconds)}`} tone={tone(lastUp.oldestTransactionSeconds, 60, 300)} />
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
              as of {sessionsAt ? new Date(sessionsAt).toLocaleTimeString([], { hour12: false }) : '—'} · refreshed every {SESSIONS_REFRESH_MS / 1000} s · click a row for the full query · filters accept text or &gt;N / &lt;N
            </span>
            <button type="button" className="secondary small" onClick={() => void refreshSessions()} data-testid="pg-sessions-refresh">
              Refresh now
            </button>
          </h2>
          {sessionsError ? <StateMessage kind="error" title="Could not list sessions">{sessionsError}</StateMessage> : null}
          {sessions ? <SessionsTable sessions={sessions} /> : <StateMessage kind="loading" title="Loading sessions…" />}
        </>
      ) : null}
    </section>
  );
}
