import { useState } from 'react';
import type { MigrationTarget } from '../../../../shared/contracts/migrations';
import { confirmationMatches } from '../../../../shared/schemas/confirmation';

/**
 * In-app confirmation: names the environment and the host, and asks for what the engine's
 * typed-confirmation rule wants back (the active probes' rule: the production environment's
 * name, otherwise the host) before anything is written.
 */
export function ConfirmApplyDialog(props: { target: MigrationTarget; pending: number; lintAcked: string[]; onConfirm: (typed: string) => void; onClose: () => void }) {
  const { target } = props;
  const [typed, setTyped] = useState('');
  const matches = confirmationMatches(target.confirm, typed);
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
        <h2 id="confirm-title">
          Apply {props.pending} migration{props.pending === 1 ? '' : 's'} to {target.environment}
          {target.production ? <span className="chip prod-chip">production</span> : null}?
        </h2>
        <dl className="consent-facts">
          <dt>Environment</dt>
          <dd data-testid="confirm-environment">{target.environment}</dd>
          <dt>Host</dt>
          <dd data-testid="confirm-host">{target.host}</dd>
          <dt>Target</dt>
          <dd>
            <code>{target.label}</code>
          </dd>
        </dl>
        <p>
          Statements run on a separate writer connection with a lock timeout and retries; the run is written to the local audit log.
          {props.lintAcked.length ? ` Acknowledged lint rules: ${props.lintAcked.join(', ')}.` : ''}
        </p>
        <label>
          <span data-testid="confirm-what">
            {target.confirm.what === 'environment' ? 'This is a production environment. Type its name' : 'Type the host'} <strong>{target.confirm.value}</strong> to continue
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
