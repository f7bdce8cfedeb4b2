import { useState } from 'react';
import { confirmationMatches } from '../../../../shared/schemas/confirmation';
import type { BackendPlan } from '../../../../shared/schemas/postgres';

const ACTION_TITLE = { cancel: 'Cancel the query of', terminate: 'Terminate the session of' } as const;
const ACTION_BUTTON = { cancel: 'Cancel query', terminate: 'Terminate session' } as const;

/**
 * In-app confirmation of a cancel/terminate: names the pid, application and environment the
 * engine read, and asks for what the typed-confirmation rule wants back (the environment's name
 * for production, the host otherwise) before the button works.
 */
export function SignalBackendDialog(props: { plan: BackendPlan; busy: boolean; error: string | null; onConfirm: (typed: string) => void; onClose: () => void }) {
  const { plan } = props;
  const [typed, setTyped] = useState('');
  const matches = confirmationMatches(plan.confirm, typed);
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="signal-title" data-testid="signal-dialog">
        <h2 id="signal-title">
          {ACTION_TITLE[plan.action]} pid {plan.pid}?
        </h2>
        <dl className="signal-facts">
          <dt>pid</dt>
          <dd data-testid="signal-pid">{plan.pid}</dd>
          <dt>application</dt>
          <dd data-testid="signal-application">{plan.application || '(none)'}</dd>
          <dt>user · database</dt>
          <dd>
            {plan.user ?? '?'} · {plan.database ?? '?'} · {plan.state}
          </dd>
          <dt>environment</dt>
          <dd data-testid="signal-environment">
            {plan.environment} {plan.production ? <span className="chip state-production">production</span> : null}
          </dd>
        </dl>
        <p className="subtle">
          {plan.action === 'cancel'
            ? 'pg_cancel_backend stops the running statement; the session stays connected.'
            : 'pg_terminate_backend closes the session; its open transaction is rolled back.'}{' '}
          Sent on a separate writer connection and written to the local audit log.
        </p>
        <label>
          <span>
            Type {plan.confirm.what === 'environment' ? 'the production environment’s name' : 'the host'} <strong>{plan.confirm.value}</strong> to continue
          </span>
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="signal-confirm-input" spellCheck={false} autoComplete="off" />
        </label>
        {props.error ? (
          <div className="form-error" role="alert">
            {props.error}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={props.onClose} data-testid="signal-close">
            Keep it
          </button>
          <button type="button" className="danger" disabled={!matches || props.busy} onClick={() => props.onConfirm(typed)} data-testid="signal-confirm">
            {props.busy ? 'Sending…' : ACTION_BUTTON[plan.action]}
          </button>
        </div>
      </div>
    </div>
  );
}
