import { useState } from 'react';
import type { ActivePlan, Consent } from '../../../../shared/schemas/active';
import { confirmationMatches, type TypedConfirmation } from '../../../../shared/schemas/confirmation';

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
 * typed back before the button enables (so a stray click never fires a burst): what each plan's
 * `confirm` says (the engine's typed-confirmation rule: a production environment's name,
 * otherwise the target host), each distinct value once.
 */
export function ConsentDialog(props: { plans: ActivePlan[]; titles?: string[]; onConfirm: (consents: Consent[]) => void; onCancel: () => void }) {
  const { plans } = props;
  const production = plans.some((p) => p.production);
  const environment = plans[0]?.environment ?? '';
  const expected: TypedConfirmation[] = [...new Map(plans.map((p) => [`${p.confirm.what}:${p.confirm.value}`, p.confirm])).values()];
  const [typed, setTyped] = useState<string[]>(() => expected.map(() => ''));
  const ready = expected.every((c, i) => confirmationMatches(c, typed[i]));
  const typedFor = (c: TypedConfirmation) => typed[expected.findIndex((e) => e.what === c.what && e.value === c.value)];
  const consents = (): Consent[] =>
    plans.map((p) => ({
      host: p.host,
      endpoint: p.endpoint,
      requestCount: p.requestCount,
      environment: p.environment,
      typedEnvironment: p.confirm.what === 'environment' ? typedFor(p.confirm) : undefined,
      typedHost: p.confirm.what === 'host' ? typedFor(p.confirm) : undefined,
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
        {expected.map(({ what, value }, i) => (
          <label className="typed-confirm" key={`${what}:${value}`}>
            <span>
              {what === 'environment' ? 'This is a production environment. ' : ''}Type <strong>{value}</strong> to confirm.
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
