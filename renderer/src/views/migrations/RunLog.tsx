import type { ApplyResult, MigrationEvent, MigrationPlan } from '../../../../shared/schemas/migrations';

/** Live per-statement progress and the log of one apply run. */
export function RunLog(props: { events: MigrationEvent[]; result: ApplyResult | null; plan: MigrationPlan | null }) {
  const total = props.plan?.files.reduce((n, f) => n + f.statements.length, 0) ?? null;
  const finished = props.events.filter((e) => e.kind === 'statement-done' || e.kind === 'statement-skipped').length;
  const current = [...props.events].reverse().find((e) => e.kind === 'statement-start' || e.kind === 'retry' || e.kind === 'wait');
  return (
    <div data-testid="run-log">
      <h2>
        Run <span className="subtle">{total !== null ? `${finished} of ${total} statements done` : `${finished} statements done`}{props.result ? ` · ${props.result.outcome.replace(/_/g, ' ')} in ${(props.result.durationMs / 1000).toFixed(1)} s` : ''}</span>
      </h2>
      {total ? <progress max={total} value={finished} className="run-progress" aria-label="Statements done" /> : null}
      {!props.result && current ? <div className="hint">running: {current.message}</div> : null}
      {props.result?.error ? <div className="form-error" role="alert">{props.result.error}</div> : null}
      <ol className="run-events">
        {props.events.map((e, i) => (
          <li key={i} className={`ev-${e.kind}`}>
            <time>{new Date(e.at).toLocaleTimeString()}</time> [{e.kind}]{e.version ? ` ${e.version}` : ''}{e.statement !== null ? ` #${e.statement}` : ''} {e.message}
          </li>
        ))}
      </ol>
    </div>
  );
}
