import { useState } from 'react';
import type { ActivePlan, Consent } from '../../../../shared/schemas/active';

/**
 * In-app confirmation for an active probe: names host, endpoint and request count, and always
 * needs something typed back before the button enables (so a stray click never fires a
 * burst): a production environment's name, otherwise the target host.
 */
export function ConsentDialog(props: { plan: ActivePlan; onConfirm: (consent: Consent) => void; onCancel: () => void }) {
  const { plan } = props;
  const [typed, setTyped] = useState('');
  const expected = plan.production ? plan.environment : plan.host;
  const ready = typed === expected;
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="consent-title" data-testid="consent-dialog">
        <h2 id="consent-title">Send real traffic?</h2>
        <p>{plan.description}</p>
        <dl className="consent-facts">
          <dt>Host</dt>
          <dd data-testid="consent-host">{plan.host}</dd>
          <dt>Endpoint</dt>
          <dd>{plan.endpoint}</dd>
          <dt>{plan.kind === 'sse' ? 'Streams' : 'Requests'}</dt>
          <dd data-testid="consent-count">{plan.requestCount}</dd>
          <dt>In flight at once</dt>
          <dd>≤ {plan.maxConcurrency}</dd>
          <dt>Environment</dt>
          <dd>
            {plan.environment}
            {plan.production ? <span className="chip prod-chip">production</span> : null}
          </dd>
        </dl>
        <label className="typed-confirm">
          <span>
            {plan.production ? 'This is a production environment. ' : ''}Type <strong>{expected}</strong> to confirm.
          </span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} data-testid="consent-typed" />
        </label>
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            disabled={!ready}
            data-testid="consent-confirm"
            onClick={() => props.onConfirm({ host: plan.host, endpoint: plan.endpoint, requestCount: plan.requestCount, environment: plan.environment, typedEnvironment: plan.production ? typed : undefined, typedHost: plan.production ? undefined : typed })}
          >
            Send {plan.requestCount} {plan.kind === 'sse' ? 'streams' : 'requests'}
          </button>
        </div>
      </div>
    </div>
  );
}
