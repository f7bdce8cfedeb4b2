import { useState } from 'react';
import type { ActivePlan, Consent } from '../../../../shared/schemas/active';

const unit = (plan: ActivePlan) => (plan.kind === 'sse' ? 'streams' : 'requests');

/** "Send 202 requests and open 20 streams" over every plan of the dialog. */
function sendLabel(plans: ActivePlan[]): string {
  const requests = plans.filter((p) => p.kind === 'ratelimit').reduce((n, p) => n + p.requestCount, 0);
  const streams = plans.filter((p) => p.kind === 'sse').reduce((n, p) => n + p.requestCount, 0);
  const parts = [requests ? `send ${requests} requests` : '', streams ? `open ${streams} streams` : ''].filter(Boolean).join(' and ');
  return parts.charAt(0).toUpperCase() + parts.slice(1);
}

/**
 * In-app confirmation for one or more active probes (the Overview's run sends every probe the
 * profile names): names host, endpoint and request count of each, and always needs something
 * typed back before the button enables (so a stray click never fires a burst): a production
 * environment's name, otherwise the target host.
 */
export function ConsentDialog(props: { plans: ActivePlan[]; titles?: string[]; onConfirm: (consents: Consent[]) => void; onCancel: () => void }) {
  const { plans } = props;
  const production = plans.some((p) => p.production);
  const environment = plans[0]?.environment ?? '';
  // Production: its name once; elsewhere every distinct target host.
  const expected = production ? [environment] : [...new Set(plans.map((p) => p.host))];
  const [typed, setTyped] = useState<string[]>(() => expected.map(() => ''));
  const ready = expected.every((value, i) => typed[i] === value);
  const typedHost = (host: string) => typed[expected.indexOf(host)];
  const consents = (): Consent[] =>
    plans.map((p) => ({
      host: p.host,
      endpoint: p.endpoint,
      requestCount: p.requestCount,
      environment: p.environment,
      typedEnvironment: p.production ? typed[0] : undefined,
      typedHost: p.production ? undefined : typedHost(p.host),
    }));
  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog consent-dialog" role="dialog" aria-modal="true" aria-labelledby="consent-title" data-testid="consent-dialog">
        <h2 id="consent-title">Send real traffic?</h2>
        {plans.map((plan, i) => (
          <section key={i} className="consent-plan" data-testid="consent-plan" data-kind={plan.kind}>
            {props.titles?.[i] ? <h3>{props.titles[i]}</h3> : null}
            <p>{plan.description}</p>
            <dl className="consent-facts">
              <dt>Host</dt>
              <dd data-testid="consent-host">{plan.host}</dd>
              <dt>Endpoint</dt>
              <dd data-testid="consent-endpoint">{plan.endpoint}</dd>
              <dt>{plan.kind === 'sse' ? 'Streams' : 'Requests'}</dt>
              <dd data-testid="consent-count">{plan.requestCount}</dd>
              {plan.durationSeconds !== null ? (
                <>
                  <dt>Held open for</dt>
                  <dd data-testid="consent-seconds">{plan.durationSeconds} s</dd>
                </>
              ) : null}
              <dt>In flight at once</dt>
              <dd>≤ {plan.maxConcurrency}</dd>
            </dl>
          </section>
        ))}
        <dl className="consent-facts">
          <dt>Environment</dt>
          <dd data-testid="consent-environment">
            {environment}
            {production ? <span className="chip prod-chip">production</span> : null}
          </dd>
        </dl>
        {expected.map((value, i) => (
          <label className="typed-confirm" key={value}>
            <span>
              {production ? 'This is a production environment. ' : ''}Type <strong>{value}</strong> to confirm.
            </span>
            <input
              value={typed[i] ?? ''}
              onChange={(e) => setTyped((t) => t.map((v, j) => (j === i ? e.target.value : v)))}
              autoComplete="off"
              spellCheck={false}
              aria-label={`Type ${value} to confirm`}
              data-testid={i === 0 ? 'consent-typed' : `consent-typed-${i + 1}`}
            />
          </label>
        ))}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={props.onCancel} data-testid="consent-cancel">
            Cancel
          </button>
          <button type="button" disabled={!ready} data-testid="consent-confirm" onClick={() => props.onConfirm(consents())}>
            {plans.length === 1 ? `Send ${plans[0]!.requestCount} ${unit(plans[0]!)}` : sendLabel(plans)}
          </button>
        </div>
      </div>
    </div>
  );
}
