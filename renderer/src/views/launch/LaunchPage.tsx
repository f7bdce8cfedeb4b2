/**
 * Launch: the first-24-hours watch of one profile and environment — start, stop, resume, time
 * left, targets, alert count and timeline, and every series over 15 min / 1 h / 6 h / 24 h
 * from the store (decimated by the engine), with gaps, alerts and deploy markers overlaid.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LaunchSeries, LaunchStatus } from '../../../../shared/contracts/launch';
import { client } from '../../api/client';
import { StateMessage } from '../../components/StateMessage';
import { useCurrentTarget } from '../../components/useCurrentTarget';
import { ProfilePicker, useProfileChoice } from '../checks/useProfileChoice';
import { LaunchChart } from './LaunchChart';
import { useAlertNotifications } from './useAlertNotifications';

const RANGES = ['15m', '1h', '6h', '24h'] as const;
type Range = (typeof RANGES)[number];
const DURATIONS = [
  { label: '1 h', ms: 3_600_000 },
  { label: '6 h', ms: 21_600_000 },
  { label: '24 h', ms: 86_400_000 },
];

function timeLeft(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m` : `${m} m`;
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function LaunchPage() {
  const { profiles, error: profilesError, choice, setChoice } = useProfileChoice();
  const [status, setStatus] = useState<LaunchStatus | null>(null);
  const [series, setSeries] = useState<LaunchSeries | null>(null);
  const [range, setRange] = useState<Range>('1h');
  const [duration, setDuration] = useState(86_400_000);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mark, setMark] = useState('');
  const [confirmStop, setConfirmStop] = useState(false);
  // Only the desktop app can keep the machine awake (app.info says so); opt-in, off by default.
  const [canKeepAwake, setCanKeepAwake] = useState(false);
  const [keepAwake, setKeepAwake] = useState(false);
  useEffect(() => {
    void client.call('app.info', {}).then((info) => setCanKeepAwake(info.keepAwake), () => setCanKeepAwake(false));
  }, []);
  const chartsRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);

  const choiceKey = choice ? `${choice.profile}/${choice.environment}` : null;
  // Replies for a profile/environment the user already switched away from are dropped.
  const forTarget = useCurrentTarget(choiceKey);
  const refresh = useCallback(async () => {
    if (!choice || !choiceKey) return;
    const only = <A extends unknown[]>(apply: (...args: A) => void) => forTarget(choiceKey, apply);
    try {
      const s = await client.call('launch.status', choice);
      only(setStatus)(s);
      // The figure's padding and border take ~20 px of the container.
      const w = Math.max(300, Math.min(2000, Math.round((chartsRef.current?.clientWidth ?? 820) - 20)));
      only(setWidth)(w);
      const next = s ? await client.call('launch.series', { sessionId: s.sessionId, range, widthPx: w }) : null;
      only(setSeries)(next);
    } catch (err) {
      only(setError)((err as Error).message);
    }
  }, [choice, choiceKey, range, forTarget]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    let pending = false;
    return client.on('launch.tick', () => {
      // At most one refresh in flight: ticks arriving meanwhile are dropped, not queued.
      if (pending) return;
      pending = true;
      void refresh().finally(() => (pending = false));
    });
  }, [refresh]);
  const notifications = useAlertNotifications(useCallback(() => void refresh(), [refresh]));

  const act = async (what: string, work: () => Promise<unknown>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  if (profilesError) return <StateMessage kind="error" title="Could not list profiles">{profilesError}</StateMessage>;
  if (!profiles) return <StateMessage kind="loading" title="Loading profiles…" />;
  const live = status?.live ?? false;
  const resumable = status && !live && (status.status === 'stopped' || status.status === 'running' || status.status === 'failed');
  return (
    <section data-testid="launch-page">
      <div className="page-header">
        <h1>Launch watch</h1>
        <ProfilePicker profiles={profiles} choice={choice} onChange={setChoice} />
      </div>
      <div className="actions">
        {!live && choice ? (
          <>
            <label className="inline-check">
              Duration{' '}
              <select aria-label="Watch duration" value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
                {DURATIONS.map((d) => (
                  <option key={d.ms} value={d.ms}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
            {canKeepAwake ? (
              <label className="inline-check" title="Electron's power-save blocker: the computer does not suspend until the watch ends (the screen may still turn off).">
                <input type="checkbox" checked={keepAwake} onChange={(e) => setKeepAwake(e.target.checked)} data-testid="launch-keep-awake" /> Keep this computer awake during the watch
              </label>
            ) : null}
            <button type="button" disabled={busy !== null} data-testid="launch-start" onClick={() => void act('start', () => client.call('launch.start', { ...choice, durationMs: duration, resume: false, keepAwake: canKeepAwake && keepAwake }))}>
              {busy === 'start' ? 'Starting…' : 'Start watch'}
            </button>
            {resumable ? (
              <button type="button" disabled={busy !== null} data-testid="launch-resume" onClick={() => void act('resume', () => client.call('launch.start', { ...choice, durationMs: duration, resume: true, keepAwake: canKeepAwake && keepAwake }))}>
                Resume {status.sessionId}
              </button>
            ) : null}
          </>
        ) : null}
        {live && status ? (
          <button type="button" disabled={busy !== null} data-testid="launch-stop" onClick={() => setConfirmStop(true)}>
            Stop watch
          </button>
        ) : null}
        {notifications.permission === 'default' ? (
          <button type="button" onClick={notifications.ask}>
            Enable browser notifications
          </button>
        ) : null}
      </div>
      {confirmStop && status ? (
        <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label="Stop the watch">
          <div className="dialog">
            <strong>Stop the launch watch of {status.profile}/{status.environment}?</strong>
            <p>It can be resumed later; the time it is stopped is recorded as a gap and the first-24h steps will not tick from an interrupted watch.</p>
            <div className="dialog-actions">
              <button type="button" onClick={() => setConfirmStop(false)}>
                Keep watching
              </button>
              <button type="button" data-testid="launch-stop-confirm" onClick={() => (setConfirmStop(false), void act('stop', () => client.call('launch.stop', { sessionId: status.sessionId })))}>
                Stop
              </button>
            </div>
          </div>
        </div>
      ) : null}
      {error ? <StateMessage kind="error" title="Launch watch">{error}</StateMessage> : null}
      {!status ? <StateMessage kind="empty" title="No launch watch yet for this environment">Start one after the deploy: it samples the stack, evaluates the profile’s alerts and ends with a verdict.</StateMessage> : null}
      {status ? (
        <>
          <div className="tiles" data-testid="launch-tiles">
            <div className="tile">
              <div className="tile-label">Watch</div>
              <div className="tile-value" data-testid="launch-state">{live ? 'running' : status.status}</div>
              <div className="tile-detail">
                {status.sessionId} · started {status.startedAt.slice(0, 16).replace('T', ' ')} UTC{status.keepingAwake ? ' · keeping this computer awake' : ''}
              </div>
            </div>
            <div className="tile">
              <div className="tile-label">Time left</div>
              <div className="tile-value">{timeLeft(status.timeLeftMs)}</div>
              <div className="tile-detail">planned end {status.plannedEnd.slice(0, 16).replace('T', ' ')} UTC</div>
            </div>
            <div className={`tile ${status.alertsFiring ? 'tile-bad' : 'tile-ok'}`}>
              <div className="tile-label">Alerts</div>
              <div className="tile-value" data-testid="launch-alert-count">{status.alertsFiring} firing</div>
              <div className="tile-detail">{status.alertsFired} fired during the whole watch</div>
            </div>
          </div>
          <h2>Targets</h2>
          <ul className="check-list" data-testid="launch-targets">
            {status.targets.map((t) => (
              <li key={t.target}>
                <strong>{t.target}</strong> {t.status} · {t.skipped} ticks skipped · {t.failures} failed samples{t.lastError ? ` · ${t.lastError}` : ''}
              </li>
            ))}
          </ul>
          <h2>Alert timeline</h2>
          {status.timeline.length === 0 ? <p className="subtle">No alert transition yet.</p> : null}
          <ol className="run-events" data-testid="launch-timeline">
            {status.timeline.map((t, i) => (
              <li key={i}>
                {t.at.slice(11, 19)} UTC {t.state.toUpperCase()} {t.rule}: {t.message}
              </li>
            ))}
          </ol>
          <div className="actions">
            <input aria-label="Marker label" placeholder="deployed v1.4" value={mark} maxLength={200} onChange={(e) => setMark(e.target.value)} />
            <button type="button" disabled={!mark.trim() || !choice || busy !== null} onClick={() => void act('mark', async () => (await client.call('launch.mark', { ...choice!, label: mark }), setMark('')))}>
              Add deploy marker
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void act('report', async () => download(`${status.sessionId}.md`, (await client.call('launch.report', { sessionId: status.sessionId, format: 'md' })).text, 'text/markdown'))}>
              Report (Markdown)
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void act('report', async () => download(`${status.sessionId}.html`, (await client.call('launch.report', { sessionId: status.sessionId, format: 'html' })).text, 'text/html'))}>
              Report (HTML)
            </button>
          </div>
          <div className="chip-filter" role="group" aria-label="Range">
            {RANGES.map((r) => (
              <button key={r} type="button" className="chip-button" aria-pressed={r === range} data-testid={`launch-range-${r}`} onClick={() => setRange(r)}>
                {r}
              </button>
            ))}
          </div>
        </>
      ) : null}
      <div ref={chartsRef} className="launch-charts" data-testid="launch-charts">
        {series?.series.map((s) => <LaunchChart key={s.name} series={s} from={series.from} to={series.to} width={width} alerts={series.alerts} gaps={series.gaps} markers={series.markers} />)}
      </div>
    </section>
  );
}
