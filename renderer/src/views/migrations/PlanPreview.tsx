import type { MigrationPlan } from '../../../../shared/schemas/migrations';
import { formatSeconds } from '../../format';

/** The exact SQL, skips with reasons, lint findings (with acknowledgement) and blocking transactions. */
export function PlanPreview(props: { plan: MigrationPlan; acked: string[]; onAck: (rule: string, on: boolean) => void }) {
  const { plan } = props;
  const rules = [...new Set(plan.lint.map((l) => l.rule))];
  return (
    <div data-testid="plan-preview">
      <h2>Plan <span className="subtle">{plan.files.length} pending file{plan.files.length === 1 ? '' : 's'}</span></h2>
      {!plan.files.length ? <p className="hint">Nothing pending.</p> : null}
      {plan.files.map((f) => (
        <div key={f.version} className="plan-file">
          <div className="plan-file-head">
            <strong>{f.fileName}</strong> · {f.transactional ? 'one transaction' : 'no transaction (each statement on its own)'} · lock_timeout {f.lockTimeoutMs / 1000} s · statement_timeout {f.statementTimeoutMs / 60_000} min
          </div>
          <ol className="plan-statements">
            {f.statements.map((s) => (
              <li key={s.index} className={s.action === 'skip' ? 'skipped' : undefined} data-testid="plan-statement">
                <pre>{s.sql};</pre>
                {s.reason ? <div className="plan-reason">{s.action === 'skip' ? 'skipped: ' : 'note: '}{s.reason}</div> : null}
              </li>
            ))}
          </ol>
        </div>
      ))}
      {rules.length ? (
        <div className="lint-box" role="group" aria-label="Lint findings">
          <strong>Lint findings block apply until acknowledged</strong>
          {plan.lint.map((l) => <div key={`${l.file}:${l.line}:${l.rule}`}>{l.file}:{l.line} [{l.rule}] {l.message}</div>)}
          {rules.map((r) => (
            <label key={r}>
              <input type="checkbox" checked={props.acked.includes(r)} onChange={(e) => props.onAck(r, e.target.checked)} /> acknowledge {r}
            </label>
          ))}
        </div>
      ) : null}
      {plan.openTransactions.length ? (
        <div className="lint-box">
          <strong>Open transactions a CREATE INDEX CONCURRENTLY would wait for</strong>
          {plan.openTransactions.map((t) => <div key={t.pid}>pid {t.pid} · {t.application || '(no application)'} · {t.state} · open {formatSeconds(t.ageSeconds)}</div>)}
        </div>
      ) : null}
    </div>
  );
}
