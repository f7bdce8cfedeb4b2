import { useEffect, useState } from 'react';
import type { RedisTarget } from '../../../../shared/schemas/redis';
import { client } from '../../api/client';
import { useFormAction } from '../../components/useFormAction';
import { IntervalField, SecretUrlField } from '../../components/FormFields';
import { RememberFields, SavedConnections } from '../../components/saved/SavedConnections';
import { useSavedConnections } from '../../components/saved/useSavedConnections';

const INTERVALS = [2000, 5000, 10_000, 30_000, 60_000];

/** Point the page at a Redis: a saved connection, or a URL (kept in the engine's memory, or saved encrypted). */
export function RedisConnectForm(props: { onConnected: (target: Pick<RedisTarget, 'targetId'>) => void; selectedIntervalMs: number | null }) {
  const saved = useSavedConnections('redis');
  const [remember, setRemember] = useState(false);
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [intervalMs, setIntervalMs] = useState(5000);
  // The field shows what the watched Redis is sampled at (watching it again with another value changes it).
  useEffect(() => {
    if (props.selectedIntervalMs) setIntervalMs(props.selectedIntervalMs);
  }, [props.selectedIntervalMs]);
  const [threshold, setThreshold] = useState('80');
  const [minLookups, setMinLookups] = useState('100');

  const thresholds = { hitRate: Number(threshold) / 100, minLookups: Number(minLookups), memoryUtilization: 0.8 };
  const { busy, error, submit } = useFormAction(async () => {
    const target = await client.call('redis.watch', {
      url: url.trim(),
      intervalMs,
      thresholds,
    });
    props.onConnected(target);
    // Saved only once the engine accepted the URL; a refusal (no keychain) says so, the watch stays.
    if (remember && saved.status?.canSave) {
      await saved.save(url.trim(), label).catch((err: Error) => {
        throw new Error(`Watching, but not saved: ${err.message}`);
      });
      setLabel('');
    }
    setUrl('');
  });

  return (
    <>
    <SavedConnections state={saved} watchOptions={{ intervalMs, thresholds }} onWatched={(targetId) => props.onConnected({ targetId })} testId="redis-saved" />
    <form className="connect-form" onSubmit={(e) => void submit(e)} aria-label="Connect to a Redis">
      <SecretUrlField label="Redis URL" value={url} onChange={setUrl} placeholder="redis://user:password@host:6379" testId="redis-url" />
      <IntervalField label="Sample every" value={intervalMs} onChange={setIntervalMs} choices={INTERVALS} testId="redis-interval" />
      <label>
        Hit-rate threshold (%)
        <input type="number" min={0} max={100} value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="redis-threshold" />
      </label>
      <label>
        Min. lookups to judge
        <input type="number" min={1} value={minLookups} onChange={(e) => setMinLookups(e.target.value)} data-testid="redis-min-lookups" />
      </label>
      <RememberFields state={saved} remember={remember} onRemember={setRemember} label={label} onLabel={setLabel} testId="redis" />
      <button type="submit" disabled={busy || !url.trim()} data-testid="redis-connect">
        {busy ? 'Connecting…' : 'Watch'}
      </button>
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <p className="hint">Sends only INFO (by section) and PING over one connection; works with an ACL user limited to +info +ping. Unless saved, the URL is kept in memory only.</p>
    </form>
    </>
  );
}
