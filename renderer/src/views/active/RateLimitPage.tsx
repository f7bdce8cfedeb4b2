import { useEffect, useState, type FormEvent } from 'react';
import { LabelText } from '../../components/FormFields';
import { StateMessage } from '../../components/StateMessage';
import { Tile } from '../../components/Tile';
import { useFormPresets } from '../../components/useFormPresets';
import { ChecksList } from './ChecksList';
import { ConsentDialog } from './ConsentDialog';
import { RequestsTable } from './RequestsTable';
import { RunProgress } from './RunProgress';
import { StatusByIndexChart } from './StatusByIndexChart';
import { useActiveRun } from './useActiveRun';

export function RateLimitPage() {
  const [url, setUrl] = useState('');
  const [limit, setLimit] = useState('100');
  const [windowSeconds, setWindowSeconds] = useState('60');
  const [xffCheck, setXffCheck] = useState(true);
  const [checkReset, setCheckReset] = useState(false);
  const [environment, setEnvironment] = useState('');
  const [deadline, setDeadline] = useState('');
  // A bearer identity is named by reference (profile, environment, secret); the engine reads the token.
  const [bearer, setBearer] = useState(false);
  const [identity, setIdentity] = useState({ profile: '', environment: '', secret: '' });
  const resetDeadline = Math.min(180, Number(windowSeconds) + 30);
  const { pending, run, error, plan, confirm, dismiss, cancel } = useActiveRun('ratelimit');
  const report = run?.kind === 'ratelimit' ? run.rateLimit : null;
  const running = run?.status === 'running';
  // The demo opens this form on its own API (profiles/demo.yaml's burst); a field already typed in stays.
  const presets = useFormPresets();
  const preset = presets?.rateLimit ?? null;
  useEffect(() => {
    if (!preset) return;
    setUrl((u) => u || preset.url);
    setLimit((v) => (v === '100' ? String(preset.limit) : v));
    setWindowSeconds((v) => (v === '60' ? String(preset.windowSeconds) : v));
    setXffCheck(preset.xffCheck);
    setEnvironment((v) => v || preset.environment);
  }, [preset]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void plan({
      kind: 'ratelimit',
      url: url.trim(),
      limit: Number(limit),
      windowSeconds: Number(windowSeconds),
      xffCheck,
      checkReset,
      // The reset check waits a window: its longer deadline is asked for explicitly and shown in the consent dialog.
      deadlineSeconds: checkReset ? Number(deadline.trim() || resetDeadline) : undefined,
      identity: bearer ? { profile: identity.profile.trim(), environment: identity.environment.trim(), secret: identity.secret.trim() } : null,
      environment: environment.trim(),
    });
  };

  return (
    <section className="page" aria-labelledby="rl-title">
      <header className="page-header">
        <h1 id="rl-title">Rate-limit boundary</h1>
      </header>
      <form className="connect-form" onSubmit={submit} aria-label="Rate-limit probe">
        <label>
          <LabelText required>Endpoint URL</LabelText>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://api.example.com/api/insights" size={44} spellCheck={false} required aria-required data-testid="rl-url" />
        </label>
        <label>
          <LabelText required>Limit N</LabelText>
          <input type="number" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} required aria-required data-testid="rl-limit" />
        </label>
        <label>
          <LabelText required>Window (s)</LabelText>
          <input type="number" min={1} value={windowSeconds} onChange={(e) => setWindowSeconds(e.target.value)} required aria-required data-testid="rl-window" />
        </label>
        <label>
          <LabelText required>Environment</LabelText>
          <input value={environment} onChange={(e) => setEnvironment(e.target.value)} placeholder="e.g. staging, production" required aria-required data-testid="rl-environment" />
        </label>
        <label className="checkbox-label">
          <input type="checkbox" checked={xffCheck} onChange={(e) => setXffCheck(e.target.checked)} data-testid="rl-xff" /> X-Forwarded-For spoof check
        </label>
        <label className="checkbox-label">
          <input type="checkbox" checked={checkReset} onChange={(e) => setCheckReset(e.target.checked)} data-testid="rl-check-reset" /> one request after the reset
        </label>
        {checkReset ? (
          <label>
            Deadline (s)
            <input type="number" min={1} max={180} value={deadline} placeholder={String(resetDeadline)} onChange={(e) => setDeadline(e.target.value)} data-testid="rl-deadline" />
          </label>
        ) : null}
        <label className="checkbox-label">
          <input type="checkbox" checked={bearer} onChange={(e) => setBearer(e.target.checked)} data-testid="rl-bearer" /> as a bearer token from a profile secret
        </label>
        {bearer ? (
          <>
            <label>
              Profile
              <input value={identity.profile} onChange={(e) => setIdentity({ ...identity, profile: e.target.value })} placeholder="demo" required data-testid="rl-identity-profile" />
            </label>
            <label>
              Profile environment
              <input value={identity.environment} onChange={(e) => setIdentity({ ...identity, environment: e.target.value })} placeholder="local" required data-testid="rl-identity-environment" />
            </label>
            <label>
              Secret name
              <input value={identity.secret} onChange={(e) => setIdentity({ ...identity, secret: e.target.value })} placeholder="api_token" spellCheck={false} required data-testid="rl-identity-secret" />
            </label>
          </>
        ) : null}
        <button type="submit" disabled={running || !url.trim() || !environment.trim()} data-testid="rl-plan">
          Review and run…
        </button>
        <p className="hint">Sends N+1 requests at once over pre-warmed keep-alive connections (≤ 50 in flight, ≤ 500 per run, 60 s per run — up to 180 s with the reset check — no retries). A bearer token is read by the engine from the profile's secret and sent only to that environment's API. Nothing is sent until you confirm.</p>
        {preset && presets?.source ? <p className="hint" data-testid="rl-preset-source">Filled in from {presets.source}.</p> : null}
        {error ? <p className="form-error" role="alert">{error}</p> : null}
      </form>
      {pending ? <ConsentDialog plans={[pending.plan]} onConfirm={([c]) => void confirm(c!)} onCancel={dismiss} /> : null}
      <RunProgress run={run} onCancel={() => void cancel()} />
      {!run ? <StateMessage kind="empty" title="No run yet">Enter the endpoint and its expected limit, then review what will be sent.</StateMessage> : null}
      {report ? (
        <>
          <div className="tiles" data-testid="rl-tiles">
            <Tile label="Verdict" testId="tile-verdict" value={report.verdict} tone={report.verdict === 'pass' ? 'ok' : report.verdict === 'fail' ? 'bad' : 'warn'} detail={`stopped: ${report.stoppedBy}`} />
            <Tile label="First 429 at" testId="tile-first429" value={report.first429At ?? 'none'} detail={`expected ${report.limit + 1} (limit ${report.limit} per ${report.windowSeconds} s)`} tone={report.first429At === report.limit + 1 ? 'ok' : 'bad'} />
            <Tile label="Burst" value={`${report.burstMs.toFixed(0)} ms`} detail={`${report.sent} requests · all sent within ${report.sendSpreadMs.toFixed(0)} ms · ${report.observation.prewarmedConnections} warm connections`} />
            <Tile label="Retry-After" value={report.retryAfter ? `${report.retryAfter} s` : '—'} tone={report.retryAfter ? 'ok' : report.first429At ? 'bad' : 'neutral'} detail={report.observation.burst.resetHeader ? `RateLimit-Reset ${report.observation.burst.resetHeader}` : 'on the first 429'} />
            <Tile
              label="X-Forwarded-For spoof"
              testId="tile-xff"
              value={report.xffBypass === null ? 'not judged' : report.xffBypass ? 'bypass' : 'no bypass'}
              tone={report.xffBypass ? 'bad' : report.xffBypass === false ? 'ok' : 'neutral'}
              detail={report.observation.spoof ? `${report.observation.spoof.allowed} of ${report.observation.spoof.sent} forged requests allowed` : 'not requested'}
            />
          </div>
          <ChecksList checks={report.checks} />
          <h2>
            Status by request <span className="subtle">dashed line: limit {report.limit}, first 429 expected at {report.limit + 1} · burst of {report.sent} over {report.burstMs.toFixed(0)} ms, started {new Date(report.observation.startedAt).toLocaleTimeString([], { hour12: false })}</span>
          </h2>
          <StatusByIndexChart burst={report.observation.burst} limit={report.limit} />
          {report.observation.spoof ? (
            <>
              <h2>
                Spoof burst <span className="subtle">each request with a different forged X-Forwarded-For · {report.observation.spoof.burstMs.toFixed(0)} ms</span>
              </h2>
              <StatusByIndexChart burst={report.observation.spoof} limit={report.limit} />
            </>
          ) : null}
          <h2>
            Requests and rate-limit headers <span className="subtle">times in ms after the burst started</span>
          </h2>
          <div className="scroll-table">
            <RequestsTable bursts={[report.observation.burst, ...(report.observation.spoof ? [report.observation.spoof] : [])]} />
          </div>
        </>
      ) : null}
    </section>
  );
}
