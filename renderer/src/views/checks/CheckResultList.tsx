import { FIX_LABEL } from '../../../../shared/readiness-text';
import type { CheckResult } from '../../../../shared/schemas/check';

const LABEL: Record<CheckResult['status'], string> = { pass: 'pass', warn: 'warn', fail: 'fail', error: 'unknown (error)', skipped: 'unknown (skipped)' };

/** No evidence block for a check that has none (a skipped check's `{}` printed as a literal "{}"). */
function hasEvidence(evidence: unknown): boolean {
  if (evidence === null || evidence === undefined) return false;
  if (typeof evidence === 'object') return Object.keys(evidence).length > 0;
  return true;
}

/** Failing checks first (the engine sorts), each with its evidence and the fix it verifies; every non-pass row opens with its summary. */
export function CheckResultList(props: { results: CheckResult[]; pointsLost: Map<string, number> }) {
  return (
    <ul className="check-list" data-testid="check-results">
      {props.results.map((r) => (
        <li key={r.id} className={`check-item status-${r.status}`} data-check={r.id}>
          <details open={r.status !== 'pass'}>
            <summary>
              <span className={`chip status-${r.status}`}>{LABEL[r.status]}</span>
              <span className={`chip severity-${r.severity}`}>{r.severity}</span>
              <code className="check-id">{r.id}</code>
              <span className="check-title">{r.title}</span>
              {props.pointsLost.get(r.id) ? <span className="points-lost">−{props.pointsLost.get(r.id)!.toFixed(1)} pts</span> : null}
            </summary>
            <p className="check-summary">{r.summary}</p>
            {r.fix ? (
              <p className="check-fix">
                <strong>{FIX_LABEL}:</strong> {r.fix}
              </p>
            ) : null}
            {hasEvidence(r.evidence) ? <pre className="check-evidence">{JSON.stringify(r.evidence, null, 2)}</pre> : null}
            <p className="subtle">
              {r.category} · {r.durationMs.toFixed(1)} ms
            </p>
          </details>
        </li>
      ))}
    </ul>
  );
}
