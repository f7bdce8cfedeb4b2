import { useEffect, useState, type FormEvent } from 'react';
import { LabelText } from '../../components/FormFields';
import { DEFAULT_SSE_HOLD_SECONDS, DEFAULT_SSE_STREAMS } from '../../../../shared/schemas/active';
import { StateMessage } from '../../components/StateMessage';
import { Tile } from '../../components/Tile';
import { useFormPresets } from '../../components/useFormPresets';
import { ChecksList } from './ChecksList';
import { ConsentDialog } from './ConsentDialog';
import { RunProgress } from './RunProgress';
import { SseChart } from './SseChart';
import { useActiveRun } from './useActiveRun';

const TOTAL_LIMIT = 50;

export function SsePage() {
  const [url, setUrl] = useState('');
  const [pgUrl, setPgUrl] = useState('');
  const [appName, setAppName] = useState('');
  const [clientAddress, setClientAddress] = useState('');
  const [streams, setStreams] = useState(String(DEFAULT_SSE_STREAMS));
  const [seconds, setSeconds] = useState(String(DEFAULT_SSE_HOLD_SECONDS));
  const [environment, setEnvironment] = useState('');
  const { pending, run, error, plan, confirm, dismiss, cancel } = useActiveRun('sse');
  const report = run?.kind === 'sse' ? run.sse : null;
  const samples = report?.observation.samples ?? run?.samples ?? [];
  // The demo opens this form on its own stream and database (profiles/demo.yaml's hold); a field already typed in stays.
  const presets = useFormPresets();
  const preset = presets?.sse ?? null;
  useEffect(() => {
    if (!preset) return;
    setUrl((u) => u || preset.url);
    setPgUrl((u) => u || preset.pgUrl);
    setAppName((v) => v || (preset.applicationName ?? ''));
    setClientAddress((v) => v || (preset.clientAddress ?? ''));
    setStreams((v) => (v === String(DEFAULT_SSE_STREAMS) ? String(preset.streams) : v));
    setSeconds((v) => (v === String(DEFAULT_SSE_HOLD_SECONDS) ? String(preset.seconds) : v));
    setEnvironment((v) => v || preset.environment);
  }, [preset]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void plan({ kind: 'sse', url: url.trim(), pgUrl: pgUrl.trim(), applicationName: appName.trim() || null, clientAddress: clientAddress.trim() || null, streams: Number(streams), seconds: Number(seconds), environment: environment.trim() });
  };

  return (
    <section className="page" aria-labelledby="sse-title">
      <header className="page-header">
        <h1 id="sse-title">SSE streams vs database sessions</h1>
      </header>
      <form className="connect-form" onSubmit={submit} aria-label="SSE probe">
        <label>
          <LabelText required>Stream URL</LabelText>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://api.example.com/api/insights/1/trend-stream" size={40} spellCheck={false} required aria-required data-testid="sse-url" />
        </label>
        <label>
          <LabelText required>App database URL</LabelText>
          <input type="password" autoComplete="off" value={pgUrl} onChange={(e) => setPgUrl(e.target.value)} placeholder="postgres://…" required aria-required data-testid="sse-pg-url" />
        </label>
        <label>
          App's application_name
          <input value={appName} onChange={(e) => setAppName(e.target.value)} placeholder="all but Preflight" data-testid="sse-app-name" />
        </label>
        <label>
          or its client address
          <input value={clientAddress} onChange={(e) => setClientAddress(e.target.value)} placeholder="e.g. 10.0.0.5" size={14} spellCheck={false} />
        </label>
        <label>
          Streams
          <input type="number" min={1} max={50} value={streams} onChange={(e) => setStreams(e.target.value)} data-testid="sse-streams" />
        </label>
        <label>
          Seconds
          <input type="number" min={1} max={120} value={seconds} onChange={(e) => setSeconds(e.target.value)} data-testid="sse-seconds" />
        </label>
        <label>
          <LabelText required>Environment</LabelText>
          <input value={environment} onChange={(e) => setEnvironment(e.target.value)} placeholder="e.g. staging, production" required aria-required data-testid="sse-environment" />
        </label>
        <button type="submit" disabled={run?.status === 'running' || !url.trim() || !pgUrl.trim() || !environment.trim()} data-testid="sse-plan">
          Review and run…
        </button>
        <p className="hint">Opens the streams at once, samples pg_stat_activity read-only every 250 ms, closes every stream after the time is up and waits up to 12 s for sessions to return to baseline.</p>
        {preset && presets?.source ? <p className="hint" data-testid="sse-preset-source">Filled in from {presets.source}.</p> : null}
        {error ? <p className="form-error" role="alert">{error}</p> : null}
      </form>
      {pending ? <ConsentDialog plans={[pending.plan]} onConfirm={([c]) => void confirm(c!)} onCancel={dismiss} /> : null}
      <RunProgress run={run} onCancel={() => void cancel()} />
      {!run ? <StateMessage kind="empty" title="No run yet">Enter the stream URL and the app's database, then review what will be opened.</StateMessage> : null}
      {report ? (
        <>
          <div className="tiles" data-testid="sse-tiles">
            <Tile label="Verdict" testId="tile-verdict" value={report.verdict} tone={report.verdict === 'pass' ? 'ok' : report.verdict === 'fail' ? 'bad' : 'warn'} detail={`stopped: ${report.stoppedBy}`} />
            <Tile label="Streams" value={`${report.streamsOpened} open`} detail={`${report.streamsRefused} refused (429) · ${report.streamsFailed} failed · for ${report.observation.seconds} s`} />
            <Tile label="Held by the streams" testId="tile-held" value={`${report.heldConnections} sessions`} detail={`released at close · app had ${report.sustainedConnections} while open (median) · baseline ${report.baselineConnections}`} tone={report.checks[0]?.status === 'fail' ? 'bad' : 'ok'} />
            <Tile label="Peak" testId="tile-peak" value={report.peakConnections} detail={`app sessions; limit ${TOTAL_LIMIT}`} tone={report.peakConnections >= TOTAL_LIMIT ? 'bad' : 'neutral'} />
            <Tile label="After close" value={report.afterConnections} detail={`${(report.observation.settleMs / 1000).toFixed(1)} s after closing`} tone={report.afterConnections > report.baselineConnections ? 'bad' : 'ok'} />
          </div>
          <ChecksList checks={report.checks} />
        </>
      ) : null}
      {samples.length ? (
        <>
          <h2>
            Open streams vs DB sessions <span className="subtle">{samples.length} samples over {(samples.at(-1)!.atMs / 1000).toFixed(1)} s</span>
          </h2>
          <SseChart samples={samples} baseline={report?.baselineConnections ?? samples[0]?.sessions ?? null} totalLimit={TOTAL_LIMIT} />
        </>
      ) : null}
    </section>
  );
}
