import { useEffect, useRef, useState } from 'react';
import type { ActiveRunPlan } from '../../../../shared/contracts/checks';
import type { Consent } from '../../../../shared/schemas/active';
import { capSentence, unverifiedSentence } from '../../../../shared/readiness-text';
import type { ReadinessReport } from '../../../../shared/schemas/readiness';
import { client } from '../../api/client';
import { StateMessage } from '../../components/StateMessage';
import { ConsentDialog } from '../active/ConsentDialog';
import { CategoryBars } from './CategoryBars';
import { CheckResultList } from './CheckResultList';
import { ScoreGauge } from './ScoreGauge';
import { ProfilePicker, useProfileChoice } from './useProfileChoice';

interface Progress {
  done: number;
  total: number;
  last: string;
}

export function OverviewPage() {
  const { profiles, error: profilesError, choice, setChoice } = useProfileChoice();
  const [report, setReport] = useState<ReadinessReport | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [allowActive, setAllowActive] = useState(false);
  const [planning, setPlanning] = useState(false);
  const [pending, setPending] = useState<ActiveRunPlan | null>(null);
  const runKey = useRef<string>('');

  useEffect(() => {
    if (!choice) return;
    setReport(null);
    client.call('checks.latest', choice).then(setReport, (err: Error) => setRunError(err.message));
  }, [choice]);

  useEffect(
    () =>
      client.on('checks.progress', (p) => {
        if (p.runKey === runKey.current) setProgress({ done: p.done, total: p.total, last: `${p.probe} ${p.status}` });
      }),
    [],
  );

  const startRun = async (consent?: Consent[]) => {
    if (!choice) return;
    runKey.current = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    setRunning(true);
    setRunError(null);
    setProgress({ done: 0, total: 0, last: 'starting probes' });
    try {
      setReport(await client.call('checks.run', { ...choice, allowActive, consent, runKey: runKey.current }));
    } catch (err) {
      setRunError((err as Error).message);
    } finally {
      // Progress events can arrive after the result over SSE; ignore them from now on.
      runKey.current = '';
      setRunning(false);
      setProgress(null);
    }
  };

  // Active probes send real load: first show what would go where and get typed consent (DESIGN.md §3).
  const run = async () => {
    if (!choice) return;
    if (!allowActive) return startRun();
    setRunError(null);
    setPlanning(true);
    try {
      const plan = await client.call('checks.activePlan', choice);
      if (plan.probes.length) setPending(plan);
      else await startRun([]);
    } catch (err) {
      setRunError((err as Error).message);
    } finally {
      setPlanning(false);
    }
  };

  const lost = new Map(report?.pointsLost.map((p) => [p.id, p.points]) ?? []);
  return (
    <section className="page" aria-labelledby="overview-title">
      <header className="page-header">
        <h1 id="overview-title">Readiness overview</h1>
        <div className="target-picker">
          {profiles ? <ProfilePicker profiles={profiles} choice={choice} onChange={setChoice} /> : null}
          <label className="inline-check">
            <input type="checkbox" checked={allowActive} onChange={(e) => setAllowActive(e.target.checked)} data-testid="allow-active" /> active probes
          </label>
          <button type="button" onClick={() => void run()} disabled={!choice || running || planning || !!pending} data-testid="rerun">
            {running ? 'Running…' : report ? 'Re-run checks' : 'Run checks'}
          </button>
          {running ? (
            <button type="button" className="secondary" data-testid="cancel-run" onClick={() => void client.call('checks.cancel', { runKey: runKey.current })}>
              Cancel
            </button>
          ) : null}
        </div>
      </header>
      {pending ? (
        <ConsentDialog
          plans={pending.probes.map((p) => p.plan)}
          titles={pending.probes.map((p) => (p.probe === 'sse' ? 'SSE connection hold' : `Rate limit ${p.id}`))}
          onConfirm={(consents) => {
            setPending(null);
            void startRun(consents);
          }}
          onCancel={() => setPending(null)}
        />
      ) : null}
      {progress ? (
        <div className="run-progress" role="status" data-testid="run-progress">
          <progress max={progress.total || 1} value={progress.done} /> {progress.total ? `${progress.done} of ${progress.total} probes` : ''} · {progress.last}
        </div>
      ) : null}
      {profilesError ? <StateMessage kind="error" title="Could not list profiles">{profilesError}</StateMessage> : null}
      {profiles?.filter((p) => p.error).map((p) => (
        <StateMessage key={p.profile} kind="error" title={`Profile ${p.profile} cannot be used`}>
          <pre className="check-evidence">{p.error}</pre>
        </StateMessage>
      ))}
      {runError ? <StateMessage kind="error" title="The run failed">{runError}</StateMessage> : null}
      {profiles && !choice ? <StateMessage kind="empty" title="No usable profile">Put a profile YAML in the profiles folder (see docs/profiles.md).</StateMessage> : null}
      {choice && !report && !running && !runError ? <StateMessage kind="empty" title="No run stored for this profile and environment">Run the checks to compute the readiness score from live evidence.</StateMessage> : null}
      {report ? (
        <>
          {report.partial ? <p className="warn-text" data-testid="partial-run">Partial run: only {report.results.length} chosen checks ran, so this score is not a readiness verdict. Run all checks for one.</p> : null}
          <div className="overview-top">
            <ScoreGauge score={report.score} readyAt={report.readyAt} verdict={report.verdict} uncappedScore={report.uncappedScore} />
            <div className="overview-facts">
              <p data-testid="score-change">
                {report.previous ? (
                  <>
                    Since the previous run ({new Date(report.previous.previousAt).toLocaleString()}): <strong>{report.previous.change}</strong>
                    {report.previous.statusChanges.length ? ` — ${report.previous.statusChanges.map((c) => `${c.id} ${c.from ?? 'new'}→${c.to}`).join(', ')}` : ' — no check changed'}
                  </>
                ) : (
                  'First run for this profile and environment.'
                )}
              </p>
              <p className="subtle">
                Run {report.runId ?? '—'} at {new Date(report.finishedAt).toLocaleString()} took {report.durationMs.toFixed(0)} ms. Probes:{' '}
                {report.probes.map((p) => `${p.name} ${p.status}${p.durationMs !== null ? ` (${p.durationMs.toFixed(0)} ms)` : ''}`).join(', ')}
              </p>
              {report.cappedBy.length ? <p className="bad-text" data-testid="capped-by">{capSentence(report)}</p> : null}
              {report.unverified.length ? <p className="bad-text" data-testid="unverified">{unverifiedSentence(report)}</p> : null}
              <CategoryBars categories={report.categories} readyAt={report.readyAt} />
            </div>
          </div>
          <h2>Checks ({report.results.length}; failing first; unknown never counts as pass)</h2>
          <CheckResultList results={report.results} pointsLost={lost} />
        </>
      ) : null}
    </section>
  );
}
