import { useCallback, useEffect, useState } from 'react';
import type { StepView, WalkthroughView } from '../../../../shared/schemas/checklist';
import { client } from '../../api/client';
import { StateMessage } from '../../components/StateMessage';
import { ProfilePicker, useProfileChoice } from './useProfileChoice';

const STATE_LABEL: Record<StepView['state'], string> = { done: 'done', pending: 'pending', failing: 'failing', not_started: 'phase not started' };

function SignOffForm(props: { onSign: (name: string, note: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="signoff-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void props.onSign(name, note).finally(() => setBusy(false));
      }}
    >
      <input aria-label="Your name" placeholder="your name" value={name} onChange={(e) => setName(e.target.value)} required />
      <input aria-label="Note" placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="signoff-note-hint" />
      <span id="signoff-note-hint" className="subtle" data-testid="signoff-note-hint">
        The journal is permanent: passwords in URLs and tokens in a note are masked (*****) before it is signed and stored.
      </span>
      <button type="submit" disabled={busy || !name.trim()}>
        Sign off
      </button>
    </form>
  );
}

function download(filename: string, mimeType: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

export function ChecklistPage() {
  const { profiles, error: profilesError, choice, setChoice } = useProfileChoice();
  const [view, setView] = useState<WalkthroughView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const act = useCallback(async (work: () => Promise<WalkthroughView | null>) => {
    try {
      setView(await work());
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    if (choice) void act(() => client.call('checklist.view', choice));
  }, [choice, act]);

  const exportAs = async (format: 'md' | 'html') => {
    if (!choice) return;
    try {
      const file = await client.call('checklist.export', { ...choice, format });
      download(file.filename, file.mimeType, file.content);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="page" aria-labelledby="checklist-title">
      <header className="page-header">
        <h1 id="checklist-title">Launch checklist</h1>
        <div className="target-picker">
          {profiles ? <ProfilePicker profiles={profiles} choice={choice} onChange={setChoice} /> : null}
          {choice ? (
            <button type="button" className="secondary" onClick={() => void act(() => client.call('checklist.view', choice))}>
              Refresh
            </button>
          ) : null}
          {view ? (
            <>
              <button type="button" className="secondary" onClick={() => void exportAs('md')}>
                Export Markdown
              </button>
              <button type="button" className="secondary" onClick={() => void exportAs('html')}>
                Export HTML
              </button>
            </>
          ) : null}
        </div>
      </header>
      {profilesError ? <StateMessage kind="error" title="Could not list profiles">{profilesError}</StateMessage> : null}
      {error ? <StateMessage kind="error" title="That did not work">{error}</StateMessage> : null}
      {choice && view === null ? (
        <StateMessage kind="empty" title="No walkthrough started">
          Starting one records salted fingerprints of the secrets to rotate.{' '}
          <button type="button" onClick={() => void act(() => client.call('checklist.start', choice))} data-testid="start-walkthrough">
            Start the walkthrough
          </button>
        </StateMessage>
      ) : null}
      {view ? (
        <>
          <p>
            {view.done} of {view.total} steps done · started {new Date(view.startedAt).toLocaleString()} by {view.startedBy}
            {view.latestRun ? ` · latest complete run ${view.latestRun.score}/100 ${view.latestRun.verdict === 'ready' ? 'ready' : 'not ready'}` : ' · no complete check run since the start: run the checks on the Overview page'}
            {view.latestPartialRun ? <span data-testid="partial-run"> · newer partial run ({view.latestPartialRun.checks} chosen checks): {view.latestPartialRun.score}/100 over those checks only, not a readiness verdict</span> : null}
          </p>
          {view.integrity.ok ? (
            <p className="good-text" data-testid="journal-intact">Sign-off journal intact ({view.integrity.rows} rows, hash chain verified).</p>
          ) : (
            <StateMessage kind="error" title="Sign-off journal tampered">
              {view.integrity.broken.map((b) => `row ${b.seq}: ${b.reason}`).join('; ')}
            </StateMessage>
          )}
          {view.phases.map((phase) => (
            <div key={phase.id} className="phase" data-phase={phase.id}>
              <h2>
                {phase.title}
                <span className="subtle">{phase.startedAt ? `started ${new Date(phase.startedAt).toLocaleString()}` : 'not started'}</span>
                {!phase.startedAt ? (
                  <button type="button" className="secondary" onClick={() => void act(() => client.call('checklist.phase', { ...choice!, phaseId: phase.id as 'deploy' }))}>
                    Start phase
                  </button>
                ) : null}
              </h2>
              <ul className="step-list">
                {phase.steps.map((s) => (
                  <li key={s.id} className={`step step-${s.state}`} data-step={s.id}>
                    <div className="step-head">
                      <span className={`chip step-state-${s.state}`}>{STATE_LABEL[s.state]}</span>
                      <strong>{s.title}</strong>
                      <span className="subtle">
                        {s.kind}
                        {s.source ? ` · ${s.source}` : ''}
                      </span>
                    </div>
                    {s.detail ? <p className="subtle">{s.detail}</p> : null}
                    {s.checks.length ? (
                      <ul className="step-checks">
                        {s.checks.map((c) => (
                          <li key={c.id}>
                            <code>{c.id}</code> {c.status ?? 'no run since the phase started'}
                            {c.summary ? ` — ${c.summary}` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {s.signOff ? (
                      <p className={s.signOff.intact ? 'good-text' : 'bad-text'}>
                        Signed off by {s.signOff.name} at {s.signOff.at} (UTC){s.signOff.note ? ` — “${s.signOff.note}”` : ''}
                        {s.signOff.intact ? '' : ' — this row fails the hash check'}
                      </p>
                    ) : s.kind !== 'automated' && phase.startedAt ? (
                      <SignOffForm onSign={(name, note) => act(() => client.call('checklist.sign', { ...choice!, stepId: s.id, name, note: note || null }))} />
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
