import { useEffect, useState } from 'react';
import { HTTP_DEFAULT_INTERVAL_MS, type HttpTarget } from '../../../../shared/contracts/http';
import { client } from '../../api/client';
import { useFormAction } from '../../components/useFormAction';
import { IntervalField, LabelText } from '../../components/FormFields';
import { useFormPresets } from '../../components/useFormPresets';

const INTERVALS = [5000, HTTP_DEFAULT_INTERVAL_MS, 60_000];

/**
 * Starts passive probing of an API. Secrets (database, Redis URLs) go to the engine only.
 * Opens empty, or on the engine's presets (the demo: profiles/demo.yaml's API and CORS allowlist);
 * the interval shows the selected target's, else the watcher's default.
 */
export function ProbeForm(props: { onStarted: (t: HttpTarget) => void; selected?: HttpTarget | null }) {
  const presets = useFormPresets();
  const preset = presets?.http ?? null;
  const [baseUrl, setBaseUrl] = useState('');
  const [origins, setOrigins] = useState('');
  const [production, setProduction] = useState(false);
  const [pgUrl, setPgUrl] = useState('');
  const [redisUrl, setRedisUrl] = useState('');
  const [intervalMs, setIntervalMs] = useState(HTTP_DEFAULT_INTERVAL_MS);
  useEffect(() => {
    if (!preset) return;
    setBaseUrl((u) => u || preset.baseUrl);
    setOrigins((o) => o || preset.allowedOrigins.join(', '));
    setProduction(preset.production);
  }, [preset]);
  // One interval shown: the selected target's, else the preset's, else the watcher's default.
  const selectedInterval = props.selected?.intervalMs;
  const presetInterval = preset?.intervalMs;
  useEffect(() => {
    setIntervalMs(selectedInterval ?? presetInterval ?? HTTP_DEFAULT_INTERVAL_MS);
  }, [selectedInterval, presetInterval]);
  const intervals = [...new Set([...INTERVALS, intervalMs])].sort((a, b) => a - b);

  const { busy, error, submit } = useFormAction(async () => {
    const allowedOrigins = origins.split(/[\s,]+/).filter(Boolean);
    const target = await client.call('http.watch', {
      baseUrl: baseUrl.trim(),
      intervalMs,
      expectations: { allowedOrigins, production },
      ...(pgUrl.trim() ? { pgUrl: pgUrl.trim() } : {}),
      ...(redisUrl.trim() ? { redisUrl: redisUrl.trim() } : {}),
    });
    setPgUrl('');
    setRedisUrl('');
    props.onStarted(target);
  });

  return (
    <form className="connect-form" onSubmit={(e) => void submit(e)}>
      <label>
        <LabelText required>API base URL</LabelText>
        <input data-testid="http-base-url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.example.com" required aria-required size={34} />
      </label>
      <label>
        Allowed CORS origins
        <input data-testid="http-origins" value={origins} onChange={(e) => setOrigins(e.target.value)} placeholder="https://app.example.com, https://www.example.com" size={48} />
      </label>
      <label>
        Database URL (cross-check)
        <input type="password" data-testid="http-pg-url" value={pgUrl} onChange={(e) => setPgUrl(e.target.value)} placeholder="optional postgres://…" autoComplete="off" />
      </label>
      <label>
        Redis URL (cross-check)
        <input type="password" data-testid="http-redis-url" value={redisUrl} onChange={(e) => setRedisUrl(e.target.value)} placeholder="optional redis://…" autoComplete="off" />
      </label>
      <IntervalField label="Every" value={intervalMs} onChange={setIntervalMs} choices={intervals} ariaLabel="Probe interval" />
      <label className="checkbox">
        <input type="checkbox" checked={production} onChange={(e) => setProduction(e.target.checked)} /> production rules
      </label>
      <button type="submit" data-testid="http-start" disabled={busy}>
        {busy ? 'Starting…' : 'Probe'}
      </button>
      {preset && presets?.source ? <p className="hint" data-testid="http-preset-source">Filled in from {presets.source}.</p> : null}
      <p className="hint">Passive probes only: one request per endpoint per run, each with a 2 s timeout, no retries, and only to the health endpoints (request ids, CORS and security headers are read there too). Rate-limited, database-backed, webhook and error routes are never polled on a schedule: `preflight http` and the Overview's check run judge them.</p>
      {error ? <p className="form-error">{error}</p> : null}
    </form>
  );
}
