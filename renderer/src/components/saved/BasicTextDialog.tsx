import { useState } from 'react';
import { BASIC_TEXT_CONSENT } from '../../../../shared/contracts/connections';

/** Linux without a keyring: the user accepts weak encryption for this machine by typing what they accept. */
export function BasicTextDialog(props: { onAccept: () => Promise<void>; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const matches = typed.trim() === BASIC_TEXT_CONSENT;
  const accept = async () => {
    try {
      await props.onAccept();
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="basic-text-title" data-testid="basic-text-dialog">
        <h2 id="basic-text-title">Save connections without a keyring on this machine?</h2>
        <p>
          No keyring (GNOME Keyring, KWallet) is running, so Electron falls back to its <code>basic_text</code> backend: saved passwords are encrypted with a key built into
          the app. Anyone who can read your files can decrypt them. Starting a keyring and reopening Preflight is safer.
        </p>
        <p>The acceptance holds for this machine only (by host name): a copied data folder is not accepted elsewhere.</p>
        <label>
          <span>
            Type <strong>{BASIC_TEXT_CONSENT}</strong> to continue
          </span>
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="basic-text-input" spellCheck={false} autoComplete="off" />
        </label>
        {error ? <div className="form-error" role="alert">{error}</div> : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={!matches} onClick={() => void accept()} data-testid="basic-text-accept">
            Accept for this machine
          </button>
        </div>
      </div>
    </div>
  );
}
