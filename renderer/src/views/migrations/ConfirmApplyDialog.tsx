import { useState } from 'react';

/** In-app confirmation: the environment name must be typed before anything is written. */
export function ConfirmApplyDialog(props: { environment: string; target: string; pending: number; lintAcked: string[]; onConfirm: (typed: string) => void; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === props.environment;
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">Apply {props.pending} migration{props.pending === 1 ? '' : 's'} to {props.environment}?</h2>
        <p>
          Target <code>{props.target}</code>. Statements run on a separate writer connection with a lock timeout and retries; the run is written to the local audit log.
          {props.lintAcked.length ? ` Acknowledged lint rules: ${props.lintAcked.join(', ')}.` : ''}
        </p>
        <label>
          <span>
            Type the environment name <strong>{props.environment}</strong> to continue
          </span>
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="confirm-input" spellCheck={false} autoComplete="off" />
        </label>
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={props.onClose}>Cancel</button>
          <button type="button" className="danger" disabled={!matches} onClick={() => props.onConfirm(typed)} data-testid="confirm-apply">Apply</button>
        </div>
      </div>
    </div>
  );
}
