import { useEffect, useState } from 'react';
import type { PgTarget } from '../../../../shared/schemas/postgres';
import { PostgresUrl } from '../../../../shared/schemas/urls';
import { client } from '../../api/client';
import { useFormAction } from '../../components/useFormAction';
import { IntervalField, SecretUrlField } from '../../components/FormFields';
import { RememberFields, SavedConnections } from '../../components/saved/SavedConnections';
import { useSavedConnections } from '../../components/saved/useSavedConnections';

const INTERVALS = [2000, 5000, 10_000, 30_000, 60_000];

/** Point the page at a database: a saved connection, or a URL (kept in the engine's memory, or saved encrypted). */
export function ConnectForm(props: { onConnected: (target: Pick<PgTarget, 'targetId'>) => void; selectedIntervalMs: number | null }) {
  const saved = useSavedConnections('postgres');
  const [remember, setRemember] = useState(false);
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [intervalMs, setIntervalMs] = useState(5000);
  // The field shows what the watched database is sampled at (watching it again with another value changes it).
  useEffect(() => {
    if (props.selectedIntervalMs) setIntervalMs(props.selectedIntervalMs);
  }, [props.selectedIntervalMs]);
  const [budget, setBudget] = useState('');
  const [planLimit, setPlanLimit] = useState('');

  const { busy, error, submit } = useFormAction(async () => {
    const problem = PostgresUrl.safeParse(url.trim());
    if (!problem.success) throw new Error(`The Postgres URL ${problem.error.issues[0]?.message ?? 'is not valid'}.`);
    const target = await client.call('pg.watch', { url: url.trim(), intervalMs, budget: budget ? Number(budget) : null, planLimit: planLimit ? Number(planLimit) : null });
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
    <SavedConnections state={saved} watchOptions={{ intervalMs, budget: budget ? Number(budget) : null, planLimit: planLimit ? Number(planLimit) : null }} onWatched={(targetId) => props.onConnected({ targetId })} testId="pg-saved" />
    <form className="connect-form" onSubmit={(e) => void submit(e)} aria-label="Connect to a database">
      <SecretUrlField label="Postgres URL" value={url} onChange={setUrl} placeholder="postgres://user:password@host:5432/db" testId="pg-url" />
      <IntervalField label="Sample every" value={intervalMs} onChange={setIntervalMs} choices={INTERVALS} />
      <label>
        Budget (connections)
        <input type="number" min={1} placeholder="e.g. 50" value={budget} onChange={(e) => setBudget(e.target.value)} data-testid="pg-budget" />
      </label>
      <label>
        Plan limit (connections)
        <input type="number" min={1} placeholder="e.g. 500" value={planLimit} onChange={(e) => setPlanLimit(e.target.value)} data-testid="pg-plan-limit" />
      </label>
      <RememberFields state={saved} remember={remember} onRemember={setRemember} label={label} onLabel={setLabel} testId="pg" />
      <button type="submit" disabled={busy || !url.trim()} data-testid="pg-connect">
        {busy ? 'Connecting…' : 'Watch'}
      </button>
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      <p className="hint">Read-only: one connection, application_name=preflight, 2 s statement timeout. Unless saved, the URL is kept in memory only.</p>
    </form>
    </>
  );
}
