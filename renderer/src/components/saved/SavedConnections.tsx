/**
 * The saved connections of a page (Postgres or Redis) for one profile and environment: pick one
 * to watch, forget one, and the keychain's state (why saving is refused, the basic_text opt-in).
 * Only masked URLs are shown; the secret stays in the engine.
 */
import { useState } from 'react';
import { ProfilePicker } from '../../views/checks/useProfileChoice';
import { StateMessage } from '../StateMessage';
import { BasicTextDialog } from './BasicTextDialog';
import type { SavedConnectionsState, SavedWatchOptions } from './useSavedConnections';

function KeychainLine(props: { state: SavedConnectionsState }) {
  const { status, acceptBasicText } = props.state;
  const [asking, setAsking] = useState(false);
  if (!status) return null;
  if (status.canSave) {
    return (
      <p className="hint" data-testid="keychain-status">
        Passwords are encrypted by the OS keychain ({status.backend}
        {status.basicTextAccepted ? ', accepted without a keyring on this machine' : ''}) and never shown again.
      </p>
    );
  }
  const basicText = status.backend === 'basic_text' && !status.basicTextAccepted;
  return (
    <div className="keychain-refused" role="status" data-testid="keychain-status">
      <strong>Saving is off.</strong> {status.refusedReason}
      {basicText ? (
        <button type="button" className="secondary small" onClick={() => setAsking(true)} data-testid="basic-text-open">
          Accept basic_text for this machine…
        </button>
      ) : null}
      {asking ? <BasicTextDialog onAccept={acceptBasicText} onClose={() => setAsking(false)} /> : null}
    </div>
  );
}

export function SavedConnections(props: { state: SavedConnectionsState; watchOptions: SavedWatchOptions; onWatched: (targetId: string) => void; testId: string }) {
  const { profiles, profilesError, choice, setChoice, saved, error, forget, watch, status } = props.state;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const run = async (id: string, action: () => Promise<void>) => {
    setBusy(id);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="saved-connections" aria-label="Saved connections" data-testid={props.testId}>
      <div className="saved-head">
        <strong>Saved connections</strong>
        {profiles && profiles.length ? <ProfilePicker profiles={profiles} choice={choice} onChange={setChoice} /> : null}
      </div>
      {profilesError ? <StateMessage kind="error" title="Could not list profiles">{profilesError}</StateMessage> : null}
      {profiles && !choice ? <p className="hint">No profile with an environment was found, so there is nowhere to save connections.</p> : null}
      <KeychainLine state={props.state} />
      {error ? <StateMessage kind="error" title="Could not read saved connections">{error}</StateMessage> : null}
      {saved && saved.length === 0 && choice && status?.canSave ? (
        <p className="hint">
          Nothing saved for {choice.profile} / {choice.environment} yet: tick “Save this connection” below when you watch one.
        </p>
      ) : null}
      {saved && saved.length ? (
        <ul className="saved-list">
          {saved.map((c) => (
            <li key={c.id} data-testid="saved-connection">
              <span className="saved-label">{c.label}</span>
              <code className="saved-url">{c.maskedUrl}</code>
              <span className="subtle">saved {new Date(c.savedAt).toLocaleString()}</span>
              <span className="saved-actions">
                {confirming === c.id ? (
                  <>
                    <span>Forget it on this machine?</span>
                    <button type="button" className="danger small" disabled={busy === c.id} onClick={() => void run(c.id, () => forget(c.id).then(() => setConfirming(null)))} data-testid="saved-forget-confirm">
                      Forget
                    </button>
                    <button type="button" className="secondary small" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" className="small" disabled={busy === c.id} onClick={() => void run(c.id, async () => props.onWatched((await watch(c.id, props.watchOptions)).targetId))} data-testid="saved-watch">
                      {busy === c.id ? 'Connecting…' : 'Watch'}
                    </button>
                    <button type="button" className="secondary small" onClick={() => setConfirming(c.id)} data-testid="saved-forget">
                      Forget…
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {actionError ? <div className="form-error" role="alert">{actionError}</div> : null}
    </section>
  );
}

/** The connect form's "save this connection" checkbox and label, off with the reason when the keychain refuses. */
export function RememberFields(props: { state: SavedConnectionsState; remember: boolean; onRemember: (v: boolean) => void; label: string; onLabel: (v: string) => void; testId: string }) {
  const { status, choice } = props.state;
  const canSave = Boolean(status?.canSave && choice);
  return (
    <>
      <label className="checkbox" title={canSave ? undefined : (status?.refusedReason ?? 'No profile and environment chosen')}>
        <input type="checkbox" checked={canSave && props.remember} disabled={!canSave} onChange={(e) => props.onRemember(e.target.checked)} data-testid={`${props.testId}-remember`} />
        Save this connection{choice ? ` for ${choice.profile} / ${choice.environment}` : ''}
      </label>
      {canSave && props.remember ? (
        <label>
          Name (optional)
          <input value={props.label} maxLength={100} placeholder="e.g. primary (read-only user)" onChange={(e) => props.onLabel(e.target.value)} data-testid={`${props.testId}-label`} />
        </label>
      ) : null}
    </>
  );
}
